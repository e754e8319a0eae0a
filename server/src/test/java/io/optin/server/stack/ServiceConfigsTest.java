package io.optin.server.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.ReplyIntent;
import io.optin.avro.SmsKind;
import io.optin.dispatcher.sender.SenderConfig;
import io.optin.domain.otp.SubjectKeys;
import io.optin.ingest.IngestSettings;
import io.optin.ingest.PumpingRule;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.replies.RepliesConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each service's config read from the one settings object, with its documented keys. */
class ServiceConfigsTest {

  private static final String OTP_SECRET = "test-otp-secret-of-at-least-32-bytes!";

  @TempDir Path dir;

  @Test
  void shouldReadTheFrontDoorSettings() {
    // Given
    ServiceConfigs configs =
        configs(
            Map.of(
                "OPTIN_LIMITS_PHONE_PER_HOUR",
                "3",
                "OPTIN_LIMITS_COUNTRIES_ALLOWED",
                "US,FR",
                "OPTIN_INGEST_IDEMPOTENCY_TTL",
                "2h",
                "OPTIN_INGEST_PUBLISH_TIMEOUT",
                "4s"));

    // When
    IngestSettings ingest = configs.ingest();

    // Then
    assertThat(ingest)
        .isEqualTo(
            new IngestSettings(
                3,
                20,
                java.util.Set.of("US", "FR"),
                Duration.ofHours(2),
                100_000,
                Duration.ofSeconds(4)));
  }

  @Test
  void shouldReadThePrefixCountryAndPumpingLimits() {
    // Given
    ServiceConfigs configs =
        configs(
            Map.of(
                "OPTIN_LIMITS_PREFIX_DIGITS",
                "7",
                "OPTIN_LIMITS_PREFIX_PER_HOUR",
                "40",
                "OPTIN_LIMITS_COUNTRY_PER_HOUR",
                "900",
                "OPTIN_LIMITS_PUMPING_MIN_SENDS",
                "30",
                "OPTIN_LIMITS_PUMPING_MIN_CONFIRM_PERCENT",
                "25",
                "OPTIN_LIMITS_PUMPING_BLOCK",
                "2h"));

    // When
    IngestSettings ingest = configs.ingest();

    // Then
    assertThat(ingest)
        .isEqualTo(
            IngestSettings.defaults()
                .withPlaceLimits(7, 40, 900)
                .withPumping(new PumpingRule(30, 25, Duration.ofHours(2))));
  }

  @Test
  void shouldReadTheSenderSettingsWithTheStatusCallbackUnderThePublicUrl() {
    // Given
    ServiceConfigs configs =
        configs(
            Map.of(
                "OPTIN_TWILIO_FROM",
                "+15005550006",
                "OPTIN_PUBLIC_BASE_URL",
                "https://optin.example.com/",
                "OPTIN_SMS_SENDER_ID",
                "sender-1",
                "OPTIN_SMS_MAX_ATTEMPTS",
                "5",
                "OPTIN_SMS_DEDUPE_WINDOW",
                "2d",
                "OPTIN_SMS_RATE_PER_SECOND",
                "7"));

    // When
    SenderConfig sender = configs.sender();

    // Then
    assertThat(sender.instanceId()).isEqualTo("sender-1");
    assertThat(sender.transactionalId()).isEqualTo("optin-sms-sender-sender-1");
    assertThat(sender.statusCallback())
        .isEqualTo(URI.create("https://optin.example.com/webhooks/twilio/status"));
    assertThat(sender.retryPolicy().maxAttempts()).isEqualTo(5);
    assertThat(sender.dedupeWindow()).isEqualTo(Duration.ofDays(2));
    assertThat(sender.messagesPerSecond()).isEqualTo(7.0);
    assertThat(configs(Map.of("OPTIN_TWILIO_FROM", "+15005550006")).sender().instanceId())
        .isEqualTo(ServiceConfigs.hostName())
        .matches("[A-Za-z0-9._-]{1,100}");
  }

  @Test
  void shouldRefuseToSendWithoutASenderNamingTheSettings() {
    assertThatThrownBy(() -> configs(Map.of()).sender())
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("twilio.from or twilio.messaging.service.sid");
    assertThatThrownBy(() -> configs(Map.of()).dispatcher())
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("twilio.from");
  }

  @Test
  void shouldReadTheReplySettingsAndKeywordsFromTheFile() throws Exception {
    // Given
    Path file = dir.resolve("optin.properties");
    Files.writeString(
        file,
        "twilio.auth.token=test-auth-token\notp.max.attempts=3\notp.expiry.grace=2s\n"
            + "replies.answer.wait=1s\nreplies.keywords.confirm.*.fr=D'ACCORD\nkafka.bootstrap.servers=broker:9092\n"
            + "streams.state.dir="
            + dir.resolve("state")
            + "\n");
    ServiceConfigs configs = new ServiceConfigs(Settings.load(Optional.of(file), Map.of()));

    // When
    RepliesConfig replies = configs.replies();

    // Then
    assertThat(replies.topology().maxAttempts()).isEqualTo(3);
    assertThat(replies.topology().expiryGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(replies.answerWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(replies.twilioAuthToken()).isEqualTo("test-auth-token");
    assertThat(replies.kafkaClientSettings())
        .containsEntry("bootstrap.servers", "broker:9092")
        .containsEntry("state.dir", dir.resolve("state").toString());
    assertThat(replies.keywords().words(ReplyIntent.CONFIRM, "acme", "fr-CA"))
        .contains("DACCORD", "YES");
  }

  @Test
  void shouldRefuseRepliesWithoutTheTokenThatSignsWebhooks() {
    assertThatThrownBy(() -> configs(Map.of()).replies())
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("twilio.auth.token is not set");
  }

  @Test
  void shouldSignMessagesWithTheBrandOfTheirProgram() {
    // Given
    ServiceConfigs configs =
        configs(Map.of("OPTIN_PROGRAMS_BRANDS", "acme-deals=Acme Markets,news=Daily"));

    // Then
    assertThat(configs.brands())
        .containsExactly(Map.entry("acme-deals", "Acme Markets"), Map.entry("news", "Daily"));
    assertThat(
            configs
                .templates()
                .renderCode("acme-deals", "en-US", "123456", Duration.ofMinutes(10))
                .body())
        .startsWith("Acme Markets: your code is 123456");
    assertThat(configs.templates().render(SmsKind.HELP, "other", "en").body()).contains("other");
  }

  @Test
  void shouldDeriveSubjectKeysFromTheCodeSecretUnlessTheirOwnIsSet() {
    // Given
    String own = "test-audit-subject-secret-of-32-bytes!";

    // Then
    assertThat(configs(Map.of()).subjectKeys().keyFor("+14155550123"))
        .isEqualTo(
            SubjectKeys.derivedFrom(OTP_SECRET.getBytes(StandardCharsets.UTF_8))
                .keyFor("+14155550123"));
    assertThat(
            configs(Map.of("OPTIN_AUDIT_SUBJECT_SECRET", own)).subjectKeys().keyFor("+14155550123"))
        .isEqualTo(new SubjectKeys(own.getBytes(StandardCharsets.UTF_8)).keyFor("+14155550123"));
  }

  @Test
  void shouldUseTheApiKeyForTwilioCallsWhenOneIsSet() {
    // Given
    Map<String, String> env =
        Map.of(
            "OPTIN_TWILIO_ACCOUNT_SID",
            "AC" + "0".repeat(32),
            "OPTIN_TWILIO_AUTH_TOKEN",
            "test-auth-token",
            "OPTIN_TWILIO_API_KEY_SID",
            "SK" + "1".repeat(32),
            "OPTIN_TWILIO_API_KEY_SECRET",
            "test-key-secret",
            "OPTIN_TWILIO_API_BASE_URL",
            "http://127.0.0.1:8082");

    // Then
    assertThat(configs(env).twilio().credentials().username()).isEqualTo("SK" + "1".repeat(32));
    assertThat(configs(env).twilio().baseUrl()).contains(URI.create("http://127.0.0.1:8082"));
  }

  @Test
  void shouldNameTheServicesAsTheCommandLineDoes() {
    assertThat(ServiceName.parse(List.of("replies", "INGEST")))
        .containsExactly(ServiceName.INGEST, ServiceName.REPLIES);
    assertThat(ServiceName.parse(List.of("all"))).hasSize(5);
    assertThatThrownBy(() -> ServiceName.parse(List.of("ingest", "mailer")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("unknown service 'mailer'");
  }

  @Test
  void shouldShortenTheConfirmationWindowOnlyForTheDemo() {
    // Given production settings: otp.expiry cannot go below a minute
    ServiceConfigs configs =
        configs(Map.of("OPTIN_TWILIO_FROM", "+15005550006", "OPTIN_OTP_EXPIRY", "5m"));
    assertThatThrownBy(() -> configs(Map.of("OPTIN_OTP_EXPIRY", "20s")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("otp.expiry");

    // When the demo makes its configs
    ServiceConfigs demo = configs.forDemo(Duration.ofSeconds(20));

    // Then only the demo's dispatcher has the short window
    assertThat(configs.dispatcher().expiry()).isEqualTo(Duration.ofMinutes(5));
    assertThat(configs.dispatcher().demoWindow()).isFalse();
    assertThat(demo.dispatcher().expiry()).isEqualTo(Duration.ofSeconds(20));
    assertThat(demo.dispatcher().demoWindow()).isTrue();
    assertThatThrownBy(() -> configs.forDemo(Duration.ofSeconds(2)).dispatcher())
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("demo window");
  }

  private static ServiceConfigs configs(Map<String, String> environment) {
    Map<String, String> env = new java.util.HashMap<>(environment);
    env.put("OPTIN_OTP_SECRET", OTP_SECRET);
    return new ServiceConfigs(Settings.load(Optional.empty(), env));
  }
}
