package io.optin.kit.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What the server answers for a request it refuses before any route sees it (a malformed request
 * line, headers too large, an ambiguous path): the API's JSON error shape with the status's reason
 * phrase, never an HTML page or an exception's text; an unknown HTTP version is 400, not 505.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    boolean unsupportedVersion = code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505;
    if (unsupportedVersion) {
      // A version this server does not speak is the client's fault: 4xx, never 5xx.
      code = HttpStatus.BAD_REQUEST_400;
      response.setStatus(code);
    }
    String phrase = HttpStatus.getMessage(code);
    String reason =
        unsupportedVersion
            ? "unsupported HTTP version"
            : phrase == null ? "error" : phrase.toLowerCase(Locale.ROOT);
    byte[] body =
        HttpPort.Dialect.OPTIN.errors().json(code, reason, null).getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpPort.Dialect.OPTIN.errorContentType());
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
