package io.optin.kit.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
    if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
      // A version this server does not speak is the client's fault: 4xx, never 5xx.
      code = HttpStatus.BAD_REQUEST_400;
      response.setStatus(code);
    }
    String reason =
        code == HttpStatus.BAD_REQUEST_400 && message != null && message.contains("Version")
            ? "unsupported HTTP version"
            : HttpStatus.getMessage(code);
    byte[] body =
        HttpExchanges.JSON
            .createObjectNode()
            .put("error", reason == null ? "error" : reason.toLowerCase())
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
