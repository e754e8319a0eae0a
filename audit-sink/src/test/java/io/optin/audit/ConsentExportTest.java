package io.optin.audit;

import static io.optin.audit.AuditDriver.KEYS;
import static io.optin.audit.AuditDriver.SUBJECTS;
import static io.optin.audit.PipelineRecords.PHONE;
import static io.optin.audit.PipelineRecords.PROGRAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.optin.audit.tools.ConsentExport;
import io.optin.audit.tools.ConsentExportDocument;
import io.optin.audit.tools.ConsentExportJson;
import io.optin.audit.tools.ConsentExports;
import io.optin.audit.tools.ProvenStatus;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConsentEventType;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.ErasureRequested;
import io.optin.avro.OptInStatus;
import io.optin.avro.ReplyIntent;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRequested;
import io.optin.domain.screening.ConsentTextHash;
import io.optin.schemas.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of consent of a subscriber, and their status at past instants, from the ledger the
 * topology wrote.
 */
class ConsentExportTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
  private static final String SID = "SM" + "7".repeat(32);
  private static final String MASKED_SMS =
      "Acme: your code is ******. Expires in 10 min. Reply STOP to opt out.";

  @TempDir Path stateDir;

  private AuditDriver audit;
  private ConsentExports exports;

  @BeforeEach
  void start() {
    audit = new AuditDriver(stateDir);
    exports =
        new ConsentExports(
            new DriverSubjectLedger(audit),
            SUBJECTS,
            KEYS.master(),
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    audit.close();
  }

  /** Signup at T0, code sent +1 s, delivered +3 s, reply YES +40 s, confirmed +40 s. */
  private void confirmedSubscriber() {
    audit.pipe(Topics.SIGNUP_REQUESTS, PHONE, PipelineRecords.signup(T0), T0);
    audit.pipe(
        Topics.CHALLENGES,
        PHONE,
        PipelineRecords.challenge(
            ChallengeEventType.ISSUED, ChallengeOutcome.OPEN, null, T0.plusMillis(200)),
        T0.plusMillis(200));
    audit.pipe(
        Topics.SMS_DELIVERY,
        PHONE,
        PipelineRecords.delivery(
            SID, DeliveryStatus.QUEUED, ReportSource.SENDER, null, MASKED_SMS, T0.plusSeconds(1)),
        T0.plusSeconds(1));
    audit.pipe(
        Topics.SMS_DELIVERY,
        PHONE,
        PipelineRecords.delivery(
            SID,
            DeliveryStatus.DELIVERED,
            ReportSource.STATUS_CALLBACK,
            null,
            null,
            T0.plusSeconds(3)),
        T0.plusSeconds(3));
    audit.pipe(
        Topics.SMS_INBOUND,
        PHONE,
        PipelineRecords.inbound("SM-in-1", ReplyIntent.CONFIRM, "Yes!", T0.plusSeconds(40)),
        T0.plusSeconds(40));
    audit.pipe(
        Topics.CHALLENGES,
        PHONE,
        PipelineRecords.challenge(
            ChallengeEventType.CLOSED,
            ChallengeOutcome.CONFIRMED,
            "replied YES in window",
            T0.plusSeconds(40)),
        T0.plusSeconds(40));
  }

  @Test
  void shouldExportEveryStepOfAConfirmedSubscriberWithItsEvidenceOpened() throws Exception {
    // Given a subscriber who signed up, got the code, and replied YES
    confirmedSubscriber();

    // When their consent is exported
    ConsentExport export = exports.export(PHONE);
    JsonNode json = ConsentExportJson.toJson(export);

    // Then every step is there in order, with the consent text, source URL, IP and user agent of
    // the signup
    assertThat(export.steps())
        .extracting(step -> step.record().getEventType())
        .containsExactly(
            ConsentEventType.REQUESTED,
            ConsentEventType.SENT,
            ConsentEventType.DELIVERED,
            ConsentEventType.REPLY_RECEIVED,
            ConsentEventType.CONFIRMED);
    JsonNode signup = json.get("steps").get(0);
    assertThat(signup.get("consent").get("text").asText()).isEqualTo(PipelineRecords.CONSENT);
    assertThat(signup.get("consent").get("sha256").asText()).hasSize(64);
    assertThat(signup.get("sourceUrl").asText()).isEqualTo("https://acme.example/signup");
    assertThat(signup.get("ip").asText()).isEqualTo("203.0.113.7");
    assertThat(signup.get("userAgent").asText()).isEqualTo("Mozilla/5.0");
    assertThat(signup.get("phone").asText()).isEqualTo(PHONE);
    // And the message sent with its code masked, its delivery statuses, the reply, and the outcome
    JsonNode sent = json.get("steps").get(1);
    assertThat(sent.get("messageText").asText()).isEqualTo(MASKED_SMS);
    assertThat(sent.get("provider").get("status").asText()).isEqualTo("queued");
    assertThat(json.get("steps").get(2).get("provider").get("status").asText())
        .isEqualTo("delivered");
    assertThat(json.get("steps").get(3).get("messageText").asText()).isEqualTo("Yes!");
    assertThat(json.get("outcomes"))
        .singleElement()
        .satisfies(
            outcome -> {
              assertThat(outcome.get("programId").asText()).isEqualTo(PROGRAM);
              assertThat(outcome.get("status").asText()).isEqualTo("CONFIRMED");
              assertThat(outcome.get("since").asText()).isEqualTo(T0.plusSeconds(40).toString());
              assertThat(outcome.get("method").asText()).isEqualTo("REPLY_YES");
            });
    // And the verification result: the subject's chain is intact, and nobody was erased
    assertThat(json.get("integrity").get("intact").asBoolean()).isTrue();
    assertThat(json.get("integrity").get("records").asInt()).isEqualTo(5);
    assertThat(json.get("erased").isNull()).isTrue();
    // And the readable renderings say the same
    String text = ConsentExportDocument.text(export);
    assertThat(text)
        .contains(
            PipelineRecords.CONSENT,
            "Source URL: https://acme.example/signup",
            "IP: 203.0.113.7",
            "User agent: Mozilla/5.0",
            "Message: " + MASKED_SMS,
            "Delivery: delivered",
            "Message: Yes!",
            PROGRAM + ": CONFIRMED since " + T0.plusSeconds(40) + " (REPLY_YES)",
            "chain of 5 records is intact")
        .doesNotContain("ERASED");
    assertThat(ConsentExportDocument.html(export))
        .startsWith("<!DOCTYPE html>")
        .contains("<td data-fact=\"ip\">203.0.113.7</td>", "Msg &amp; data rates may apply");
  }

  @Test
  void shouldShowControlCharactersOfStoredValuesAsVisibleEscapes() throws Exception {
    // Given a signup whose consent text carries what the signup screen lets through: a
    // right-to-left override, a forged line and a backslash (ConsentExportDocumentTest shows the
    // control characters that older records may hold)
    String consent = "Yes \u202eevil\r\nIntegrity: fine \\u001b\ttab";
    audit.pipe(
        Topics.SIGNUP_REQUESTS,
        PHONE,
        SignupRequested.newBuilder(PipelineRecords.signup(T0))
            .setEvidence(
                ConsentEvidence.newBuilder(PipelineRecords.evidence())
                    .setConsentText(consent)
                    .setConsentTextSha256(ConsentTextHash.of(consent))
                    .build())
            .build(),
        T0);

    // When it is exported as text and as HTML
    ConsentExport export = exports.export(PHONE);
    String text = ConsentExportDocument.text(export);
    String html = ConsentExportDocument.html(export);

    // Then no control character but newline and tab is emitted, and each one is shown escaped
    String shown = "Yes \\u202eevil\\u000d\\u000aIntegrity: fine \\\\u001b\ttab";
    assertThat(text)
        .contains("): \"" + shown + "\"")
        .doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e]");
    assertThat(text.lines()).noneMatch(line -> line.startsWith("Integrity: fine"));
    assertThat(html)
        .contains("<blockquote>" + shown + "</blockquote>")
        .doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e]");
    // And the JSON export keeps the exact value
    assertThat(
            ConsentExportJson.toJson(export)
                .get("steps")
                .get(0)
                .get("consent")
                .get("text")
                .asText())
        .isEqualTo(consent);
  }

  @Test
  void shouldDeclareAContentSecurityPolicyInTheHtmlPage() throws Exception {
    // Given
    confirmedSubscriber();

    // When
    String html = ConsentExportDocument.html(exports.export(PHONE));

    // Then
    assertThat(html)
        .startsWith(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; "
                + "style-src &#39;unsafe-inline&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;\">"
                + "<meta name=\"referrer\" content=\"no-referrer\"><title>Proof of consent</title><style>");
  }

  @Test
  void shouldSayWhenTheSubjectWasErasedAndOpenNothing() throws Exception {
    // Given a confirmed subscriber erased later
    confirmedSubscriber();
    Instant erasedAt = T0.plusSeconds(86_400);
    audit.pipe(
        Topics.CONSENT_ERASURES,
        SUBJECTS.keyFor(PHONE),
        ErasureRequested.newBuilder()
            .setRequestId("er-1")
            .setSubjectKey(SUBJECTS.keyFor(PHONE))
            .setReason("GDPR art. 17")
            .setRequestedAt(erasedAt)
            .build(),
        erasedAt);

    // When the consent is exported
    ConsentExport export = exports.export(PHONE);
    JsonNode json = ConsentExportJson.toJson(export);

    // Then it says erased and when, no personal data opens, and the outcome and consent text remain
    // provable
    assertThat(json.get("erased").get("at").asText()).isEqualTo(erasedAt.toString());
    assertThat(export.steps())
        .extracting(ConsentExport.Step::personalState)
        .containsExactly(
            ConsentExport.PersonalState.ERASED,
            ConsentExport.PersonalState.ERASED,
            ConsentExport.PersonalState.ERASED,
            ConsentExport.PersonalState.ERASED,
            ConsentExport.PersonalState.ERASED,
            ConsentExport.PersonalState.NONE);
    List<String> values = new ArrayList<>();
    json.get("steps").forEach(step -> step.fieldNames().forEachRemaining(values::add));
    assertThat(values).doesNotContain("ip", "userAgent", "sourceUrl", "messageText");
    assertThat(json.get("steps").get(0).get("consent").get("text").asText())
        .isEqualTo(PipelineRecords.CONSENT);
    assertThat(json.get("outcomes").get(0).get("status").asText()).isEqualTo("CONFIRMED");
    assertThat(json.get("integrity").get("intact").asBoolean()).isTrue();
    assertThat(ConsentExportDocument.text(export))
        .contains("ERASED at " + erasedAt, "Personal data: erased")
        .doesNotContain("203.0.113.7");
  }

  @Test
  void shouldTellTheStatusAsOfInstantsBeforeAndAfterConfirmationAndOptOut() throws Exception {
    // Given a confirmed subscriber who later texts STOP, then START
    confirmedSubscriber();
    audit.pipe(
        Topics.SMS_INBOUND,
        PHONE,
        PipelineRecords.inbound("SM-in-2", ReplyIntent.STOP, "STOP", T0.plusSeconds(600)),
        T0.plusSeconds(600));
    audit.pipe(
        Topics.SMS_INBOUND,
        PHONE,
        PipelineRecords.inbound("SM-in-3", ReplyIntent.START, "START", T0.plusSeconds(900)),
        T0.plusSeconds(900));

    // Then the status replays to what it was at each instant
    assertThat(statusAt(T0.minusSeconds(1))).isEqualTo(OptInStatus.UNKNOWN);
    assertThat(statusAt(T0)).isEqualTo(OptInStatus.PENDING);
    assertThat(statusAt(T0.plusSeconds(39))).isEqualTo(OptInStatus.PENDING);
    assertThat(statusAt(T0.plusSeconds(40))).isEqualTo(OptInStatus.CONFIRMED);
    assertThat(statusAt(T0.plusSeconds(599))).isEqualTo(OptInStatus.CONFIRMED);
    assertThat(statusAt(T0.plusSeconds(600))).isEqualTo(OptInStatus.OPTED_OUT);
    assertThat(statusAt(T0.plusSeconds(900))).isEqualTo(OptInStatus.UNKNOWN);
    // And it names the step that set it
    ProvenStatus confirmed = exports.status(PHONE, PROGRAM, T0.plusSeconds(100));
    assertThat(confirmed.since()).isEqualTo(T0.plusSeconds(40));
    assertThat(confirmed.method()).isEqualTo("REPLY_YES");
    assertThat(exports.status(PHONE, "another-program", T0.plusSeconds(700)).status())
        .as("STOP opts the phone out of every program")
        .isEqualTo(OptInStatus.OPTED_OUT);
  }

  private OptInStatus statusAt(Instant at) throws Exception {
    return exports.status(PHONE, PROGRAM, at).status();
  }
}
