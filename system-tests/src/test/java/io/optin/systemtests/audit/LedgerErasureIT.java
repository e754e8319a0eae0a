package io.optin.systemtests.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.audit.AuditService;
import io.optin.audit.AuditSettings;
import io.optin.audit.ConsentAuditTopologyConfig;
import io.optin.audit.archive.ArchiveService;
import io.optin.audit.archive.ArchiveSettings;
import io.optin.audit.archive.EmbeddedDatabase;
import io.optin.audit.archive.JdbcTarget;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.DataKeys;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.crypto.MasterKey;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.audit.tools.LedgerTopics;
import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.InboundSms;
import io.optin.avro.ReplyIntent;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SourceChannel;
import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.devkit.registry.EmbeddedSchemaRegistry;
import io.optin.domain.otp.SubjectKeys;
import io.optin.domain.screening.ConsentTextHash;
import io.optin.kit.config.Settings;
import io.optin.kit.kafka.TopicReader;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Erasure end to end on the embedded broker: the audit sink writes the ledger of two subscribers,
 * {@code optin audit erase} erases one, and afterwards the plaintext phone is nowhere in the raw
 * bytes of the ledger, checkpoint and key topics, the erased subject's data key is a tombstone,
 * {@code optin audit verify} passes and the export says when.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LedgerErasureIT {

  private static final String PHONE = "+14155550100";
  private static final String OTHER_PHONE = "+33612345678";
  private static final String SUBJECT_SECRET = "test-subject-secret-of-at-least-32-chars";
  private static final String CONSENT =
      "Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.";
  // Recent: the flow topics keep 30 days, and the broker deletes older records while the test runs.
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600);
  private static final int PARTITIONS = 3;

  @TempDir Path brokerDir;
  @TempDir Path stateDir;
  @TempDir Path devDir;
  @TempDir Path archiveDir;

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
        topics.add(new NewTopic(topic.name(), PARTITIONS, (short) 1).configs(topic.configs()));
      }
      admin.createTopics(topics).all().get();
    }
    ConsentAuditTopologyConfig cfg =
        ConsentAuditTopologyConfig.of(
            subjects, 6, keys, new CheckpointPolicy(Duration.ofSeconds(1), 1_000));
    audit =
        new AuditService(
            cfg,
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
  void shouldEraseAPhoneSoItIsUnreadableEverywhereWhileTheLedgerStillVerifies() throws Exception {
    // Given two confirmed subscribers in the ledger
    confirm(PHONE, T0);
    confirm(OTHER_PHONE, T0.plusSeconds(5));
    LedgerTopics topics =
        new LedgerTopics(
            Map.of("bootstrap.servers", broker.bootstrapServers()), serdes, Duration.ofSeconds(30));
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                subjectRecords(topics, PHONE).size() == 4
                    && subjectRecords(topics, OTHER_PHONE).size() == 4);
    assertThat(rawValues(Topics.CONSENT_AUDIT)).noneMatch(bytes -> contains(bytes, PHONE));

    // When the first phone is erased with the command
    Run erase =
        optin(
            "audit",
            "erase",
            "--phone",
            PHONE,
            "--reason",
            "GDPR art. 17, ticket 4411",
            "--requested-by",
            "dpo",
            "--wait",
            "90s");

    // Then the ERASED record is chained to the subject's history
    assertThat(erase.exit()).as(erase.err()).isZero();
    assertThat(erase.out())
        .contains("Erasure of +1415*****00 requested")
        .contains("ERASED recorded: event ")
        .doesNotContain(PHONE);
    List<ConsentAuditRecord> history = subjectRecords(topics, PHONE);
    // (records of different input topics are chained in the order the task processed them)
    assertThat(history.subList(0, 4))
        .extracting(ConsentAuditRecord::getEventType)
        .containsExactlyInAnyOrder(
            ConsentEventType.REQUESTED,
            ConsentEventType.SENT,
            ConsentEventType.REPLY_RECEIVED,
            ConsentEventType.CONFIRMED);
    assertThat(history.get(4).getEventType()).isEqualTo(ConsentEventType.ERASED);
    assertThat(history.get(4).getPreviousHash()).isEqualTo(history.get(3).getHash());
    // And the subject's data key ends in a tombstone: nothing opens its records any more
    String subject = subjects.keyFor(PHONE);
    assertThat(topics.dataKey(subject)).isNull();
    DataKeys dataKeys =
        new DataKeys(
            keys.master(),
            key -> {
              try {
                return topics.dataKey(key);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(history).allSatisfy(record -> assertThat(dataKeys.open(record)).isEmpty());
    assertThat(dataKeys.open(subjectRecords(topics, OTHER_PHONE).get(0)).orElseThrow().getPhone())
        .isEqualTo(OTHER_PHONE);
    // And the plaintext phone, IP and user agent are nowhere in the raw bytes of the ledger's
    // topics
    for (Topic<?> topic :
        List.of(
            Topics.CONSENT_AUDIT,
            Topics.CONSENT_CHECKPOINTS,
            Topics.CONSENT_KEYS,
            Topics.CONSENT_ERASURES)) {
      assertThat(rawValues(topic))
          .as(topic.name())
          .noneMatch(
              bytes ->
                  contains(bytes, PHONE)
                      || contains(bytes, PHONE.substring(1))
                      || contains(bytes, "198.51.100.23")
                      || contains(bytes, "Firefox/128"));
    }

    // And the whole ledger verifies once a checkpoint covers the ERASED record
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                topics.latestCheckpoints().stream()
                    .anyMatch(
                        c -> c.getPartitionSequence() >= history.get(4).getPartitionSequence()));
    Run verify = optin("audit", "verify");
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out())
        .containsPattern(
            "ledger intact: \\d+ records, 2 subjects, \\d partitions?, \\d+ checkpoints"
                + " checked");
    // And the export says the subject was erased, and when; the status as of before erasure is
    // still provable
    Run export = optin("audit", "export", "--phone", PHONE);
    assertThat(export.exit()).as(export.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(export.out());
    assertThat(json.get("erased").get("at").asText())
        .isEqualTo(history.get(4).getOccurredAt().toString());
    assertThat(json.get("erased").get("detail").asText())
        .contains("by dpo: GDPR art. 17, ticket 4411");
    assertThat(json.get("steps").get(0).get("personalData").asText()).isEqualTo("erased");
    assertThat(json.get("steps").get(0).has("ip")).isFalse();
    Run status =
        optin(
            "audit",
            "status",
            "--phone",
            PHONE,
            "--program",
            "acme-deals",
            "--at",
            T0.plusSeconds(60).toString());
    assertThat(status.out())
        .contains("acme-deals at " + T0.plusSeconds(60) + ": CONFIRMED since " + T0.plusSeconds(4));

    // And once the ledger is archived to segment files and to a real PostgreSQL, neither holds the
    // plaintext
    // (the archives store what the ledger holds: ciphertext whose key is gone), and both verify
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start()) {
      JdbcTarget db = postgres.newDatabase();
      ArchiveSettings archive =
          ArchiveSettings.from(
              Settings.defaults(AuditSettings.CATALOGUE)
                  .with(
                      Map.of(
                          "audit.archive.dir",
                          archiveDir.toString(),
                          "audit.archive.jdbc.url",
                          db.url()),
                      "test"));
      long[] committed = {0};
      topics.forEachRaw(record -> committed[0]++);
      long ledgerRecords = committed[0];
      try (ArchiveService service =
          new ArchiveService(
                  archive, Map.of("bootstrap.servers", broker.bootstrapServers()), serdes.client())
              .start()) {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(service.archivers())
                        .allSatisfy(
                            archiver ->
                                assertThat(archiver.archived())
                                    .as(
                                        "%s (%s, last error %s)",
                                        archiver, archiver.state(), archiver.lastError())
                                    .isGreaterThanOrEqualTo(ledgerRecords)));
      }
      List<byte[]> archived = new ArrayList<>();
      try (Stream<Path> files = Files.walk(archiveDir)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          archived.add(Files.readAllBytes(file));
        }
      }
      try (Connection connection = db.connect();
          Statement sql = connection.createStatement();
          ResultSet dump = sql.executeQuery("SELECT t::text FROM consent_ledger t")) {
        while (dump.next()) {
          archived.add(dump.getString(1).getBytes(StandardCharsets.UTF_8));
        }
      }
      assertThat(archived)
          .hasSizeGreaterThan((int) ledgerRecords)
          .noneMatch(
              bytes ->
                  contains(bytes, PHONE)
                      || contains(bytes, PHONE.substring(1))
                      || contains(bytes, "198.51.100.23")
                      || contains(bytes, "Firefox/128"));
      String key = keys.publicKey().toBase64();
      assertThat(
              optin(
                      "audit",
                      "verify",
                      "--files",
                      archiveDir.toString(),
                      "--offline",
                      "--public-key",
                      key)
                  .exit())
          .isZero();
      assertThat(
              optin("audit", "verify", "--jdbc", db.url(), "--offline", "--public-key", key).exit())
          .isZero();
    }
  }

  private record Run(int exit, String out, String err) {}

  private Run optin(String... args) {
    Map<String, String> environment = new HashMap<>();
    environment.put("OPTIN_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    environment.put("OPTIN_SCHEMA_REGISTRY_URL", registry.url());
    environment.put("OPTIN_AUDIT_SUBJECT_SECRET", SUBJECT_SECRET);
    environment.put("OPTIN_AUDIT_MASTER_KEY", keys.master().toBase64());
    environment.put("OPTIN_AUDIT_SIGNING_PUBLIC_KEY", keys.publicKey().toBase64());
    environment.put("OPTIN_DEV_DATA_DIR", devDir.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = OptinCommand.commandLine(environment);
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int exit = command.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private List<ConsentAuditRecord> subjectRecords(LedgerTopics topics, String phone)
      throws Exception {
    return topics.subjectRecords(subjects.keyFor(phone), phone);
  }

  /** Signup (with IP and user agent), code SENT, reply YES, challenge closed CONFIRMED. */
  private void confirm(String phone, Instant at) throws Exception {
    ConsentEvidence evidence =
        ConsentEvidence.newBuilder()
            .setConsentText(CONSENT)
            .setConsentTextSha256(ConsentTextHash.of(CONSENT))
            .setChannel(SourceChannel.WEB_FORM)
            .setPageUrl("https://acme.example/signup")
            .setIp("198.51.100.23")
            .setUserAgent("Mozilla/5.0 (X11; Linux x86_64) Firefox/128")
            .setLocale("en-US")
            .build();
    String challengeId = "challenge-" + phone.hashCode();
    String sid = "SM" + Integer.toHexString(phone.hashCode());
    String signupId = UUID.nameUUIDFromBytes(phone.getBytes(StandardCharsets.UTF_8)).toString();
    try (KafkaProducer<String, SpecificRecord> producer = producer()) {
      send(
          producer,
          Topics.SIGNUP_REQUESTS,
          phone,
          SignupRequested.newBuilder()
              .setSignupId(signupId)
              .setProgramId("acme-deals")
              .setPhone(phone)
              .setEvidence(evidence)
              .setOccurredAt(at)
              .build(),
          at);
      send(
          producer,
          Topics.SMS_DELIVERY,
          phone,
          SmsDeliveryReport.newBuilder()
              .setReportId("report-" + sid)
              .setCommandId("command-" + sid)
              .setChallengeId(challengeId)
              .setProgramId("acme-deals")
              .setPhone(phone)
              .setMessageSid(sid)
              .setStatus(DeliveryStatus.SENT)
              .setAttempts(1)
              .setMaskedBody("Acme: your code is ******. Reply STOP to opt out.")
              .setSource(ReportSource.SENDER)
              .setOccurredAt(at.plusSeconds(1))
              .build(),
          at.plusSeconds(1));
      send(
          producer,
          Topics.SMS_INBOUND,
          phone,
          InboundSms.newBuilder()
              .setMessageSid("SMin" + sid)
              .setPhone(phone)
              .setToNumber("+15005550006")
              .setIntent(ReplyIntent.CONFIRM)
              .setMaskedBody("YES")
              .setReceivedAt(at.plusSeconds(4))
              .build(),
          at.plusSeconds(4));
      send(
          producer,
          Topics.CHALLENGES,
          phone,
          ChallengeEvent.newBuilder()
              .setChallengeId(challengeId)
              .setType(ChallengeEventType.CLOSED)
              .setSignupId(signupId)
              .setProgramId("acme-deals")
              .setPhone(phone)
              .setIssuedAt(at)
              .setExpiresAt(at.plusSeconds(600))
              .setOutcome(ChallengeOutcome.CONFIRMED)
              .setChannel(SourceChannel.WEB_FORM)
              .setOccurredAt(at.plusSeconds(4))
              .build(),
          at.plusSeconds(4));
      producer.flush();
    }
  }

  private static <V extends SpecificRecord> void send(
      KafkaProducer<String, SpecificRecord> producer,
      Topic<V> topic,
      String key,
      V value,
      Instant at) {
    producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key, value));
  }

  private KafkaProducer<String, SpecificRecord> producer() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
    values.configure(Map.of("schema.registry.url", registry.url()), false);
    return new KafkaProducer<>(props, new StringSerializer(), values);
  }

  /** Every key and value of a topic, as the bytes on the broker, aborted transactions' included. */
  private List<byte[]> rawValues(Topic<?> topic) throws Exception {
    List<byte[]> all = new ArrayList<>();
    new TopicReader(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            Duration.ofSeconds(30))
        .includingUncommitted()
        .read(
            topic.name(),
            null,
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer(),
            record -> {
              if (record.key() != null) {
                all.add(record.key());
              }
              if (record.value() != null) {
                all.add(record.value());
              }
            });
    return all;
  }

  private static boolean contains(byte[] haystack, String needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
  }
}
