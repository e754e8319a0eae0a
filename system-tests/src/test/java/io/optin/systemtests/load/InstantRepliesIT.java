package io.optin.systemtests.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.avro.SubscriberConfirmed;
import io.optin.devkit.DevSettings;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.kit.config.Settings;
import io.optin.schemas.Topics;
import io.optin.systemtests.CommittedRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of signups a second whose phones answer YES the moment their SMS arrives (from the
 * sandbox's accept, before the sender has even recorded the send): every one confirms, once. A
 * reply processor that read a YES before its challenge used to lose it (answered "no challenge",
 * never confirmed).
 */
@Tag("system")
class InstantRepliesIT {

  private static final int SIGNUPS = 600;
  private static final int CLIENTS = 16;
  private static final int PHONES_ANSWERING = 32;

  @TempDir Path dataDir;

  private EmbeddedOptin optin;
  private ExecutorService phones;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startTheStack() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("OPTIN_DEV_BROKER_PORT", "0");
    environment.put("OPTIN_DEV_REGISTRY_PORT", "0");
    environment.put("OPTIN_DEV_SANDBOX_PORT", "0");
    environment.put("OPTIN_HTTP_PORT", "0");
    environment.put("OPTIN_DEV_DATA_DIR", dataDir.toString());
    // A burst from one form: the velocity limits and the pumping guard out of the way
    environment.put("OPTIN_LIMITS_IP_PER_HOUR", "1000000");
    environment.put("OPTIN_LIMITS_PREFIX_PER_HOUR", "1000000");
    environment.put("OPTIN_LIMITS_COUNTRY_PER_HOUR", "10000000");
    environment.put("OPTIN_LIMITS_PUMPING_MIN_CONFIRM_PERCENT", "0");
    environment.put("OPTIN_SMS_RATE_PER_SECOND", "1000");
    optin =
        EmbeddedOptin.start(Settings.load(DevSettings.CATALOGUE, Optional.empty(), environment));
    await().atMost(Duration.ofSeconds(120)).until(optin::isReady);
    phones = Executors.newFixedThreadPool(PHONES_ANSWERING);
  }

  @AfterEach
  void stopTheStack() {
    if (phones != null) {
      phones.shutdownNow();
    }
    if (optin != null) {
      optin.close();
    }
  }

  @Test
  void shouldConfirmEverySignupWhosePhoneAnswersYesTheMomentItsCodeArrives() throws Exception {
    // Given phones that answer YES the moment the provider accepts their SMS
    TwilioSandbox sandbox = optin.sandbox().orElseThrow();
    Map<String, String> answers = new ConcurrentHashMap<>();
    AtomicInteger replyFailures = new AtomicInteger();
    sandbox.onReceived(
        sms ->
            phones.submit(
                () -> {
                  try {
                    answers.put(sms.to(), sandbox.reply(sms.to(), sms.from(), "YES").body());
                  } catch (RuntimeException e) {
                    replyFailures.incrementAndGet();
                  }
                }));

    // When hundreds of signups arrive as fast as 16 clients send them
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < SIGNUPS; i++) {
      numbers.add(String.format("+1415555%04d", 1000 + i));
    }
    long start = System.nanoTime();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<Integer>> accepted = new ArrayList<>();
    for (String phone : numbers) {
      accepted.add(clients.submit(() -> signUp(phone)));
    }
    for (Future<Integer> status : accepted) {
      assertThat(status.get()).isEqualTo(202);
    }
    double sendSeconds = (System.nanoTime() - start) / 1e9;
    clients.shutdown();

    // Then every phone is confirmed exactly once
    CommittedRecords topics = new CommittedRecords(optin.bootstrapServers(), optin.registryUrl());
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> topics.read(Topics.CONFIRMED_SUBSCRIBERS).size() >= SIGNUPS);
    double allConfirmedSeconds = (System.nanoTime() - start) / 1e9;
    Map<String, Long> confirmations =
        topics.read(Topics.CONFIRMED_SUBSCRIBERS).stream()
            .collect(Collectors.groupingBy(SubscriberConfirmed::getPhone, Collectors.counting()));
    long answeredWithoutOutcome =
        answers.values().stream().filter(body -> !body.contains("confirmed")).count();
    System.out.printf(
        "INSTANT REPLIES: %d signups sent in %.1f s (%.0f/s); all %d confirmed %.1f s after the"
            + " first; %d YES answered without their outcome (read before the challenge, or the"
            + " outcome later than replies.answer.wait); %d replies failed%n",
        SIGNUPS,
        sendSeconds,
        SIGNUPS / sendSeconds,
        confirmations.size(),
        allConfirmedSeconds,
        answeredWithoutOutcome,
        replyFailures.get());
    assertThat(replyFailures).hasValue(0);
    assertThat(confirmations.keySet()).containsExactlyInAnyOrderElementsOf(numbers);
    assertThat(confirmations.values()).allMatch(count -> count == 1);
    assertThat(
            numbers.stream()
                .collect(Collectors.toMap(Function.identity(), answers::containsKey))
                .values())
        .allMatch(answered -> answered);
  }

  private int signUp(String phone) throws Exception {
    String json =
        "{\"phone\":\""
            + phone
            + "\",\"programId\":\"burst\",\"consentText\":\"Yes, text me offers. Reply STOP to"
            + " opt out.\",\"source\":{\"channel\":\"web_form\",\"ip\":\"203.0.113.7\"},"
            + "\"locale\":\"en-US\"}";
    return http.send(
            HttpRequest.newBuilder(URI.create(optin.gatewayUrl() + "/v1/signups"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
