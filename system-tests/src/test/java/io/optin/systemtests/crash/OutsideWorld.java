package io.optin.systemtests.crash;

import static org.awaitility.Awaitility.await;

import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.devkit.sandbox.WebhookAnswer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everyone outside optin during a crash test: the marketing platform posting signups, and the
 * phones answering YES to their code. Each retries what got no answer, a 5xx or a 429, as in
 * production: the platform its signup (same idempotency key), Twilio the reply's webhook (same
 * MessageSid). Any other 4xx is final: nobody retries a request the server called wrong, so such an
 * answer loses the signup or the reply. Calls run concurrently, so some are in flight at a kill.
 */
final class OutsideWorld implements AutoCloseable {

  /** Where one signup or one reply stands. */
  enum Call {
    IN_FLIGHT,
    ANSWERED,
    UNANSWERED,
    REFUSED
  }

  private static final String PROGRAM = "acme-deals";

  private final TwilioSandbox sandbox;
  private final URI gateway;
  private final URI inboundWebhook;
  private final ExecutorService callers = Executors.newFixedThreadPool(12);
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final Map<String, Call> signups = new ConcurrentHashMap<>();
  private final Map<String, Call> replies = new ConcurrentHashMap<>();
  private final Map<String, String> replySids = new ConcurrentHashMap<>();
  private final Set<String> redeliveredSids = ConcurrentHashMap.newKeySet();
  private final AtomicInteger redeliveries = new AtomicInteger();
  private final Map<String, Integer> refusals = new ConcurrentHashMap<>();

  OutsideWorld(TwilioSandbox sandbox, URI gateway, URI inboundWebhook) {
    this.sandbox = sandbox;
    this.gateway = gateway;
    this.inboundWebhook = inboundWebhook;
  }

  /** The platform posts a signup for each phone it has not posted yet. */
  void signUp(Collection<String> phones) {
    phones.forEach(
        phone -> {
          if (signups.putIfAbsent(phone, Call.IN_FLIGHT) == null) {
            callers.submit(() -> postSignup(phone));
          }
        });
  }

  /** The platform retries every signup that got no 202 (or 409: already confirmed). */
  void retrySignups() {
    signups
        .keySet()
        .forEach(
            phone -> {
              if (signups.replace(phone, Call.UNANSWERED, Call.IN_FLIGHT)) {
                callers.submit(() -> postSignup(phone));
              }
            });
  }

  /**
   * Each phone whose code has arrived answers YES once; Twilio redelivers each reply whose webhook
   * got no answer or an error.
   */
  void answerCodes(Collection<String> phones) {
    phones.forEach(
        phone -> {
          boolean first =
              !replies.containsKey(phone)
                  && codeArrived(phone)
                  && replies.putIfAbsent(phone, Call.IN_FLIGHT) == null;
          if (first || replies.replace(phone, Call.UNANSWERED, Call.IN_FLIGHT)) {
            callers.submit(() -> reply(phone));
          }
        });
  }

  int replies(Call state) {
    return (int) replies.values().stream().filter(state::equals).count();
  }

  int signups(Call state) {
    return (int) signups.values().stream().filter(state::equals).count();
  }

  /** Whether every phone's signup and reply were answered. */
  boolean allAnswered(Collection<String> phones) {
    return phones.stream()
        .allMatch(p -> signups.get(p) == Call.ANSWERED && replies.get(p) == Call.ANSWERED);
  }

  /** Waits until no call is in flight any more (answered, or failed on a dead process). */
  void awaitCallsSettled() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> signups(Call.IN_FLIGHT) == 0 && replies(Call.IN_FLIGHT) == 0);
  }

  /**
   * Calls answered with a final 4xx, by what was called: "signup +1415…" or "reply +1415…" to its
   * status.
   */
  Map<String, Integer> refusals() {
    return Map.copyOf(refusals);
  }

  /**
   * Where one phone's flow stands outside optin, for a failure message: its signup call, whether
   * its code arrived, its reply call, and any final refusal.
   */
  String stageOf(String phone) {
    Integer signupRefusal = refusals.get("signup " + phone);
    Integer replyRefusal = refusals.get("reply " + phone);
    return "signup "
        + signups.get(phone)
        + (signupRefusal == null ? "" : " (" + signupRefusal + ")")
        + ", code "
        + (codeArrived(phone) ? "arrived" : "not arrived")
        + ", reply "
        + replies.get(phone)
        + (replyRefusal == null ? "" : " (" + replyRefusal + ")");
  }

  /** Webhook deliveries Twilio had to repeat. */
  int redeliveries() {
    return redeliveries.get();
  }

  /** The MessageSids of the replies delivered more than once. */
  Set<String> redeliveredSids() {
    return Set.copyOf(redeliveredSids);
  }

  @Override
  public void close() throws InterruptedException {
    callers.shutdownNow();
    callers.awaitTermination(30, TimeUnit.SECONDS);
  }

  private boolean codeArrived(String phone) {
    return sandbox.messagesTo(phone).stream()
        .anyMatch(m -> SandboxMessage.OUTBOUND_API.equals(m.direction()));
  }

  private void postSignup(String phone) {
    int status = -1;
    Call outcome;
    try {
      status =
          http.send(
                  HttpRequest.newBuilder(gateway.resolve("/v1/signups"))
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/json")
                      .header("Authorization", "Bearer " + CrashStack.API_TOKEN)
                      .POST(HttpRequest.BodyPublishers.ofString(signup(phone)))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      // 409: already confirmed, the first attempt went through.
      outcome = status == 202 || status == 409 ? Call.ANSWERED : retriedOrRefused(status);
    } catch (IOException e) {
      outcome = Call.UNANSWERED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = Call.UNANSWERED;
    }
    if (outcome == Call.REFUSED) {
      refusals.put("signup " + phone, status);
    }
    signups.put(phone, outcome);
  }

  private void reply(String phone) {
    String sid = replySids.get(phone);
    Call outcome;
    try {
      WebhookAnswer answer;
      if (sid == null) {
        answer = sandbox.reply(phone, CrashStack.FROM, "YES", inboundWebhook);
      } else {
        redeliveries.incrementAndGet();
        redeliveredSids.add(sid);
        answer = sandbox.redeliver(sid, inboundWebhook);
      }
      outcome = answer.successful() ? Call.ANSWERED : retriedOrRefused(answer.status());
      if (outcome == Call.REFUSED) {
        refusals.put("reply " + phone, answer.status());
      }
    } catch (UncheckedIOException e) {
      outcome = Call.UNANSWERED;
    }
    if (sid == null) {
      // The phone texted once: its only inbound message is the reply to redeliver.
      sandbox.conversationWith(phone).stream()
          .filter(SandboxMessage::inbound)
          .findFirst()
          .ifPresent(inbound -> replySids.put(phone, inbound.sid()));
    }
    replies.put(phone, outcome);
  }

  private static Call retriedOrRefused(int status) {
    return status >= 500 || status == 429 ? Call.UNANSWERED : Call.REFUSED;
  }

  private static String signup(String phone) {
    return "{\"phone\":\""
        + phone
        + "\",\"programId\":\""
        + PROGRAM
        + "\",\"consentText\":\"Yes, text me Acme "
        + "offers. Msg & data rates may apply. Reply STOP to opt out.\",\"source\":{\"channel\":\"web_form\","
        + "\"url\":\"https://acme.example/join\",\"ip\":\"203.0.113.7\"},\"locale\":\"en-US\","
        + "\"idempotencyKey\":\"signup-"
        + phone
        + "\"}";
  }
}
