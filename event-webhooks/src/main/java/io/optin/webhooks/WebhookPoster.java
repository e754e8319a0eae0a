package io.optin.webhooks;

import io.optin.kit.threads.NamedThreads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * POSTs one signed event to one endpoint, asynchronously, with a deadline on the connection and on
 * the answer. Each attempt is signed at its own time, so a retry hours later still passes a
 * receiver's 5-minute tolerance. Redirects are not followed: an endpoint answers itself.
 */
final class WebhookPoster implements AutoCloseable {

  static final String EVENT_ID_HEADER = "Optin-Event-Id";
  static final String EVENT_TYPE_HEADER = "Optin-Event-Type";

  private final WebhookSignature signature;
  private final Duration timeout;
  private final Clock clock;
  private final ExecutorService executor;
  private final HttpClient http;

  WebhookPoster(WebhookSignature signature, Duration timeout, int threads, Clock clock) {
    this.signature = signature;
    this.timeout = timeout;
    this.clock = clock;
    this.executor =
        Executors.newFixedThreadPool(
            Math.max(2, Math.min(threads, 8)), NamedThreads.daemons("optin-webhooks-http-"));
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .build();
  }

  CompletableFuture<EndpointLane.Attempt> post(URI endpoint, WebhookEvent event, byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "optin-webhooks")
            .header(EVENT_ID_HEADER, event.id())
            .header(EVENT_TYPE_HEADER, event.type())
            .header(
                WebhookSignature.HEADER, signature.header(clock.instant().getEpochSecond(), body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .handle(
              (response, failure) ->
                  failure == null
                      ? new EndpointLane.Attempt(response.statusCode(), null)
                      : new EndpointLane.Attempt(-1, describe(failure)));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new EndpointLane.Attempt(-1, describe(e)));
    }
  }

  private static String describe(Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
