package io.optin.kit.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link HttpClient} for tests that checks every answer it receives against docs/openapi.yaml
 * ({@link OpenApiContract}) and fails the test at the first mismatch, so the document cannot drift
 * from what the services answer. Counts the answers it validated.
 */
public final class ContractCheckedHttpClient {

  private static final OpenApiContract CONTRACT = OpenApiContract.load();

  /** Answers validated by every client of this JVM. */
  private static final AtomicInteger VALIDATED_IN_JVM = new AtomicInteger();

  private final HttpClient http;
  private final AtomicInteger validated = new AtomicInteger();

  private ContractCheckedHttpClient(HttpClient http) {
    this.http = http;
  }

  public static ContractCheckedHttpClient newClient() {
    return wrap(HttpClient.newHttpClient());
  }

  public static ContractCheckedHttpClient wrap(HttpClient http) {
    return new ContractCheckedHttpClient(http);
  }

  /**
   * Sends {@code request}, reads the answer as text, and checks the pair against the document.
   *
   * @throws AssertionError when the answer does not match the document
   */
  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    check(request, response);
    return response;
  }

  /** As {@link #send(HttpRequest)}; the handler must read the body as a string. */
  public HttpResponse<String> send(
      HttpRequest request, HttpResponse.BodyHandler<String> bodyHandler)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, bodyHandler);
    check(request, response);
    return response;
  }

  /** As {@link #send(HttpRequest, HttpResponse.BodyHandler)}; a mismatch fails the future. */
  public CompletableFuture<HttpResponse<String>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<String> bodyHandler) {
    return http.sendAsync(request, bodyHandler)
        .thenApply(
            response -> {
              check(request, response);
              return response;
            });
  }

  private void check(HttpRequest request, HttpResponse<String> response) {
    CONTRACT.assertMatches(
        request.method(),
        request.uri(),
        request.headers().firstValue("Content-Type").orElse(null),
        bodyOf(request),
        response.statusCode(),
        response.headers().map(),
        response.body());
    validated.incrementAndGet();
    VALIDATED_IN_JVM.incrementAndGet();
  }

  /** Answers this client validated. */
  public int validated() {
    return validated.get();
  }

  /** Answers every client of this JVM validated. */
  public static int validatedInJvm() {
    return VALIDATED_IN_JVM.get();
  }

  /** The request's body, read again from its publisher (the JDK's publishers can be re-read). */
  private static String bodyOf(HttpRequest request) {
    if (request.bodyPublisher().isEmpty() || request.bodyPublisher().get().contentLength() == 0) {
      return "";
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CompletableFuture<Void> done = new CompletableFuture<>();
    request
        .bodyPublisher()
        .get()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
              }

              @Override
              public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
              }

              @Override
              public void onComplete() {
                done.complete(null);
              }
            });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the request body again", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
