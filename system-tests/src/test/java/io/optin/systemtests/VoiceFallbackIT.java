package io.optin.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.optin.avro.ConfirmationMethod;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.MessageChannel;
import io.optin.avro.ReportSource;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import io.optin.avro.SubscriberConfirmed;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.MagicNumbers;
import io.optin.devkit.sandbox.SandboxCall;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.devkit.sandbox.WebhookAnswer;
import io.optin.schemas.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SMS to a landline that the carrier reports undelivered (30006) falls back, by the dispatcher,
 * to one call for the same challenge, which says the code to the callee but is kept masked; the key
 * 1 pressed on it confirms once by VOICE_KEYPRESS, while a mobile whose SMS was delivered gets no
 * call and confirms by SMS.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VoiceFallbackIT {

  private static final String LANDLINE = MagicNumbers.LANDLINE;
  private static final String MOBILE = "+14155550171";
  private static final String PROGRAM = "acme-deals";
  private static final Duration FALLBACK_AFTER = Duration.ofSeconds(5);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedOptin optin;
  private TwilioSandbox sandbox;
  private CommittedRecords topics;

  @BeforeEach
  void startEverything() {
    optin =
        ReadyOptin.start(
            dataDir,
            Map.of(
                "OPTIN_PROGRAMS_BRANDS", PROGRAM + "=Acme",
                "OPTIN_FALLBACK_CHANNELS", "sms,voice",
                "OPTIN_FALLBACK_AFTER", FALLBACK_AFTER.toSeconds() + "s"));
    sandbox = optin.sandbox().orElseThrow();
    topics = new CommittedRecords(optin.bootstrapServers(), optin.registryUrl());
  }

  @AfterEach
  void stopEverything() {
    if (optin != null) {
      optin.close();
    }
  }

  @Test
  void shouldCallALandlineOnceWhenItsSmsIsUndeliveredAndConfirmByKeyOneButNeverCallAMobile()
      throws Exception {
    // Given a landline and a mobile signed up to a program that falls back from SMS to voice
    assertThat(post("/v1/signups", signup(LANDLINE)).statusCode()).isEqualTo(202);
    assertThat(post("/v1/signups", signup(MOBILE)).statusCode()).isEqualTo(202);
    String code = awaitCode(LANDLINE);
    // and the mobile's SMS delivered, which ends its fallback watch
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                reportsOf(MOBILE).stream()
                    .anyMatch(report -> report.getStatus() == DeliveryStatus.DELIVERED));

    // When the landline's SMS is reported undelivered (30006)
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                reportsOf(LANDLINE).stream()
                    .anyMatch(
                        report ->
                            report.getStatus() == DeliveryStatus.UNDELIVERED
                                && Integer.valueOf(30006).equals(report.getErrorCode())));

    // Then the dispatcher asks for the same challenge again, by voice, after the SMS command
    await().atMost(PATIENCE).until(() -> codeCommandsTo(LANDLINE).size() == 2);
    List<SmsSendRequested> commands = codeCommandsTo(LANDLINE);
    assertThat(commands)
        .extracting(SmsSendRequested::getChannel)
        .satisfiesExactly(
            first -> assertThat(first).isIn(null, MessageChannel.SMS),
            second -> assertThat(second).isEqualTo(MessageChannel.VOICE));
    assertThat(commands.get(1).getChallengeId())
        .isNotNull()
        .isEqualTo(commands.get(0).getChallengeId());

    // and the sandbox was called once, the callee hearing the code digit by digit, twice, then
    // asked for a key
    await()
        .atMost(PATIENCE)
        .until(() -> sandbox.callsTo(LANDLINE).stream().anyMatch(SandboxCall::awaitingKeys));
    assertThat(sandbox.callsTo(LANDLINE)).hasSize(1);
    SandboxCall call = sandbox.callsTo(LANDLINE).get(0);
    String digits = spoken(code);
    assertThat(call.spokenTexts())
        .hasSize(6)
        .startsWith(
            "Hello, this is Acme. Your confirmation code is:",
            digits,
            "Again, your code is:",
            digits)
        .endsWith("To confirm your subscription, press 1.");
    assertThat(call.spokenTexts().get(4)).matches("This code is valid for \\d+ minutes\\.");
    assertThat(call.from()).isEqualTo(optin.fromNumber().orElseThrow());

    // and what optin keeps of the call, the sender's delivery report, says a star for each digit
    await().atMost(PATIENCE).until(() -> voiceReportsOf(LANDLINE, ReportSource.SENDER).size() == 1);
    assertThat(voiceReportsOf(LANDLINE, ReportSource.SENDER).get(0))
        .satisfies(
            report -> {
              assertThat(report.getChallengeId()).isEqualTo(commands.get(0).getChallengeId());
              assertThat(report.getMessageSid()).isEqualTo(call.sid());
              assertThat(report.getMaskedBody())
                  .contains("<Say language=\"en-US\">" + spoken("******") + "</Say>")
                  .doesNotContain(digits)
                  .doesNotContain(code);
            });

    // When the callee presses 1, the sandbox posting the signed key press to the voice webhook
    WebhookAnswer pressed = sandbox.press(call.sid(), "1");

    // Then the webhook says it is confirmed and hangs up
    assertThat(pressed.status()).isEqualTo(200);
    assertThat(pressed.body())
        .contains("<Say language=\"en-US\">Confirmed, thank you. Goodbye.</Say>");
    assertThat(sandbox.call(call.sid()).orElseThrow().status()).isEqualTo(SandboxCall.COMPLETED);
    // and the landline has exactly one confirmation, by key press on the call
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(confirmationsOf(LANDLINE))
                    .extracting(
                        SubscriberConfirmed::getChallengeId,
                        SubscriberConfirmed::getMethod,
                        SubscriberConfirmed::getConfirmedVia)
                    .containsExactly(
                        tuple(
                            commands.get(0).getChallengeId(),
                            ConfirmationMethod.VOICE_KEYPRESS,
                            MessageChannel.VOICE)));
    // and the call, hung up, is reported delivered by Twilio's status callback
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(voiceReportsOf(LANDLINE, ReportSource.STATUS_CALLBACK))
                    .extracting(SmsDeliveryReport::getStatus)
                    .containsExactly(DeliveryStatus.DELIVERED));

    // When the mobile's fallback delay has gone by without an answer
    // Then no call was placed to it: the wait lasts until its delay, counted from when its SMS
    // was asked for, is over by a margin, however long the landline's flow took already
    Instant delayOver =
        codeCommandsTo(MOBILE).get(0).getRequestedAt().plus(FALLBACK_AFTER).plusSeconds(2);
    Duration left = Duration.between(Instant.now(), delayOver);
    if (left.isNegative() || left.isZero()) {
      assertThat(sandbox.callsTo(MOBILE)).isEmpty();
    } else {
      await()
          .during(left)
          .atMost(left.plus(PATIENCE))
          .until(() -> sandbox.callsTo(MOBILE).isEmpty());
    }

    // When the mobile answers YES by SMS
    assertThat(sandbox.reply(MOBILE, optin.fromNumber().orElseThrow(), "YES").status())
        .isEqualTo(200);

    // Then it has exactly one confirmation, by SMS, and was never asked by another channel
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(confirmationsOf(MOBILE))
                    .extracting(
                        SubscriberConfirmed::getMethod, SubscriberConfirmed::getConfirmedVia)
                    .containsExactly(tuple(ConfirmationMethod.REPLY_YES, MessageChannel.SMS)));
    assertThat(codeCommandsTo(MOBILE))
        .extracting(SmsSendRequested::getChannel)
        .containsExactly((MessageChannel) null);
    assertThat(sandbox.callsTo(MOBILE)).isEmpty();
    assertThat(sandbox.callsTo(LANDLINE)).hasSize(1);
  }

  private List<SmsDeliveryReport> voiceReportsOf(String phone, ReportSource source) {
    return reportsOf(phone).stream()
        .filter(report -> report.getChannel() == MessageChannel.VOICE)
        .filter(report -> report.getSource() == source)
        .toList();
  }

  /** "1. 2. 3. 4. 5. 6.": how the call says a code, one digit at a time. */
  private static String spoken(String code) {
    return String.join(" ", code.chars().mapToObj(digit -> (char) digit + ".").toList());
  }

  private String awaitCode(String phone) {
    return SandboxFlow.awaitCode(sandbox, phone, 1);
  }

  private List<SmsSendRequested> codeCommandsTo(String phone) {
    return topics.read(Topics.SMS_OUTBOUND).stream()
        .filter(command -> command.getPhone().equals(phone))
        .filter(command -> command.getKind() == SmsKind.CONFIRMATION_CODE)
        .toList();
  }

  private List<SmsDeliveryReport> reportsOf(String phone) {
    return topics.read(Topics.SMS_DELIVERY).stream()
        .filter(report -> report.getPhone().equals(phone))
        .toList();
  }

  private List<SubscriberConfirmed> confirmationsOf(String phone) {
    return topics.read(Topics.CONFIRMED_SUBSCRIBERS).stream()
        .filter(confirmed -> confirmed.getPhone().equals(phone))
        .toList();
  }

  private static String signup(String phone) {
    return SandboxFlow.webSignup(phone, PROGRAM);
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        SandboxFlow.jsonPost(optin.gatewayUrl(), path, json), HttpResponse.BodyHandlers.ofString());
  }
}
