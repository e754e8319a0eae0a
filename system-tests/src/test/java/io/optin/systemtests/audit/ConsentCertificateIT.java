package io.optin.systemtests.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.audit.AuditService;
import io.optin.audit.ConsentAuditTopologyConfig;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.crypto.MasterKey;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.audit.tools.LedgerTopics;
import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.FormEvidence;
import io.optin.avro.InboundSms;
import io.optin.avro.LedgerCheckpoint;
import io.optin.avro.ReplyIntent;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SourceChannel;
import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.devkit.registry.EmbeddedSchemaRegistry;
import io.optin.domain.otp.SubjectKeys;
import io.optin.domain.screening.ConsentTextHash;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.schemas.serde.AvroSerializer;
import io.optin.server.OptinCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code optin audit certificate} and {@code verify-certificate} on the embedded broker: the audit
 * sink writes a confirmed subscriber's ledger with the signup's evidence, the certificate is issued
 * over the verified ledger, verifies offline with the public key only, and fails once altered or
 * checked with another key.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConsentCertificateIT {

  private static final String PHONE = "+14155550100";
  private static final String PROGRAM = "acme-deals";
  private static final String SUBJECT_SECRET = "test-subject-secret-of-at-least-32-chars";
  private static final String CONSENT =
      "Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.";
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600);

  @TempDir Path brokerDir;
  @TempDir Path stateDir;
  @TempDir Path devDir;
  @TempDir Path outDir;

  private final LedgerKeys keys =
      new LedgerKeys(MasterKey.generate(), CheckpointSigningKey.generate());
  private final SubjectKeys subjects =
      new SubjectKeys(SUBJECT_SECRET.getBytes(StandardCharsets.UTF_8));
  private EmbeddedKafkaBroker broker;
  private EmbeddedSchemaRegistry registry;
  private AuditService audit;
  private AvroSerdes serdes;

  @BeforeEach
  void start() throws Exception {
    broker = EmbeddedKafkaBroker.builder().port(0).dataDir(brokerDir).build().start();
    registry = EmbeddedSchemaRegistry.builder(broker.bootstrapServers()).port(0).build().start();
    serdes = AvroSerdes.fromConfig(Map.of("schema.registry.url", registry.url()));
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (Topic<?> topic : Topics.all()) {
        topics.add(new NewTopic(topic.name(), 2, (short) 1).configs(topic.configs()));
      }
      admin.createTopics(topics).all().get();
    }
    audit =
        new AuditService(
            ConsentAuditTopologyConfig.of(
                subjects, 6, keys, new CheckpointPolicy(Duration.ofSeconds(1), 1_000)),
            Map.of(
                "bootstrap.servers",
                broker.bootstrapServers(),
                StreamsConfig.STATE_DIR_CONFIG,
                stateDir.toString()),
            serdes);
    audit.start();
  }

  @AfterEach
  void stop() {
    audit.close();
    registry.close();
    broker.close();
  }

  @Test
  void shouldIssueACertificateThatVerifiesOfflineAndFailsOnceAltered() throws Exception {
    // Given a confirmed subscriber whose signup carried evidence, its ledger checkpointed
    confirm();
    LedgerTopics topics =
        new LedgerTopics(
            Map.of("bootstrap.servers", broker.bootstrapServers()), serdes, Duration.ofSeconds(30));
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              List<ConsentAuditRecord> records =
                  topics.subjectRecords(subjects.keyFor(PHONE), PHONE);
              if (records.size() < 4) {
                return false;
              }
              long last = records.get(records.size() - 1).getPartitionSequence();
              return topics.latestCheckpoints().stream()
                  .map(LedgerCheckpoint::getPartitionSequence)
                  .anyMatch(covered -> covered >= last);
            });
    Path file = outDir.resolve("certificate.html");

    // When the certificate is issued with the phone masked, then checked with the public key only
    Run issued =
        optin(
            "audit",
            "certificate",
            "--phone",
            PHONE,
            "--program",
            PROGRAM,
            "--output",
            file.toString(),
            "--mask-phone");
    Run checked =
        optin("audit", "verify-certificate", file.toString(), "--public-key", publicKey());

    // Then it is written, valid, and says for whom and what
    assertThat(issued.exit()).as(issued.err()).isZero();
    assertThat(issued.out())
        .isEqualTo(
            "Consent certificate for +1415*****00 written to "
                + file
                + " (html, signed by key "
                + keys.publicKey().keyId()
                + ")\n");
    assertThat(checked.exit()).as(checked.err()).isZero();
    assertThat(checked.out())
        .startsWith(
            "certificate valid: +1415*****00, program acme-deals (Acme) CONFIRMED since "
                + T0.plusSeconds(4))
        .contains("4 records chained, 4 hashes recomputed", "signature verified")
        .endsWith("signed by key " + keys.publicKey().keyId() + "\n");
    String page = Files.readString(file);
    assertThat(page)
        .doesNotContain(PHONE)
        .contains(
            "https://cert.trustedform.com/4a1e0c2b9f",
            "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
            "<span class=\"ok\">ledger verified</span>");

    // And one byte changed in the visible consent text fails, naming it
    Path altered = outDir.resolve("altered.html");
    Files.writeString(altered, page.replace("Msg &amp; data", "Msg &amp; data!"));
    Run tampered =
        optin("audit", "verify-certificate", altered.toString(), "--public-key", publicKey());
    assertThat(tampered.exit()).isEqualTo(1);
    assertThat(tampered.err())
        .startsWith(
            "certificate INVALID: the readable part does not show what the signed payload says,"
                + " at line ")
        .contains("(consent-text)");
    // And the same certificate as PDF verifies too
    Path pdf = outDir.resolve("certificate.pdf");
    Run issuedPdf =
        optin(
            "audit",
            "certificate",
            "--phone",
            PHONE,
            "--output",
            pdf.toString(),
            "--format",
            "pdf");
    Run checkedPdf =
        optin("audit", "verify-certificate", pdf.toString(), "--public-key", publicKey());
    assertThat(issuedPdf.exit()).as(issuedPdf.err()).isZero();
    assertThat(Files.readAllBytes(pdf)).startsWith("%PDF-".getBytes(StandardCharsets.US_ASCII));
    assertThat(checkedPdf.exit()).as(checkedPdf.err()).isZero();
    assertThat(checkedPdf.out())
        .startsWith(
            "certificate valid: +14155550100, program acme-deals (Acme) CONFIRMED since "
                + T0.plusSeconds(4));
    // And another key fails
    String otherKey = CheckpointSigningKey.generate().publicKey().toBase64();
    Run wrongKey = optin("audit", "verify-certificate", file.toString(), "--public-key", otherKey);
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.err())
        .startsWith("certificate INVALID: signed by key " + keys.publicKey().keyId() + ", not by");
  }

  private String publicKey() {
    return keys.publicKey().toBase64();
  }

  private record Run(int exit, String out, String err) {}

  private Run optin(String... args) {
    Map<String, String> environment = new HashMap<>();
    environment.put("OPTIN_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    environment.put("OPTIN_SCHEMA_REGISTRY_URL", registry.url());
    environment.put("OPTIN_AUDIT_SUBJECT_SECRET", SUBJECT_SECRET);
    environment.put("OPTIN_AUDIT_MASTER_KEY", keys.master().toBase64());
    environment.put("OPTIN_AUDIT_SIGNING_KEY", keys.signing().toBase64());
    environment.put("OPTIN_PROGRAMS_BRANDS", PROGRAM + "=Acme");
    environment.put("OPTIN_DEV_DATA_DIR", devDir.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = OptinCommand.commandLine(environment);
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int exit = command.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Signup with evidence, code SENT, reply YES, challenge closed CONFIRMED. */
  private void confirm() throws Exception {
    String signupId = "6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b";
    try (KafkaProducer<String, SpecificRecord> producer = producer()) {
      send(
          producer,
          Topics.SIGNUP_REQUESTS,
          SignupRequested.newBuilder()
              .setSignupId(signupId)
              .setProgramId(PROGRAM)
              .setPhone(PHONE)
              .setEvidence(
                  ConsentEvidence.newBuilder()
                      .setConsentText(CONSENT)
                      .setConsentTextSha256(ConsentTextHash.of(CONSENT))
                      .setChannel(SourceChannel.WEB_FORM)
                      .setPageUrl("https://acme.example/signup")
                      .setIp("198.51.100.23")
                      .setUserAgent("Mozilla/5.0 (X11; Linux x86_64) Firefox/128")
                      .setLocale("en-US")
                      .build())
              .setFormEvidence(
                  FormEvidence.newBuilder()
                      .setTrustedFormCertUrl("https://cert.trustedform.com/4a1e0c2b9f")
                      .setJornayaLeadId("3F2504E0-4F89-11D3-9A0C-0305E82C3301")
                      .build())
              .setOccurredAt(T0)
              .build(),
          T0);
      send(
          producer,
          Topics.SMS_DELIVERY,
          SmsDeliveryReport.newBuilder()
              .setReportId("report-1")
              .setCommandId("command-1")
              .setChallengeId("challenge-1")
              .setProgramId(PROGRAM)
              .setPhone(PHONE)
              .setMessageSid("SM0001")
              .setStatus(DeliveryStatus.SENT)
              .setAttempts(1)
              .setMaskedBody("Acme: your code is ******. Reply STOP to opt out.")
              .setSource(ReportSource.SENDER)
              .setOccurredAt(T0.plusSeconds(1))
              .build(),
          T0.plusSeconds(1));
      send(
          producer,
          Topics.SMS_INBOUND,
          InboundSms.newBuilder()
              .setMessageSid("SMin0001")
              .setPhone(PHONE)
              .setToNumber("+15005550006")
              .setIntent(ReplyIntent.CONFIRM)
              .setMaskedBody("YES")
              .setReceivedAt(T0.plusSeconds(4))
              .build(),
          T0.plusSeconds(4));
      send(
          producer,
          Topics.CHALLENGES,
          ChallengeEvent.newBuilder()
              .setChallengeId("challenge-1")
              .setType(ChallengeEventType.CLOSED)
              .setSignupId(signupId)
              .setProgramId(PROGRAM)
              .setPhone(PHONE)
              .setIssuedAt(T0)
              .setExpiresAt(T0.plusSeconds(600))
              .setOutcome(ChallengeOutcome.CONFIRMED)
              .setChannel(SourceChannel.WEB_FORM)
              .setOccurredAt(T0.plusSeconds(4))
              .build(),
          T0.plusSeconds(4));
      producer.flush();
    }
  }

  private static <V extends SpecificRecord> void send(
      KafkaProducer<String, SpecificRecord> producer, Topic<V> topic, V value, Instant at) {
    producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), PHONE, value));
  }

  private KafkaProducer<String, SpecificRecord> producer() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
    values.configure(Map.of("schema.registry.url", registry.url()), false);
    return new KafkaProducer<>(props, new StringSerializer(), values);
  }
}
