package io.optin.systemtests.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.devkit.sandbox.WebhookAnswer;
import io.optin.systemtests.crash.ScaleOutStack.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The platform and the phones of a scale-out test, spreading every call round-robin over the
 * instances as a load balancer would. The platform posts signups (retrying on another instance what
 * got no answer, a 5xx or a 429, same idempotency key); each phone, once its code arrives, answers
 * as its {@link Kind} says: YES by SMS (Twilio's webhook, redelivered with the same MessageSid to
 * another instance when it failed), its code on the site ({@code POST /v1/verifications}, asked
 * again while it has no outcome), STOP by SMS, or never. Every answer is kept with the instance
 * that gave it.
 */
final class ScaleOutWorld implements AutoCloseable {

  /** What a phone does with its code. */
  enum Kind {
    YES,
    CODE,
    STOP,
    SILENT;

    boolean confirms() {
      return this == YES || this == CODE;
    }
  }

  /** How an answer to a YES, a code or a STOP came out. */
  enum Outcome {
    /** The confirmation text, or 200 confirmed / already_confirmed. */
    CONFIRMED,
    /** The STOP text. */
    OPTED_OUT,
    /** 200 with an empty TwiML, or 202 pending: recorded, outcome not known to who answered. */
    NO_OUTCOME,
    /** 404: no challenge known for the phone (the code entry is parked). */
    NO_CHALLENGE,
    /** Any other answer: a wrong outcome. */
    WRONG,
    /** No answer, a 5xx or a 429: asked again. */
    FAILED
  }

  record Flow(int index, String phone, Kind kind, String ip) {}

  record Answer(
      Flow flow,
      String instance,
      int attempt,
      long sentAt,
      long answeredAt,
      long answeredAtMillis,
      int status,
      Outcome outcome,
      String body) {}

  /** A signup posted again with the key of an accepted one, to another instance. */
  record Replay(
      Flow flow, String firstInstance, String firstId, String instance, int status, String id) {}

  static final String SIGNUP = "signup accepted";
  static final String SMS = "code SMS received";
  static final String ANSWER = "answer";

  private static final Pattern CODE = Pattern.compile("(?<!\\d)\\d{6}(?!\\d)");
  private static final Duration RETRY_AFTER = Duration.ofMillis(500);
  private static final Duration ASK_AGAIN_AFTER = Duration.ofSeconds(2);
  private static final int MAX_ASKS = 6;
  // Apostrophes are escaped in TwiML: the part of each text without one.
  private static final String CONFIRMED_TEXT = "confirmed! Thanks for subscribing.";
  private static final String STOP_TEXT = "You are unsubscribed";

  private final TwilioSandbox sandbox;
  private final List<Instance> ingest;
  private final List<Instance> replies;
  private final Map<String, Flow> flows;
  private final Duration thinkTime;
  private final Progress progress;
  private final ObjectMapper json = new ObjectMapper();
  private final ExecutorService callers = Executors.newFixedThreadPool(64);
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final AtomicInteger nextIngest = new AtomicInteger();
  private final AtomicInteger nextReplies = new AtomicInteger();
  private final Map<String, String> accepted = new ConcurrentHashMap<>();
  private final Map<String, String> acceptedBy = new ConcurrentHashMap<>();
  private final Map<String, Integer> refusedSignups = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> signupAttempts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> codeSms = new ConcurrentHashMap<>();
  private final Map<String, Answer> finalAnswers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Replay> replays = new ConcurrentLinkedQueue<>();
  private final Map<String, String> inboundSids = new ConcurrentHashMap<>();
  private final java.util.Set<String> answeredPhones = ConcurrentHashMap.newKeySet();
  private final Map<String, List<String>> signupCalls = new ConcurrentHashMap<>();
  private volatile boolean closed;

  ScaleOutWorld(
      TwilioSandbox sandbox,
      List<Instance> ingest,
      List<Instance> replies,
      Collection<Flow> flows,
      Duration thinkTime,
      Progress progress) {
    this.sandbox = sandbox;
    this.ingest = List.copyOf(ingest);
    this.replies = List.copyOf(replies);
    this.flows = flows.stream().collect(Collectors.toUnmodifiableMap(Flow::phone, f -> f));
    this.thinkTime = thinkTime;
    this.progress = progress;
    sandbox.onReceived(this::received);
  }

  /** {@code count} flows: YES 40 %, code entry 30 %, STOP 15 %, silent 15 %, each its own IP. */
  static List<Flow> flows(int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i -> {
              int slot = i % 20;
              Kind kind =
                  slot < 8 ? Kind.YES : slot < 14 ? Kind.CODE : slot < 17 ? Kind.STOP : Kind.SILENT;
              return new Flow(i, phone(i), kind, "198.18." + (i / 250) + "." + (i % 250 + 1));
            })
        .toList();
  }

  /** Fictional {@code +1 NPA 555 XXXX} numbers, over several area codes (so several prefixes). */
  static String phone(int i) {
    String[] areas = {"201", "212", "305", "312", "415", "512", "617", "702"};
    return String.format("+1%s555%04d", areas[i % areas.length], i / areas.length);
  }

  // ---- signups

  /** Posts the flow's signup (to the next ingest instance); retried until answered for good. */
  void signUp(Flow flow) {
    callers.submit(() -> postSignup(flow, 1));
  }

  /**
   * Posts one signup synchronously to this instance, with its own idempotency key: the limits
   * check. The status and body.
   */
  Call postOnce(Instance instance, String phone, String ip, String key) {
    return post(instance.gateway().resolve("/v1/signups"), signupJson(phone, ip, key));
  }

  private List<String> callsOf(String phone) {
    return signupCalls.computeIfAbsent(
        phone, p -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()));
  }

  /** Every signup call made for the phone: instance and status, in order. */
  List<String> signupCalls(String phone) {
    return List.copyOf(callsOf(phone));
  }

  private void postSignup(Flow flow, int attempt) {
    if (closed) {
      return;
    }
    signupAttempts.computeIfAbsent(flow.phone(), p -> new AtomicInteger()).incrementAndGet();
    Instance instance = next(ingest, nextIngest);
    Call call =
        post(
            instance.gateway().resolve("/v1/signups"),
            signupJson(flow.phone(), flow.ip(), "signup-" + flow.phone()));
    callsOf(flow.phone()).add(instance.name() + " " + call.status());
    if (call.status() == 202) {
      String id = call.field("signupId");
      accepted.put(flow.phone(), id);
      acceptedBy.put(flow.phone(), instance.name());
      progress.record(SIGNUP);
      // One flow in ten: the platform, unsure of the first answer, posts the same key again
      // through the load balancer's other instance; the answer must be the first one.
      if (flow.index() % 10 == 0 && ingest.size() > 1) {
        Instance other = ingest.get((ingest.indexOf(instance) + 1) % ingest.size());
        Call again =
            post(
                other.gateway().resolve("/v1/signups"),
                signupJson(flow.phone(), flow.ip(), "signup-" + flow.phone()));
        callsOf(flow.phone()).add("replay " + other.name() + " " + again.status());
        replays.add(
            new Replay(
                flow, instance.name(), id, other.name(), again.status(), again.field("signupId")));
      }
    } else if (call.status() == -1
        || call.status() >= 500
        || call.status() == 429
        || call.status() == 409) {
      // 409: the same key still being processed (its first attempt cut short): asked again.
      later(() -> postSignup(flow, attempt + 1), RETRY_AFTER);
    } else {
      refusedSignups.put(flow.phone() + " via " + instance.name(), call.status());
    }
  }

  // ---- phones

  private void received(SandboxMessage message) {
    if (!SandboxMessage.OUTBOUND_API.equals(message.direction())) {
      return;
    }
    Flow flow = flows.get(message.to());
    if (flow == null) {
      return;
    }
    progress.record(SMS);
    int n = codeSms.computeIfAbsent(flow.phone(), p -> new AtomicInteger()).incrementAndGet();
    if (n > 1 || flow.kind() == Kind.SILENT) {
      return;
    }
    Matcher code = CODE.matcher(message.body());
    if (!code.find()) {
      throw new IllegalStateException("no code in " + message.body());
    }
    // A person takes a moment to answer; and the sandbox's API thread must not be held.
    later(() -> answer(flow, code.group(), 1), thinkTime);
  }

  private void answer(Flow flow, String code, int attempt) {
    if (closed) {
      return;
    }
    Instance instance = next(replies, nextReplies);
    long sentAt = System.nanoTime();
    Answer answer =
        switch (flow.kind()) {
          case YES, STOP -> text(flow, instance, attempt, sentAt);
          case CODE -> verification(flow, instance, code, attempt, sentAt);
          case SILENT -> throw new IllegalStateException("a silent phone answered");
        };
    answers.add(answer);
    if (answer.outcome() != Outcome.FAILED) {
      progress.record(ANSWER);
      answeredPhones.add(flow.phone());
    }
    switch (answer.outcome()) {
      case FAILED -> later(() -> answer(flow, code, attempt + 1), RETRY_AFTER);
      case NO_OUTCOME, NO_CHALLENGE -> {
        // The site asks again for a code entry it got no outcome for; Twilio does not redeliver
        // a webhook it got a 200 for.
        if (flow.kind() == Kind.CODE && attempt < MAX_ASKS) {
          later(() -> answer(flow, code, attempt + 1), ASK_AGAIN_AFTER);
        } else {
          finalAnswers.put(flow.phone(), answer);
        }
      }
      default -> finalAnswers.put(flow.phone(), answer);
    }
  }

  private Answer text(Flow flow, Instance instance, int attempt, long sentAt) {
    URI webhook = instance.gateway().resolve("/webhooks/twilio/inbound");
    String body = flow.kind() == Kind.YES ? "YES" : "STOP";
    WebhookAnswer answer;
    try {
      String sid = inboundSids.get(flow.phone());
      answer =
          sid == null
              ? sandbox.reply(flow.phone(), ScaleOutStack.FROM, body, webhook)
              : sandbox.redeliver(sid, webhook);
    } catch (UncheckedIOException e) {
      answer = new WebhookAnswer(-1, e.getMessage());
    } finally {
      inboundSids.computeIfAbsent(
          flow.phone(),
          phone ->
              sandbox.conversationWith(phone).stream()
                  .filter(SandboxMessage::inbound)
                  .map(SandboxMessage::sid)
                  .findFirst()
                  .orElse(null));
    }
    Outcome outcome;
    if (answer.status() == -1 || answer.status() >= 500 || answer.status() == 429) {
      outcome = Outcome.FAILED;
    } else if (answer.status() != 200) {
      outcome = Outcome.WRONG;
    } else if (answer.body().contains(CONFIRMED_TEXT)) {
      outcome = Outcome.CONFIRMED;
    } else if (answer.body().contains(STOP_TEXT)) {
      outcome = Outcome.OPTED_OUT;
    } else if (!answer.body().contains("<Message")) {
      outcome = Outcome.NO_OUTCOME;
    } else {
      outcome = Outcome.WRONG;
    }
    return new Answer(
        flow,
        instance.name(),
        attempt,
        sentAt,
        System.nanoTime(),
        System.currentTimeMillis(),
        answer.status(),
        outcome,
        answer.body());
  }

  private Answer verification(Flow flow, Instance instance, String code, int attempt, long sentAt) {
    Call call =
        post(
            instance.gateway().resolve("/v1/verifications"),
            "{\"phone\":\""
                + flow.phone()
                + "\",\"programId\":\""
                + ScaleOutStack.PROGRAM
                + "\",\"code\":\""
                + code
                + "\"}");
    String status = call.field("status");
    Outcome outcome =
        switch (call.status()) {
          case 200 ->
              "confirmed".equals(status) || "already_confirmed".equals(status)
                  ? Outcome.CONFIRMED
                  : Outcome.WRONG;
          case 202 -> Outcome.NO_OUTCOME;
          case 404 -> Outcome.NO_CHALLENGE;
          case -1, 500, 502, 503, 504 -> Outcome.FAILED;
          default -> Outcome.WRONG;
        };
    return new Answer(
        flow,
        instance.name(),
        attempt,
        sentAt,
        System.nanoTime(),
        System.currentTimeMillis(),
        call.status(),
        outcome,
        call.body());
  }

  // ---- queries

  /** {@code GET path} on an instance: status and body, -1 when it could not be reached. */
  Call get(Instance instance, String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(instance.gateway().resolve(path))
                  .timeout(Duration.ofSeconds(15))
                  .header("Authorization", "Bearer " + ScaleOutStack.API_TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Call(response.statusCode(), response.body(), json);
    } catch (IOException e) {
      return new Call(-1, e.toString(), json);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Call(-1, "interrupted", json);
    }
  }

  static String subscriberPath(String phone) {
    return "/v1/subscribers/"
        + URLEncoder.encode(phone, StandardCharsets.UTF_8)
        + "?programId="
        + ScaleOutStack.PROGRAM;
  }

  /** Runs the calls on the callers' threads and waits for them all. */
  <T, R> Map<T, R> inParallel(Collection<T> inputs, Function<T, R> call) {
    Map<T, java.util.concurrent.Future<R>> futures = new java.util.LinkedHashMap<>();
    inputs.forEach(input -> futures.put(input, callers.submit(() -> call.apply(input))));
    Map<T, R> results = new java.util.LinkedHashMap<>();
    futures.forEach(
        (input, future) -> {
          try {
            results.put(input, future.get(60, TimeUnit.SECONDS));
          } catch (Exception e) {
            throw new IllegalStateException("call for " + input + " failed", e);
          }
        });
    return results;
  }

  // ---- what happened

  Map<String, String> acceptedSignups() {
    return Map.copyOf(accepted);
  }

  Map<String, String> acceptedBy() {
    return Map.copyOf(acceptedBy);
  }

  Map<String, Integer> refusedSignups() {
    return Map.copyOf(refusedSignups);
  }

  int signupAttempts() {
    return signupAttempts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Code SMS each phone received through the provider's API (the sandbox's callback). */
  Map<String, Integer> codeSms() {
    return codeSms.entrySet().stream()
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().get()));
  }

  Map<String, Answer> finalAnswers() {
    return Map.copyOf(finalAnswers);
  }

  List<Answer> answers() {
    return List.copyOf(answers);
  }

  /** Phones that got an answer (with or without its outcome) to what they sent. */
  int answeredPhones() {
    return answeredPhones.size();
  }

  /**
   * What is still missing for every flow to be settled: signups not accepted, and answering phones
   * without a final answer, by kind and the outcome of their last answer.
   */
  String missing() {
    Map<String, Answer> last = new java.util.HashMap<>();
    answers.forEach(a -> last.put(a.flow().phone(), a));
    Map<String, Long> unanswered =
        flows.values().stream()
            .filter(f -> f.kind() != Kind.SILENT && !finalAnswers.containsKey(f.phone()))
            .collect(
                Collectors.groupingBy(
                    f ->
                        f.kind()
                            + " last "
                            + (last.containsKey(f.phone())
                                ? last.get(f.phone()).outcome() + " " + last.get(f.phone()).status()
                                : "none")
                            + (codeSms.containsKey(f.phone()) ? "" : " (no code SMS)"),
                    java.util.TreeMap::new,
                    Collectors.counting()));
    // The calls of a few signups never accepted: which statuses kept them out (a 429 of a phone
    // whose tokens went on attempts answered 503 reads differently from endless 503s).
    List<String> notAccepted =
        flows.keySet().stream()
            .filter(phone -> !accepted.containsKey(phone))
            .sorted()
            .limit(5)
            .map(phone -> phone + " " + signupCalls(phone))
            .toList();
    return "signups not accepted "
        + (flows.size() - accepted.size())
        + " "
        + notAccepted
        + ", phones without a final answer "
        + unanswered;
  }

  List<Replay> replays() {
    return List.copyOf(replays);
  }

  Optional<Flow> flow(String phone) {
    return Optional.ofNullable(flows.get(phone));
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    timers.shutdownNow();
    callers.shutdownNow();
    callers.awaitTermination(30, TimeUnit.SECONDS);
  }

  // ---- plumbing

  /** What an HTTP call answered: status (-1: no answer) and body. */
  record Call(int status, String body, ObjectMapper json) {
    /** A text field of the JSON body, or null. */
    String field(String name) {
      try {
        JsonNode node = json.readTree(body);
        return node != null && node.hasNonNull(name) ? node.get(name).asText() : null;
      } catch (IOException e) {
        return null;
      }
    }
  }

  private Call post(URI uri, String body) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(20))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + ScaleOutStack.API_TOKEN)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Call(response.statusCode(), response.body(), json);
    } catch (IOException e) {
      return new Call(-1, e.toString(), json);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Call(-1, "interrupted", json);
    }
  }

  private void later(Runnable task, Duration delay) {
    if (!closed) {
      timers.schedule(() -> callers.submit(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static Instance next(List<Instance> instances, AtomicInteger counter) {
    return instances.get(Math.floorMod(counter.getAndIncrement(), instances.size()));
  }

  private static String signupJson(String phone, String ip, String key) {
    return "{\"phone\":\""
        + phone
        + "\",\"programId\":\""
        + ScaleOutStack.PROGRAM
        + "\",\"consentText\":\"Yes, text me Acme offers. Msg & data rates may apply. Reply STOP"
        + " to opt out.\",\"source\":{\"channel\":\"web_form\",\"url\":\"https://acme.example/join\","
        + "\"ip\":\""
        + ip
        + "\"},\"locale\":\"en-US\",\"idempotencyKey\":\""
        + key
        + "\"}";
  }
}
