package io.optin.devkit.sandbox;

import io.optin.kit.http.HttpLimits;
import io.optin.kit.http.HttpPort;
import io.optin.kit.http.LoopbackHosts;
import io.optin.kit.threads.NamedThreads;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Twilio stand-in for the embedded default and tests: the Messages API subset twilio-java
 * uses to send an SMS or a WhatsApp template message, the Calls API subset to place a call with
 * inline TwiML, Twilio's magic test numbers ({@link MagicNumbers}), signed status callbacks played
 * by a {@link DeliveryScript}, replies "from the phone" (SMS or WhatsApp) as signed inbound
 * webhooks, keys pressed during a call as signed {@code <Gather>} webhooks, and a page at {@code /}
 * listing every message and call.
 *
 * <p>Nothing leaves the machine: messages are kept in memory (bounded) and never sent to a real
 * phone.
 */
public final class TwilioSandbox implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TwilioSandbox.class);

  static final int MAX_MESSAGES_PER_PHONE = 200;
  static final int MAX_PHONES = 1000;
  static final int MAX_CALLS = 2000;

  /**
   * Answers a slow provider ({@link #apiAnswerDelay}) may hold at once, each on a request thread: a
   * sender with 256 requests in flight against a 300 ms provider.
   */
  static final int MAX_HELD_ANSWERS = 512;

  /**
   * Enough threads that answers held by a slow-provider delay do not starve the page and the other
   * requests; bodies up to 64 KiB, like optin's port.
   */
  static final int DEFAULT_THREADS = MAX_HELD_ANSWERS + 16;

  public static final Duration DEFAULT_CALLBACK_DELAY = Duration.ofMillis(500);

  private final String host;
  private final int requestedPort;
  private final String accountSid;
  private final String authToken;
  private final Clock clock = Clock.systemUTC();
  private final MessageLog messages;
  private final CallLog calls = new CallLog(MAX_CALLS);
  private final WebhookSender webhooks;
  private final PhoneReplies replies;
  private final AnswerDelay answerDelay = new AnswerDelay();

  private volatile DeliveryScript deliveryScript = DeliveryScript.standard();
  private volatile Duration callbackDelay = DEFAULT_CALLBACK_DELAY;
  private volatile URI inboundWebhookUrl;
  private volatile Consumer<SandboxMessage> phones = message -> {};

  private int threads = DEFAULT_THREADS;
  private HttpPort server;
  private ScheduledExecutorService callbackThreads;
  private CallProgress callProgress;

  /**
   * @param host interface to listen on, usually 127.0.0.1
   * @param port 0 for any free port
   * @param accountSid the account sid clients authenticate with (and put in the URL)
   * @param authToken the auth token clients authenticate with, and the key of every webhook
   *     signature
   */
  public TwilioSandbox(String host, int port, String accountSid, String authToken) {
    this(host, port, accountSid, authToken, MAX_PHONES);
  }

  /**
   * A sandbox that remembers the conversations of up to {@code maxPhones} phones (the least
   * recently active are forgotten first) instead of {@value #MAX_PHONES}: a test driving more
   * phones than that, whose sender looks messages up after a crash, needs every one of them.
   */
  public TwilioSandbox(String host, int port, String accountSid, String authToken, int maxPhones) {
    this.messages = new MessageLog(MAX_MESSAGES_PER_PHONE, maxPhones);
    this.host = Objects.requireNonNull(host, "host");
    this.requestedPort = port;
    this.accountSid = Objects.requireNonNull(accountSid, "accountSid");
    this.authToken = Objects.requireNonNull(authToken, "authToken");
    this.webhooks = new WebhookSender(authToken);
    this.replies = new PhoneReplies(accountSid, messages, webhooks, clock);
  }

  /**
   * What the network reports after accepting an SMS (WhatsApp messages are delivered); {@link
   * DeliveryScript#standard()} by default.
   */
  public TwilioSandbox deliveryScript(DeliveryScript script) {
    this.deliveryScript = Objects.requireNonNull(script, "script");
    return this;
  }

  /**
   * What the network reports for a message to {@code to}: the script's word for an SMS; a WhatsApp
   * message ({@code whatsapp:}) is delivered, unless to a magic number: the script describes the
   * SMS network, and an SMS filtered or lost says nothing of WhatsApp.
   */
  private DeliveryOutcome outcomeFor(String to) {
    return to.startsWith("whatsapp:") ? DeliveryOutcome.DELIVERED : deliveryScript.outcomeFor(to);
  }

  /** The wait before each status of a delivery; {@link #DEFAULT_CALLBACK_DELAY} by default. */
  public TwilioSandbox callbackDelay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    this.callbackDelay = delay;
    return this;
  }

  /**
   * How long the Messages API holds its answer to a message create after accepting the message
   * (zero by default): a slow provider. The message is recorded (accepted) at once; its answer,
   * then its delivery statuses, wait. A change applies to the answers already held, so shortening
   * the delay releases them. At most one hour.
   */
  public TwilioSandbox apiAnswerDelay(Duration delay) {
    answerDelay.set(delay);
    return this;
  }

  /**
   * Answers to accepted messages that the Messages API is holding back right now (see {@link
   * #apiAnswerDelay}).
   */
  public int heldApiAnswers() {
    return answerDelay.held();
  }

  /**
   * Where replies typed on the page are posted (optin's {@code /webhooks/twilio/inbound}); may
   * change any time.
   */
  public TwilioSandbox inboundWebhookUrl(URI url) {
    this.inboundWebhookUrl = url;
    return this;
  }

  /**
   * Called with each message the Messages API accepts, the moment it has answered the sender: as
   * the phone receives it. A load test's phones answer from here (hand the answer to another
   * thread: this is the API's).
   */
  public TwilioSandbox onReceived(Consumer<SandboxMessage> phone) {
    this.phones = Objects.requireNonNull(phone, "phone");
    return this;
  }

  /**
   * Request threads of the HTTP port, before {@link #start()}; {@value #DEFAULT_THREADS} by
   * default. Each answer held by {@link #apiAnswerDelay} holds one, so a load of R messages a
   * second against a provider that answers in D seconds needs at least R × D of them.
   */
  public synchronized TwilioSandbox threads(int count) {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    if (count < 1) {
      throw new IllegalArgumentException("threads must be positive: " + count);
    }
    this.threads = count;
    return this;
  }

  public synchronized TwilioSandbox start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    callbackThreads =
        Executors.newScheduledThreadPool(2, NamedThreads.daemons("twilio-sandbox-callback-"));
    StatusCallbacks callbacks = new StatusCallbacks(messages, webhooks, callbackThreads, clock);
    callProgress =
        new CallProgress(
            calls, webhooks, callbackThreads, clock, () -> callbackDelay, () -> inboundWebhookUrl);
    MessagesApi api =
        new MessagesApi(
            accountSid,
            authToken,
            messages,
            message -> {
              callbacks.play(
                  message,
                  MagicNumbers.deliveryTo(message.to()).orElseGet(() -> outcomeFor(message.to())),
                  callbackDelay);
              phones.accept(message);
            },
            answerDelay,
            clock,
            new CallsApi(accountSid, calls, callProgress, clock));
    server =
        HttpPort.open(
            "twilio-sandbox-http",
            host,
            requestedPort,
            HttpLimits.withThreads(threads),
            onlyThisMachine(
                HttpPort.prefixes(
                    Map.of("/2010-04-01/", api, "/", new SandboxWeb(this, messages, calls)))),
            new HttpPort.Dialect(
                (status, reason, field) ->
                    Responses.errorJson(TwilioError.refusedByPort(status, reason)),
                "application/json; charset=utf-8",
                false));
    log.info("Twilio sandbox listening on {} (page at {}/)", baseUrl(), baseUrl());
    return this;
  }

  /**
   * The page shows every code sent and answers as any phone: no other site may read it (DNS
   * rebinding) or post to it from the developer's browser.
   */
  private static HttpPort.Router onlyThisMachine(HttpPort.Router next) {
    LoopbackHosts hosts = LoopbackHosts.plus(Set.of());
    return head ->
        hosts
            .refusal(head)
            .<HttpPort.Decision>map(refusal -> refusal)
            .orElseGet(() -> next.route(head));
  }

  /** Where twilio-java should send its requests ({@code twilio.api.base.url}). */
  public URI baseUrl() {
    String address = host.contains(":") ? "[" + host + "]" : host;
    if (host.equals("0.0.0.0") || host.equals("::")) {
      address = "127.0.0.1";
    }
    return URI.create("http://" + address + ":" + port());
  }

  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.port();
  }

  public String accountSid() {
    return accountSid;
  }

  public URI inboundWebhookUrl() {
    return inboundWebhookUrl;
  }

  public DeliveryScript deliveryScript() {
    return deliveryScript;
  }

  /**
   * Every message sent to this phone (through the API or as a TwiML answer), oldest first, current
   * status.
   */
  public List<SandboxMessage> messagesTo(String phone) {
    return messages.conversation(phone).stream().filter(m -> !m.inbound()).toList();
  }

  /** This phone's whole conversation with optin, both directions, oldest first. */
  public List<SandboxMessage> conversationWith(String phone) {
    return messages.conversation(phone);
  }

  /**
   * The phone {@code fromPhone} texts {@code body} to optin's number {@code toNumber}: posts
   * Twilio's signed inbound-message webhook to {@code inboundWebhookUrl} and returns its answer.
   * Messages of a TwiML answer are recorded as sent to the phone.
   *
   * @throws java.io.UncheckedIOException when the webhook cannot be reached
   */
  public WebhookAnswer reply(
      String fromPhone, String toNumber, String body, URI inboundWebhookUrl) {
    return replies.reply(
        fromPhone, toNumber, body, Objects.requireNonNull(inboundWebhookUrl, "inboundWebhookUrl"));
  }

  /** {@link #reply(String, String, String, URI)} to the configured inbound webhook URL. */
  public WebhookAnswer reply(String fromPhone, String toNumber, String body) {
    URI url = inboundWebhookUrl;
    if (url == null) {
      throw new IllegalStateException("no inbound webhook URL configured");
    }
    return reply(fromPhone, toNumber, body, url);
  }

  /**
   * Twilio's retry of an inbound webhook that got no answer or an error: posts the phone's reply
   * {@code messageSid} again, same MessageSid and fields, to {@code inboundWebhookUrl}, and returns
   * its answer.
   *
   * @throws IllegalArgumentException when no inbound message has that sid (or it has been
   *     forgotten)
   * @throws java.io.UncheckedIOException when the webhook cannot be reached
   */
  public WebhookAnswer redeliver(String messageSid, URI inboundWebhookUrl) {
    return replies.redeliver(
        messageSid, Objects.requireNonNull(inboundWebhookUrl, "inboundWebhookUrl"));
  }

  /** The calls placed to this number, oldest first, as they are now. */
  public List<SandboxCall> callsTo(String phone) {
    return calls.to(phone);
  }

  /** The call with this sid, as it is now. */
  public java.util.Optional<SandboxCall> call(String callSid) {
    return calls.find(callSid);
  }

  /**
   * The callee presses {@code digits} on call {@code callSid}: Twilio's signed {@code <Gather>}
   * webhook is posted to its {@code action} (CallSid, AccountSid, From our number, To the callee,
   * Direction outbound-api, CallStatus in-progress, Digits) and its TwiML answer is heard; the call
   * completes unless that answer gathers again.
   *
   * @throws IllegalArgumentException when the keys are not 1 to 20 of 0-9, * and #
   * @throws IllegalStateException when the call is unknown or no {@code <Gather>} listens
   * @throws java.io.UncheckedIOException when the action cannot be reached (the call then ends)
   */
  public WebhookAnswer press(String callSid, String digits) {
    return started().press(callSid, digits);
  }

  /**
   * {@link #press} on the oldest call to {@code phone} that listens for keys and that no other
   * caller is pressing on; empty when there is none (yet).
   */
  public java.util.Optional<PressedCall> pressOnNextCall(String phone, String digits) {
    return started()
        .pressOnNextCall(phone, digits)
        .map(p -> new PressedCall(p.callSid(), p.answer()));
  }

  /** A key press on call {@code callSid} and what optin's webhook answered. */
  public record PressedCall(String callSid, WebhookAnswer answer) {}

  /** The callee hangs up: the call completes (reported if asked). */
  public void hangUp(String callSid) {
    started().hangUp(callSid);
  }

  private synchronized CallProgress started() {
    if (callProgress == null || server == null) {
      throw new IllegalStateException("not started");
    }
    return callProgress;
  }

  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    server.close();
    callbackThreads.shutdownNow();
    try {
      callbackThreads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server = null;
  }
}
