package io.optin.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.http.HttpExchanges;
import io.optin.kit.http.HttpRoute;
import java.io.IOException;

/**
 * {@code POST /v1/signups} over HTTP: reads a bounded body, lets {@link SignupIntake} decide,
 * writes the answer.
 */
public final class SignupHandler implements HttpHandler {

  public static final String PATH = "/v1/signups";

  private final SignupIntake intake;

  public SignupHandler(SignupIntake intake) {
    this.intake = intake;
  }

  /** The route to mount on the application's HTTP server. */
  public HttpRoute route() {
    return new HttpRoute(PATH, this);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!HttpExchanges.accepts(exchange, PATH, "POST")) {
        return;
      }
      SignupAnswer answer;
      try {
        answer = intake.submit(HttpExchanges.readBody(exchange));
      } catch (HttpExchanges.BodyTooLargeException e) {
        answer = intake.oversized(HttpExchanges.MAX_BODY_BYTES);
      }
      if (answer.retryAfterSeconds() != null) {
        exchange.getResponseHeaders().set("Retry-After", Long.toString(answer.retryAfterSeconds()));
      }
      HttpExchanges.sendJson(exchange, answer.status(), answer.body());
    }
  }
}
