package io.optin.kit.testing;

import com.sun.net.httpserver.HttpServer;
import io.optin.kit.http.HttpRoute;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real JDK HTTP server on 127.0.0.1 and a free port, serving the given routes, with a client to
 * call it.
 */
public final class LocalHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpClient client = HttpClient.newHttpClient();

  public LocalHttpServer(List<HttpRoute> routes) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    routes.forEach(route -> server.createContext(route.pathPrefix(), route.handler()));
    server.setExecutor(executor);
    server.start();
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
