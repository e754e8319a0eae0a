package io.optin.systemtests.fuzz;

import static io.optin.kit.config.SharedSettings.TWILIO_AUTH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.optin.avro.SignupRequested;
import io.optin.devkit.DevSettings;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.SandboxMessage;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.kit.config.Settings;
import io.optin.schemas.Topics;
import io.optin.systemtests.CommittedRecords;
import io.optin.systemtests.fuzz.FuzzReport.Kind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The whole stack, as {@code optin dev} runs it but with API tokens as in production, under at
 * least 10,000 seeded hostile inputs on loopback: no answer is a 5xx, no connection is dropped, no
 * hostile input is accepted or reaches the signup topic, every refusal on {@code /v1} is a JSON
 * error naming its field, {@code /health/live} answers within a second while 500 slow clients hold
 * connections, and a valid signup is confirmed afterwards. It prints what it saw before it judges.
 *
 * <p>Replay a run with {@code -Dfuzz.seed=N}; {@code -Dfuzz.count=N} changes the number of inputs
 * (at least 10,000 for the suite to pass); {@code -Dfuzz.devHostCheck=false} leaves the Host header
 * alone.
 */
// Heavy (a whole stack and tens of thousands of connections): runs with -Psystem.
@Tag("system")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FuzzIT {

  private static final long DEFAULT_SEED = 20_240_808L;
  private static final int MIN_INPUTS = 10_000;
  private static final String TOKEN = "fuzz-api-token-5f0c1e9a7b3d";
  private static final List<String> PROGRAMS = List.of("acme-deals", "acme-news");
  private static final String PROGRAMS_ALLOWED = "programs.allowed";
  private static final int CLIENT_THREADS = 8;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Shares of the inputs, in percent, by family. */
  private static final int SIGNUPS = 30;

  private static final int VERIFICATIONS = 10;
  private static final int WEBHOOKS = 16;
  private static final int PATHS = 17;
  private static final int REGISTRY = 6;

  @TempDir Path dataDir;

  private EmbeddedOptin optin;
  private boolean programsDeclared;

  @BeforeEach
  void startTheStackWithTokens() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("OPTIN_DEV_BROKER_PORT", "0");
    environment.put("OPTIN_DEV_REGISTRY_PORT", "0");
    environment.put("OPTIN_DEV_SANDBOX_PORT", "0");
    environment.put("OPTIN_HTTP_PORT", "0");
    environment.put("OPTIN_DEV_DATA_DIR", dataDir.toString());
    environment.put("OPTIN_TOPICS_PARTITIONS", "2");
    environment.put("OPTIN_API_TOKENS", TOKEN);
    environment.put("OPTIN_PROGRAMS_BRANDS", "acme-deals=Acme,acme-news=Acme News");
    // Hundreds of valid signups from one address in a minute: velocity limits out of the way
    environment.put("OPTIN_LIMITS_IP_PER_HOUR", "1000000");
    environment.put("OPTIN_LIMITS_PREFIX_PER_HOUR", "1000000");
    environment.put("OPTIN_LIMITS_COUNTRY_PER_HOUR", "10000000");
    environment.put("OPTIN_LIMITS_PUMPING_MIN_CONFIRM_PERCENT", "0");
    // Every valid (and every wrongly accepted) signup sends an SMS: the code of the valid flow
    // afterwards must not wait behind them at the default 10 a second
    environment.put("OPTIN_SMS_RATE_PER_SECOND", "1000");
    // Signed replies hold a thread while they wait for their outcome: not for long here
    environment.put("OPTIN_REPLIES_ANSWER_WAIT", "1s");
    programsDeclared = DevSettings.CATALOGUE.isKnownKey(PROGRAMS_ALLOWED);
    if (programsDeclared) {
      environment.put("OPTIN_PROGRAMS_ALLOWED", String.join(",", PROGRAMS));
    }
    optin =
        EmbeddedOptin.start(Settings.load(DevSettings.CATALOGUE, Optional.empty(), environment));
    await().atMost(Duration.ofSeconds(120)).until(optin::isReady);
  }

  @AfterEach
  void stopTheStack() {
    if (optin != null) {
      optin.close();
    }
  }

  @Test
  void shouldAnswerEveryHostileInputWithAClearRefusalAndKeepServing() throws Exception {
    // Given a seeded generator aimed at the stack
    long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
    int count = Integer.getInteger("fuzz.count", MIN_INPUTS);
    boolean devHostCheck = Boolean.parseBoolean(System.getProperty("fuzz.devHostCheck", "true"));
    int gatewayPort = optin.gatewayUrl().getPort();
    int registryPort = URI.create(optin.registryUrl()).getPort();
    FuzzTargets targets =
        new FuzzTargets(
            gatewayPort,
            TOKEN,
            optin.settings().optional(TWILIO_AUTH_TOKEN).orElseThrow(),
            optin.publicBaseUrl().toString(),
            PROGRAMS,
            programsDeclared,
            devHostCheck,
            optin.codes().length());
    Random random = new Random(seed);
    List<FuzzInput> inputs = new ArrayList<>(count);
    inputs.addAll(new SignupInputs(targets).generate(random, count * SIGNUPS / 100));
    inputs.addAll(new VerificationInputs(targets).generate(random, count * VERIFICATIONS / 100));
    inputs.addAll(new WebhookInputs(targets).generate(random, count * WEBHOOKS / 100));
    inputs.addAll(new PathInputs(targets).generate(random, count * PATHS / 100));
    inputs.addAll(new RegistryInputs(registryPort).generate(random, count * REGISTRY / 100));
    inputs.addAll(new ProtocolInputs(targets).generate(random, count - inputs.size()));
    Collections.shuffle(inputs, random);
    FuzzReport report = new FuzzReport();
    report.note(
        "Stack: EmbeddedOptin with api.tokens; programs.allowed "
            + (programsDeclared
                ? "declared (unknown programs hostile)"
                : "unknown to this product (unknown programs judged valid)")
            + "; Host checks "
            + (devHostCheck ? "on (dev)" : "off"));

    // When every input is sent, from a few client threads
    long start = System.nanoTime();
    Logger optinLogs = (Logger) LoggerFactory.getLogger("io.optin");
    Level level = optinLogs.getLevel();
    optinLogs.setLevel(Level.WARN); // thousands of refusals: their INFO lines would bury the report
    try (RawHttpClient client = new RawHttpClient(Duration.ofSeconds(5))) {
      new FuzzRunner(client, gatewayPort, registryPort, report).run(inputs, CLIENT_THREADS);
    } finally {
      optinLogs.setLevel(level);
    }
    long fuzzMillis = (System.nanoTime() - start) / 1_000_000;

    // And 40, 200, then 500 slow clients hold connections while /health/live is probed
    slowClients(gatewayPort, report);

    // Then a valid signup is still confirmed by a YES reply, and the topic holds valid signups only
    validFlowAfterwards(targets, report);
    onlyValidSignupsOnTheTopic(targets, report);

    report.print(System.out, seed, fuzzMillis);
    Path failuresFile = Path.of("target", "fuzz-failures.txt");
    Files.write(failuresFile, report.everyFailure());
    System.out.println("Every failure: " + failuresFile.toAbsolutePath());
    Map<Kind, Integer> failures = new EnumMap<>(Kind.class);
    Map<Kind, Integer> none = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      failures.put(kind, report.failures(kind));
      none.put(kind, 0);
    }
    assertThat(report.inputs()).isGreaterThanOrEqualTo(MIN_INPUTS);
    assertThat(failures).as("failures by kind (see the report above)").isEqualTo(none);
  }

  private static void slowClients(int port, FuzzReport report) {
    try (SlowClients slow = new SlowClients(port);
        RawHttpClient probe = new RawHttpClient(Duration.ofSeconds(2))) {
      for (int total : List.of(40, 200, 500)) {
        slow.openUpTo(total);
        List<String> latencies = new ArrayList<>();
        for (int i = 0; i < (total == 500 ? 5 : 3); i++) {
          RawHttpClient.Answer answer =
              probe.send(port, RawRequest.of("GET", "/health/live", "127.0.0.1:" + port).bytes());
          boolean quick = !answer.dropped() && answer.status() == 200 && answer.millis() < 1_000;
          latencies.add(
              answer.dropped()
                  ? "none within 2000 ms"
                  : answer.status() + " in " + answer.millis() + " ms");
          if (total == 500 && !quick) {
            report.fail(
                Kind.SLOW_CLIENTS,
                "GET /health/live",
                "probe "
                    + (i + 1)
                    + " with "
                    + slow.open()
                    + " slow connections: "
                    + latencies.get(i)
                    + (answer.dropped() ? " (" + answer.problem() + ")" : ""));
          }
        }
        report.note(
            String.format(
                "Slow clients %3d (open %d, refused %d, closed by the server %d): /health/live %s",
                total, slow.open(), slow.refused(), slow.closedByServer(), latencies));
      }
    }
  }

  /** Signup, SMS in the sandbox, YES, CONFIRMED: the process is alive and still works. */
  private void validFlowAfterwards(FuzzTargets targets, FuzzReport report) {
    int port = targets.gatewayPort;
    String phone = targets.validPhones.next();
    String encoded = phone.replace("+", "%2B");
    String consent = "Yes, text me Acme offers. Reply STOP to opt out.";
    targets.sentValid(phone, PROGRAMS.get(0), consent);
    String signup =
        Texts.json(
            Map.of(
                "phone",
                phone,
                "programId",
                PROGRAMS.get(0),
                "consentText",
                consent,
                "source",
                Map.of("channel", "web_form"),
                "locale",
                "en-US"));
    String step = "signup";
    try (RawHttpClient client = new RawHttpClient(Duration.ofSeconds(10))) {
      RawHttpClient.Answer live =
          client.send(port, targets.anonymous("GET", "/health/live").bytes());
      RawHttpClient.Answer accepted =
          client.send(port, targets.api("POST", "/v1/signups").json(signup).bytes());
      if (live.status() != 200 || accepted.status() != 202) {
        report.fail(
            Kind.AFTERWARDS,
            "valid flow",
            "/health/live -> " + describe(live) + ", valid signup -> " + describe(accepted));
        return;
      }
      TwilioSandbox sandbox = optin.sandbox().orElseThrow();
      step = "code SMS in the sandbox";
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  sandbox.messagesTo(phone).stream()
                      .anyMatch(m -> m.direction().equals(SandboxMessage.OUTBOUND_API)));
      step = "YES reply";
      sandbox.reply(phone, optin.fromNumber().orElseThrow(), "YES");
      step = "CONFIRMED status";
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  client
                      .send(port, targets.api("GET", "/v1/subscribers/" + encoded).bytes())
                      .body()
                      .contains("\"status\":\"CONFIRMED\""));
      report.note("Afterwards: /health/live 200, signup 202, SMS sent, YES -> CONFIRMED");
    } catch (RuntimeException | AssertionError e) {
      report.fail(Kind.AFTERWARDS, "valid flow", "valid flow not completed: " + step + ": " + e);
    }
  }

  private void onlyValidSignupsOnTheTopic(FuzzTargets targets, FuzzReport report) {
    List<SignupRequested> published;
    try {
      published =
          new CommittedRecords(optin.bootstrapServers(), optin.registryUrl())
              .read(Topics.SIGNUP_REQUESTS);
    } catch (RuntimeException e) {
      report.fail(Kind.AFTERWARDS, "signup topic", "signup topic unreadable: " + e);
      return;
    }
    int valid = 0;
    for (SignupRequested signup : published) {
      List<String> sent = targets.validSignups.get(signup.getPhone());
      boolean known =
          sent != null
              && sent.get(0).equals(signup.getProgramId())
              && sent.get(1).equals(signup.getEvidence().getConsentText());
      if (known) {
        valid++;
      } else {
        report.fail(
            Kind.INVALID_ON_TOPIC,
            "signup topic",
            signup.getPhone()
                + " "
                + FuzzRunner.excerpt(signup.getProgramId())
                + ": "
                + FuzzRunner.excerpt(signup.getEvidence().getConsentText()));
      }
    }
    report.note(
        String.format(
            "Signup topic: %d records, %d of valid signups (%d valid signups sent)",
            published.size(), valid, targets.validSignups.size()));
  }

  private static String describe(RawHttpClient.Answer answer) {
    return answer.dropped()
        ? "dropped (" + answer.problem() + ")"
        : answer.status() + " " + FuzzRunner.excerpt(answer.body());
  }
}
