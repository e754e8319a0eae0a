package io.optin.kit.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One Jetty request seen through the JDK's {@link HttpExchange}, so the services' handlers are
 * written against the plain JDK API whatever server runs them.
 *
 * <p>The request body was read in full, asynchronously and within its cap, before the handler runs:
 * a slow client never holds a handler thread. The answer is buffered (answers are small) and
 * written without blocking once the handler closes the exchange or its body, so a client that reads
 * slowly does not hold a handler thread either.
 */
final class JettyExchange extends HttpExchange {

  private final Request request;
  private final Response response;
  private final Callback done;
  private final URI uri;
  private final Headers requestHeaders = new Headers();
  private final Headers responseHeaders = new Headers();
  private final Map<String, Object> attributes = new ConcurrentHashMap<>();
  private final AtomicBoolean committed = new AtomicBoolean();
  private InputStream requestBody;
  private final ByteArrayOutputStream buffered = new ByteArrayOutputStream();
  private OutputStream responseBody =
      new OutputStream() {
        @Override
        public void write(int b) {
          buffered.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
          buffered.write(bytes, offset, length);
        }

        @Override
        public void close() {
          commit();
        }
      };
  private volatile int status = -1;
  private volatile boolean noBody;

  JettyExchange(Request request, Response response, Callback done, URI uri, byte[] body) {
    this.request = request;
    this.response = response;
    this.done = done;
    this.uri = uri;
    this.requestBody = new ByteArrayInputStream(body);
    for (HttpField field : request.getHeaders()) {
      requestHeaders.add(field.getName(), field.getValue());
    }
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return request.getMethod();
  }

  /** None: routes are the gateway's, not contexts of a JDK server. */
  @Override
  public HttpContext getHttpContext() {
    return null;
  }

  @Override
  public void close() {
    commit();
  }

  @Override
  public InputStream getRequestBody() {
    return requestBody;
  }

  @Override
  public OutputStream getResponseBody() {
    return responseBody;
  }

  /**
   * As the JDK: {@code length} -1 means no body; any other length is ignored, the buffered body
   * being sent whole with its exact length.
   */
  @Override
  public void sendResponseHeaders(int code, long length) {
    if (status != -1) {
      throw new IllegalStateException("headers already sent");
    }
    status = code;
    noBody = length == -1 || "HEAD".equals(request.getMethod());
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return address(request.getConnectionMetaData().getRemoteSocketAddress());
  }

  @Override
  public int getResponseCode() {
    return status;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return address(request.getConnectionMetaData().getLocalSocketAddress());
  }

  @Override
  public String getProtocol() {
    return request.getConnectionMetaData().getProtocol();
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    if (value == null) {
      attributes.remove(name);
    } else {
      attributes.put(name, value);
    }
  }

  @Override
  public void setStreams(InputStream in, OutputStream out) {
    if (in != null) {
      requestBody = in;
    }
    if (out != null) {
      responseBody = out;
    }
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }

  /**
   * Writes the answer once: what the handler sent, or nothing if it sent no status (the gateway
   * answers 500 for it before closing).
   */
  private void commit() {
    if (status == -1 || !committed.compareAndSet(false, true)) {
      return;
    }
    response.setStatus(status);
    for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
      for (String value : header.getValue()) {
        response.getHeaders().add(header.getKey(), value);
      }
    }
    byte[] body = noBody ? new byte[0] : buffered.toByteArray();
    response.getHeaders().put("Content-Length", String.valueOf(body.length));
    response.write(true, ByteBuffer.wrap(body), done);
  }

  /** Whether an answer was written (or is being written). */
  boolean answered() {
    return committed.get();
  }

  private static InetSocketAddress address(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet : new InetSocketAddress(0);
  }
}
