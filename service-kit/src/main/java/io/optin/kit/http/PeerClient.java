package io.optin.kit.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Asks another instance of the same deployment a question only it can answer (the owner of a key):
 * a GET with a connect and a request timeout, the API token, and {@value #FORWARDED} naming this
 * instance, so the answering side knows it must answer from its own state and never forward again.
 * At most {@code maxInFlight} requests at once: beyond, the call fails at once, so that two
 * instances forwarding to each other under load hold a bounded number of threads, each for a
 * bounded time.
 */
public final class PeerClient {

  /** The header marking a forwarded request; its value is the forwarding instance's URL. */
  public static final String FORWARDED = "X-Optin-Forwarded";

  /** The peer's answer: its status, content type, {@code Retry-After} and body. */
  public record Answer(int status, String contentType, String retryAfter, byte[] body) {}

  /** The peer could not be asked, or did not answer in time. */
  public static final class PeerUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean busy;

    public PeerUnavailableException(String message, boolean busy) {
      super(message);
      this.busy = busy;
    }

    /** Not asked at all: too many requests to peers in flight already. */
    public boolean busy() {
      return busy;
    }
  }

  private final HttpClient client;
  private final Optional<String> token;
  private final String self;
  private final Semaphore inFlight;

  /**
   * @param token sent as {@code Authorization: Bearer} when present (the peers' {@code api.tokens}
   *     hold it)
   * @param self this instance's advertised URL, sent in {@value #FORWARDED}
   */
  public PeerClient(Optional<String> token, String self, Duration connectTimeout, int maxInFlight) {
    this.token = Objects.requireNonNull(token, "token");
    this.self = Objects.requireNonNull(self, "self");
    this.inFlight = new Semaphore(maxInFlight);
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /**
   * GETs {@code base} + {@code pathAndQuery} (already percent-encoded), waiting {@code timeout} at
   * most for the whole answer.
   *
   * @throws PeerUnavailableException when too many requests are in flight, the peer cannot be
   *     reached, or it does not answer within {@code timeout}
   */
  public Answer get(URI base, String pathAndQuery, Duration timeout)
      throws PeerUnavailableException {
    if (!inFlight.tryAcquire()) {
      throw new PeerUnavailableException("too many requests to peers in flight", true);
    }
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(base.resolve(pathAndQuery))
              .timeout(timeout)
              .header(FORWARDED, self)
              .GET();
      token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
      HttpResponse<byte[]> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("Retry-After").orElse(null),
          response.body());
    } catch (HttpTimeoutException e) {
      throw new PeerUnavailableException(base + " did not answer within " + timeout, false);
    } catch (IOException e) {
      throw new PeerUnavailableException(base + " unreachable: " + e, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerUnavailableException("interrupted", false);
    } finally {
      inFlight.release();
    }
  }
}
