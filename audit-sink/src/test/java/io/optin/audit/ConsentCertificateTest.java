package io.optin.audit;

import static io.optin.audit.AuditDriver.KEYS;
import static io.optin.audit.AuditDriver.SUBJECTS;
import static io.optin.audit.PipelineRecords.PHONE;
import static io.optin.audit.PipelineRecords.PROGRAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.audit.ledger.LedgerVerdict;
import io.optin.audit.tools.ConsentCertificate;
import io.optin.audit.tools.ConsentExport;
import io.optin.audit.tools.ConsentExportDocument;
import io.optin.audit.tools.ConsentExportJson;
import io.optin.audit.tools.ConsentExports;
import io.optin.audit.tools.ConsentProof;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.ErasureRequested;
import io.optin.avro.FormEvidence;
import io.optin.avro.LedgerCheckpoint;
import io.optin.avro.ReplyIntent;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRequested;
import io.optin.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consent certificate issued from the ledger the topology wrote: it shows the facts, verifies
 * offline with the checkpoint key, and fails when any byte of it changes or another key is given.
 */
class ConsentCertificateTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
  private static final String SID = "SM" + "7".repeat(32);
  private static final String MASKED_SMS =
      "Acme: your code is ******. Expires in 10 min. Reply STOP to opt out.";

  @TempDir Path stateDir;

  private AuditDriver audit;

  @BeforeEach
  void start() {
    audit = new AuditDriver(stateDir, new CheckpointPolicy(Duration.ofSeconds(30), 3));
  }

  @AfterEach
  void stop() {
    audit.close();
  }

  private void confirmedSubscriberWithEvidence() {
    audit.pipe(
        Topics.SIGNUP_REQUESTS,
        PHONE,
        SignupRequested.newBuilder(PipelineRecords.signup(T0))
            .setFormEvidence(
                FormEvidence.newBuilder()
                    .setTrustedFormCertUrl("https://cert.trustedform.com/2b5d3f0e9a")
                    .setJornayaLeadId("3F2504E0-4F89-11D3-9A0C-0305E82C3301")
                    .setFormSnapshotSha256("ab".repeat(32))
                    .setExtra(Map.of("vendor", "acme-leads"))
                    .build())
            .build(),
        T0);
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

  private ConsentExport export() throws Exception {
    return new ConsentExports(
            new DriverSubjectLedger(audit),
            SUBJECTS,
            KEYS.master(),
            Clock.fixed(NOW, ZoneOffset.UTC))
        .export(PHONE);
  }

  private String certificate(boolean maskPhone) throws Exception {
    return ConsentCertificate.issue(proof(maskPhone), KEYS.signing());
  }

  private ObjectNode proof(boolean maskPhone) throws Exception {
    ConsentExport export = export();
    LedgerVerdict verdict = audit.verify();
    int partition = export.steps().get(0).record().getSourcePartition();
    LedgerCheckpoint latest = null;
    for (LedgerCheckpoint checkpoint : audit.checkpoints()) {
      if (checkpoint.getPartition() == partition) {
        latest = checkpoint;
      }
    }
    return ConsentProof.of(
        export,
        new ConsentProof.Scope(
            PROGRAM,
            maskPhone,
            Map.of(PROGRAM, "Acme"),
            new ConsentProof.LedgerCheck(
                verdict.passed(), verdict.describe(), KEYS.publicKey().keyId(), latest)),
        NOW);
  }

  @Test
  void shouldIssueACertificateThatShowsTheFactsAndVerifiesOffline() throws Exception {
    // Given a confirmed subscriber whose signup carried third-party evidence
    confirmedSubscriberWithEvidence();

    // When a certificate with the phone masked is issued and checked with the checkpoint key
    String page = certificate(true);
    ConsentCertificate.Verdict verdict =
        ConsentCertificate.verify(page.getBytes(StandardCharsets.UTF_8), KEYS.publicKey());

    // Then it is valid, and says for whom, what and how it was checked
    assertThat(verdict.valid()).as(verdict.message()).isTrue();
    assertThat(verdict.message())
        .startsWith(
            "certificate valid: +1415*****00, program "
                + PROGRAM
                + " (Acme) CONFIRMED since "
                + T0.plusSeconds(40))
        .contains("5 records chained, 5 hashes recomputed", "signature verified")
        .endsWith("signed by key " + KEYS.publicKey().keyId());
    // And the page shows the summary first, then the timeline, the evidence and the hashes last
    assertThat(page)
        .doesNotContain(PHONE)
        .contains(
            "<td data-fact=\"phone-shown\">+1415*****00 (masked)</td>",
            "<td data-fact=\"program\">" + PROGRAM + " (Acme)</td>",
            "<td data-fact=\"outcome\"><strong>CONFIRMED</strong> since "
                + T0.plusSeconds(40)
                + " by REPLY_YES</td>",
            "<blockquote>Yes, text me Acme deals. Msg &amp; data rates may apply. Reply STOP to"
                + " opt out.</blockquote>",
            "<td data-fact=\"ip\">203.0.113.7</td>",
            "<span class=\"ok\">ledger verified</span>",
            "<td data-fact=\"trusted-form\">https://cert.trustedform.com/2b5d3f0e9a</td>",
            "<td data-fact=\"jornaya\">3F2504E0-4F89-11D3-9A0C-0305E82C3301</td>",
            "<th>vendor</th><td data-fact=\"extra\">acme-leads</td>",
            "@page{size:auto;margin:14mm 12mm}")
        .containsSubsequence(
            "class=\"summary\"",
            "<h2>Timeline</h2>",
            ">REQUESTED<",
            ">SENT<",
            ">DELIVERED<",
            ">REPLY_RECEIVED<",
            ">CONFIRMED<",
            "<h2>Evidence</h2>",
            "<h2>Ledger hashes</h2>",
            "<h2>Latest signed checkpoint</h2>",
            "<h2>Signature</h2>")
        .doesNotContain("<script>", "src=", "href=");
    for (var step : export().steps()) {
      assertThat(page).contains("<td class=\"hash\">" + step.record().getHash() + "</td>");
    }
    // And the evidence is in the ledger only sealed, never in clear
    assertThat(audit.records())
        .extracting(Object::toString)
        .noneMatch(record -> record.contains("3F2504E0") || record.contains("trustedform"));
  }

  @Test
  void shouldFailWhenAnyByteOfTheCertificateChanges() throws Exception {
    // Given a valid certificate
    confirmedSubscriberWithEvidence();
    byte[] original = certificate(false).getBytes(StandardCharsets.UTF_8);

    // When one byte is changed, at positions spread over the whole file
    List<String> passed = new ArrayList<>();
    for (int i = 0; i < original.length; i += 37) {
      byte[] altered = original.clone();
      altered[i] = (byte) (altered[i] ^ 0x01);
      if (ConsentCertificate.verify(altered, KEYS.publicKey()).valid()) {
        passed.add("byte " + i);
      }
    }

    // Then every altered copy fails
    assertThat(passed).isEmpty();
  }

  @Test
  void shouldNameWhatDoesNotMatch() throws Exception {
    // Given a valid certificate
    confirmedSubscriberWithEvidence();
    String page = certificate(false);

    // When the visible outcome, the payload, the signature or the key is not what was signed
    String visible =
        verify(page.replace("<strong>CONFIRMED</strong>", "<strong>CONFIRMEE</strong>"));
    String payload = verify(page.replace("\"status\":\"CONFIRMED\"", "\"status\":\"OPTED_OUT\""));
    Matcher signature = Pattern.compile("\"signature\":\"(.)").matcher(page);
    signature.find();
    String signed =
        verify(
            page.substring(0, signature.start(1))
                + (signature.group(1).equals("A") ? "B" : "A")
                + page.substring(signature.end(1)));
    CheckpointSigningKey other = CheckpointSigningKey.generate();
    ConsentCertificate.Verdict wrongKey =
        ConsentCertificate.verify(page.getBytes(StandardCharsets.UTF_8), other.publicKey());

    // Then each failure says what
    assertThat(visible)
        .startsWith("the readable part does not show what the signed payload says, at line ")
        .contains(
            "(outcome): it shows \"Outcome CONFIRMEE since",
            "where the payload gives \"Outcome CONFIRMED since");
    assertThat(payload)
        .isEqualTo(
            "the signature does not verify with key "
                + KEYS.publicKey().keyId()
                + ": the payload or the signature was altered");
    assertThat(signed).isEqualTo(payload);
    assertThat(wrongKey.valid()).isFalse();
    assertThat(wrongKey.message())
        .isEqualTo(
            "signed by key "
                + KEYS.publicKey().keyId()
                + ", not by the given public key "
                + other.publicKey().keyId());
  }

  @Test
  void shouldRefuseAPayloadWhoseRecordDoesNotHashEvenWhenSigned() throws Exception {
    // Given a proof whose first record was altered after the export, signed by the right key
    confirmedSubscriberWithEvidence();
    ConsentExport export = export();
    ObjectNode proof =
        ConsentProof.of(
            export,
            new ConsentProof.Scope(
                null,
                false,
                Map.of(),
                new ConsentProof.LedgerCheck(true, "intact", KEYS.publicKey().keyId(), null)),
            NOW);
    ((ObjectNode) proof.get("steps").get(0).get("record")).put("detail", "added later");

    // When it is issued and verified
    String page = ConsentCertificate.issue(proof, KEYS.signing());

    // Then the recomputed hash gives it away
    assertThat(verify(page))
        .isEqualTo(
            "step 0: its record does not hash to " + export.steps().get(0).record().getHash());
  }

  @Test
  void shouldRenderTheHtmlExportWithTheSameLayoutWithoutSignature() throws Exception {
    // Given a confirmed subscriber
    confirmedSubscriberWithEvidence();

    // When the export is rendered as HTML
    String html = ConsentExportDocument.html(export());

    // Then it is the certificate's layout, phone in full, no payload and no signature
    assertThat(html)
        .contains(
            "<h1>Proof of consent for <span data-fact=\"phone\">" + PHONE + "</span></h1>",
            "<td data-fact=\"jornaya\">3F2504E0-4F89-11D3-9A0C-0305E82C3301</td>")
        .containsSubsequence(
            "class=\"summary\"", "<h2>Timeline</h2>", "<h2>Evidence</h2>", "<h2>Ledger hashes</h2>")
        .doesNotContain("<script", "<h2>Signature</h2>");
  }

  @Test
  void shouldIssueTheSameCertificateAsPdfWithItsPayloadEmbedded() throws Exception {
    // Given a confirmed subscriber's proof
    confirmedSubscriberWithEvidence();
    ObjectNode proof = proof(true);

    // When it is issued as PDF twice, and checked
    byte[] pdf = ConsentCertificate.issuePdf(proof, KEYS.signing());
    ConsentCertificate.Verdict verdict = ConsentCertificate.verify(pdf, KEYS.publicKey());

    // Then the bytes depend on the payload alone, it verifies, and it reads as the HTML says
    assertThat(ConsentCertificate.issuePdf(proof, KEYS.signing())).isEqualTo(pdf);
    assertThat(verdict.valid()).as(verdict.message()).isTrue();
    assertThat(verdict.message())
        .startsWith("certificate valid: +1415*****00, program " + PROGRAM + " (Acme) CONFIRMED")
        .contains("5 hashes recomputed");
    String text;
    try (PDDocument document = Loader.loadPDF(pdf)) {
      text = new PDFTextStripper().getText(document);
      assertThat(document.getPage(0).getMediaBox().getWidth()).isEqualTo(PDRectangle.A4.getWidth());
    }
    assertThat(text)
        .containsSubsequence(
            "Consent certificate for +1415*****00",
            "Subscriber +1415*****00 (masked)",
            "Program " + PROGRAM + " (Acme)",
            "Outcome CONFIRMED since " + T0.plusSeconds(40) + " by REPLY_YES",
            "Consent text shown \"Yes, text me Acme deals.",
            "Ledger ledger verified",
            "Timeline",
            "REQUESTED",
            "CONFIRMED",
            "Evidence",
            "Jornaya LeadiD 3F2504E0-4F89-11D3-9A0C-0305E82C3301",
            "Ledger hashes",
            "Signature");
    // And one byte changed anywhere, or another key, fails
    List<Integer> passed = new ArrayList<>();
    for (int i = 0; i < pdf.length; i += 211) {
      byte[] altered = pdf.clone();
      altered[i] = (byte) (altered[i] ^ 0x01);
      if (ConsentCertificate.verify(altered, KEYS.publicKey()).valid()) {
        passed.add(i);
      }
    }
    assertThat(passed).isEmpty();
    assertThat(
            ConsentCertificate.verify(pdf, CheckpointSigningKey.generate().publicKey()).message())
        .startsWith("signed by key " + KEYS.publicKey().keyId() + ", not by the given public key");
  }

  @Test
  void shouldCertifyAnErasedSubscriberWithoutTheirPersonalData() throws Exception {
    // Given a confirmed subscriber erased later
    confirmedSubscriberWithEvidence();
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

    // When a certificate is issued and checked
    String page = certificate(false);
    ConsentCertificate.Verdict verdict =
        ConsentCertificate.verify(page.getBytes(StandardCharsets.UTF_8), KEYS.publicKey());

    // Then it still proves the consent and the outcome, says when the erasure was, and holds
    // neither IP nor evidence
    assertThat(verdict.valid()).as(verdict.message()).isTrue();
    assertThat(verdict.message()).contains("6 records chained, 6 hashes recomputed");
    assertThat(page)
        .contains(
            "<span class=\"ko\">ERASED at " + erasedAt + "</span>",
            "<td data-fact=\"ip\">(erased)</td>",
            "<p data-fact=\"evidence\">Erased with the subscriber's personal data",
            "Yes, text me Acme deals.")
        .doesNotContain("203.0.113.7", "3F2504E0", "trustedform.com/2b5d");
  }

  @Test
  void shouldShowTheEvidenceInTheTextAndJsonExports() throws Exception {
    // Given a confirmed subscriber whose signup carried evidence
    confirmedSubscriberWithEvidence();

    // When it is exported as text and JSON
    ConsentExport export = export();
    String text = ConsentExportDocument.text(export);
    var json = ConsentExportJson.toJson(export).get("steps").get(0).get("evidence");

    // Then both show it, opened from the sealed personal data
    assertThat(text)
        .contains(
            "  TrustedForm certificate: https://cert.trustedform.com/2b5d3f0e9a\n",
            "  Jornaya LeadiD: 3F2504E0-4F89-11D3-9A0C-0305E82C3301\n",
            "  Form snapshot SHA-256: " + "ab".repeat(32) + "\n",
            "  Evidence vendor: acme-leads\n");
    assertThat(json.toString())
        .isEqualTo(
            "{\"trustedFormCertUrl\":\"https://cert.trustedform.com/2b5d3f0e9a\","
                + "\"jornayaLeadId\":\"3F2504E0-4F89-11D3-9A0C-0305E82C3301\","
                + "\"formSnapshotSha256\":\""
                + "ab".repeat(32)
                + "\",\"extra\":{\"vendor\":\"acme-leads\"}}");
  }

  private static String verify(String page) {
    ConsentCertificate.Verdict verdict =
        ConsentCertificate.verify(page.getBytes(StandardCharsets.UTF_8), KEYS.publicKey());
    assertThat(verdict.valid()).as(verdict.message()).isFalse();
    return verdict.message();
  }
}
