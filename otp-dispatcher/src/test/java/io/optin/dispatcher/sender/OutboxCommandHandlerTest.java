package io.optin.dispatcher.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.DeliveryStatus;
import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import io.optin.dispatcher.TestDispatcherSettings;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sms.FakeTwilioApi;
import io.optin.dispatcher.sms.RetryPolicy;
import io.optin.dispatcher.sms.RetryingSmsGateway;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioCredentials;
import io.optin.dispatcher.sms.TwilioSmsGateway;
import io.optin.domain.otp.OtpCodes;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.metrics.PrometheusText;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sending policy (render, send, report) through the real twilio-java SDK against a real HTTP
 * server speaking Twilio's Messages API.
 */
class OutboxCommandHandlerTest {

  private static final String ACCOUNT_SID = "AC" + "1".repeat(32);
  private static final String SID = "SM" + "a".repeat(32);
  private static final String PHONE = "+14155550100";
  private static final String FROM = "+15005550006";
  private static final String CHALLENGE = "3f0c5d1e-8a4b-4c2d-9e7f-0a1b2c3d4e5f";
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:30Z");
  private static final URI CALLBACK = URI.create("https://optin.example/webhooks/twilio/status");
  private static final OtpCodes CODES =
      OtpCodes.fromSettings("test-otp-secret-of-at-least-32-bytes!", 6);

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final List<Duration> backoffs = new ArrayList<>();
  private final AtomicInteger reportIds = new AtomicInteger();
  private final DeliveredCommands delivered = new DeliveredCommands(Duration.ofDays(7), clock);
  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);

  private FakeTwilioApi twilio;
  private TwilioSmsGateway gateway;

  @BeforeEach
  void startTwilio() throws IOException {
    twilio = new FakeTwilioApi();
    gateway =
        TwilioSmsGateway.create(
            TwilioClientSettings.of(TwilioCredentials.authToken(ACCOUNT_SID, "test-auth-token"))
                .withApiBaseUrl(twilio.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
  }

  @AfterEach
  void stopTwilio() {
    gateway.close();
    twilio.close();
  }

  private final OptinMetrics metrics = OptinMetrics.unexposed();

  private OutboxCommandHandler handler(SenderConfig config) {
    RetryPolicy policy =
        new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0);
    RetryingSmsGateway retrying = new RetryingSmsGateway(gateway, policy, backoffs::add, () -> 0.0);
    MessageTemplates templates = new MessageTemplates(Map.of("acme-deals", "Acme"));
    return new OutboxCommandHandler(
        templates,
        CODES,
        retrying,
        delivered,
        config,
        clock,
        () -> "report-" + reportIds.incrementAndGet(),
        metrics);
  }

  private OutboxCommandHandler handler() {
    return handler(
        SenderConfig.from(
            TestDispatcherSettings.with(
                Map.of(
                    "sms.sender.id",
                    "test",
                    "twilio.from",
                    FROM,
                    "public.base.url",
                    "https://optin.example/"))));
  }

  @Test
  void shouldSendCodeAndReportSidWithMaskedBody() {
    // Given Twilio accepts the message
    twilio.thenCreated(SID);

    // When a confirmation code command is handled
    Optional<SmsDeliveryReport> report =
        handler().handle(codeCommand("cmd-1", NOW.plusSeconds(570)));

    // Then Twilio got the text with the code, the expiry in minutes, the sender and the status
    // callback
    String code = CODES.codeFor(CHALLENGE);
    String sent =
        "Acme: your code is "
            + code
            + ". Reply YES to confirm SMS alerts. Expires in 9 min. "
            + "Msg & data rates may apply. Reply STOP to opt out, HELP for help.";
    assertThat(twilio.forms())
        .containsExactly(
            Map.of("To", PHONE, "From", FROM, "Body", sent, "StatusCallback", CALLBACK.toString()));
    // And the report names the sid, one attempt, and holds the text with the code masked
    assertThat(report)
        .contains(
            SmsDeliveryReport.newBuilder()
                .setReportId("report-1")
                .setCommandId("cmd-1")
                .setChallengeId(CHALLENGE)
                .setProgramId("acme-deals")
                .setPhone(PHONE)
                .setMessageSid(SID)
                .setStatus(DeliveryStatus.QUEUED)
                .setErrorCode(null)
                .setErrorMessage(null)
                .setAttempts(1)
                .setMaskedBody(sent.replace(code, "******"))
                .setSource(ReportSource.SENDER)
                .setOccurredAt(NOW)
                .build());
    assertNoCodeIn(report.orElseThrow(), code);
  }

  @Test
  void shouldFailInvalidNumberAtOnceWithTwilioErrorCode() {
    // Given Twilio refuses the number (a permanent error)
    twilio.thenError(400, 21211, "The 'To' number +14155550100 is not a valid phone number.");

    // When the command is handled
    SmsDeliveryReport report =
        handler().handle(codeCommand("cmd-1", NOW.plusSeconds(600))).orElseThrow();

    // Then it is not retried and the failure carries Twilio's code
    assertThat(twilio.forms()).hasSize(1);
    assertThat(backoffs).isEmpty();
    assertThat(report.getStatus()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(report.getErrorCode()).isEqualTo(21211);
    assertThat(report.getErrorMessage()).contains("not a valid phone number");
    assertThat(report.getMessageSid()).isNull();
    assertThat(report.getAttempts()).isEqualTo(1);
    assertNoCodeIn(report, CODES.codeFor(CHALLENGE));
  }

  @Test
  void shouldCountSentAndFailedSmsByKindAndErrorCode() {
    // Given Twilio accepts one message, then refuses a number
    twilio.thenCreated(SID).thenError(400, 21211, "The 'To' number is not a valid phone number.");

    // When
    handler().handle(codeCommand("cmd-1", NOW.plusSeconds(570)));
    handler().handle(codeCommand("cmd-2", NOW.plusSeconds(570)));

    // Then
    assertThat(metrics.value("optin_sms_sent_total", "CONFIRMATION_CODE")).isEqualTo(1);
    assertThat(metrics.value("optin_sms_sent_total", "CONFIRMATION_CODE", "acme-deals", "US"))
        .isEqualTo(1);
    assertThat(metrics.value("optin_sms_failed_total", "21211")).isEqualTo(1);
  }

  @Test
  void shouldTimeEachCodeFromItsSignupsAcceptanceToTheProviderRequest() {
    // Given a code whose signup was accepted 30 s before the sender reaches the provider
    twilio.thenCreated(SID).thenError(400, 21211, "The 'To' number is not a valid phone number.");

    // When it is sent, and another one is refused by the provider
    handler().handle(codeCommand("cmd-1", NOW.plusSeconds(570)));
    handler().handle(codeCommand("cmd-2", NOW.plusSeconds(570)));

    // Then both requests are timed, from the signup's acceptance, whatever the provider answered
    PrometheusText scrape = PrometheusText.parse(metrics.registry().render());
    assertThat(scrape.value("optin_signup_to_sms_seconds_count", Map.of())).isEqualTo(2);
    assertThat(scrape.value("optin_signup_to_sms_seconds_sum", Map.of())).isEqualTo(60);
    assertThat(scrape.value("optin_signup_to_sms_seconds_bucket", Map.of("le", "10.0"))).isZero();
  }

  @Test
  void shouldRetryThrottledSendAndReportOnceWithTwoAttempts() {
    // Given Twilio throttles the first request, then accepts
    twilio.thenError(429, 20429, "Too Many Requests").thenCreated(SID);

    // When the command is handled
    SmsDeliveryReport report =
        handler().handle(codeCommand("cmd-1", NOW.plusSeconds(600))).orElseThrow();

    // Then one report says sent, after two attempts and one backoff
    assertThat(twilio.forms()).hasSize(2);
    assertThat(backoffs).containsExactly(Duration.ofMillis(100));
    assertThat(report.getStatus()).isEqualTo(DeliveryStatus.QUEUED);
    assertThat(report.getMessageSid()).isEqualTo(SID);
    assertThat(report.getAttempts()).isEqualTo(2);
  }

  @Test
  void shouldFailAfterRetriesWhenTwilioNeverAnswers() {
    // Given Twilio takes every request and never answers
    twilio.thenHang();

    // When the command is handled
    SmsDeliveryReport report =
        handler().handle(codeCommand("cmd-1", NOW.plusSeconds(600))).orElseThrow();

    // Then all three attempts time out and the report says failed, without a provider code
    assertThat(twilio.forms()).hasSize(3);
    assertThat(backoffs).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(report.getStatus()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(report.getErrorCode()).isNull();
    assertThat(report.getAttempts()).isEqualTo(3);
    assertThat(report.getMaskedBody()).contains("******").doesNotContain(CODES.codeFor(CHALLENGE));
  }

  @Test
  void shouldNotSendSameCommandTwice() {
    // Given a command already sent
    twilio.thenCreated(SID);
    OutboxCommandHandler handler = handler();
    assertThat(handler.handle(codeCommand("cmd-1", NOW.plusSeconds(600)))).isPresent();

    // When the same command id comes again
    Optional<SmsDeliveryReport> again = handler.handle(codeCommand("cmd-1", NOW.plusSeconds(600)));

    // Then nothing is sent nor reported
    assertThat(again).isEmpty();
    assertThat(twilio.forms()).hasSize(1);
  }

  @Test
  void shouldSkipCommandReadBackFromReports() {
    // Given the delivery history says cmd-1 was reported yesterday
    delivered.remember("cmd-1", NOW.minus(Duration.ofDays(1)));

    // When cmd-1 is replayed from the outbox
    Optional<SmsDeliveryReport> report =
        handler().handle(codeCommand("cmd-1", NOW.plusSeconds(600)));

    // Then it is skipped
    assertThat(report).isEmpty();
    assertThat(twilio.forms()).isEmpty();
  }

  @Test
  void shouldNotSendCodeThatAlreadyExpired() {
    // When a command comes after its code's expiry (the sender was down)
    SmsDeliveryReport report = handler().handle(codeCommand("cmd-1", NOW)).orElseThrow();

    // Then nothing is sent and the failure is recorded
    assertThat(twilio.forms()).isEmpty();
    assertThat(report.getStatus()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(report.getErrorMessage()).isEqualTo("code expired before it could be sent");
    assertThat(report.getAttempts()).isZero();
  }

  @Test
  void shouldSendThroughMessagingServiceWhenNoNumberIsSet() {
    // Given a sender configured with a messaging service only, and a command naming no number
    twilio.thenCreated(SID);
    String service = "MG" + "2".repeat(32);
    SmsSendRequested command = codeCommand("cmd-1", NOW.plusSeconds(600));
    command.setFromNumber(null);

    // When it is handled
    handler(
            SenderConfig.from(
                TestDispatcherSettings.with(
                    Map.of(
                        "sms.sender.id",
                        "test",
                        "twilio.messaging.service.sid",
                        service,
                        "public.base.url",
                        "https://optin.example/"))))
        .handle(command);

    // Then Twilio is asked to send through the service, with the status callback
    assertThat(twilio.forms())
        .singleElement()
        .satisfies(
            form -> {
              assertThat(form)
                  .containsEntry("MessagingServiceSid", service)
                  .containsEntry("StatusCallback", CALLBACK.toString())
                  .doesNotContainKey("From");
            });
  }

  @Test
  void shouldSendHelpTextWithoutCode() {
    // Given a HELP command (no challenge)
    twilio.thenCreated(SID);
    SmsSendRequested help = codeCommand("cmd-1", null);
    help.setKind(SmsKind.HELP);
    help.setChallengeId(null);

    // When it is handled
    SmsDeliveryReport report = handler().handle(help).orElseThrow();

    // Then the help text is sent and reported as is
    String text =
        "Acme SMS alerts. Msg frequency varies. Msg & data rates may apply. "
            + "Reply STOP to opt out, START to resubscribe.";
    assertThat(twilio.forms())
        .singleElement()
        .satisfies(form -> assertThat(form).containsEntry("Body", text));
    assertThat(report.getMaskedBody()).isEqualTo(text);
  }

  @Test
  void shouldReportCommandThatCannotBeRendered() {
    // Given a code command without its challenge
    SmsSendRequested broken = codeCommand("cmd-1", NOW.plusSeconds(600));
    broken.setChallengeId(null);

    // When it is handled
    SmsDeliveryReport report = handler().handle(broken).orElseThrow();

    // Then nothing is sent and the reason is reported
    assertThat(twilio.forms()).isEmpty();
    assertThat(report.getStatus()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(report.getErrorMessage()).startsWith("command cannot be rendered");
    assertThat(report.getAttempts()).isZero();
  }

  private static SmsSendRequested codeCommand(String commandId, Instant expiresAt) {
    return SmsSendRequested.newBuilder()
        .setCommandId(commandId)
        .setKind(SmsKind.CONFIRMATION_CODE)
        .setChallengeId(CHALLENGE)
        .setProgramId("acme-deals")
        .setPhone(PHONE)
        .setFromNumber(FROM)
        .setLocale("en-US")
        .setExpiresAt(expiresAt)
        .setRequestedAt(NOW.minusSeconds(30))
        .build();
  }

  /** The report's Avro bytes, as they would be published, do not hold the code. */
  private void assertNoCodeIn(SmsDeliveryReport report, String code) {
    byte[] bytes =
        serdes
            .forTopic(Topics.SMS_DELIVERY)
            .serializer()
            .serialize(Topics.SMS_DELIVERY.name(), report);
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain(code);
  }
}
