package io.optin.systemtests.audit;

import static org.awaitility.Awaitility.await;

import io.optin.audit.AuditService;
import io.optin.audit.ConsentAuditTopologyConfig;
import io.optin.audit.PipelineRecords;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.crypto.MasterKey;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.avro.LedgerCheckpoint;
import io.optin.avro.SignupRequested;
import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.kafka.TopicReader;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.server.topics.ProvisioningReport;
import io.optin.server.topics.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real ledger on the embedded broker, written by the real audit topology (chaining, sealing,
 * checkpoints, EOS) from signups, then left still so an archive can be compared with it record for
 * record.
 */
final class LedgerOnBroker implements AutoCloseable {

  static final int PARTITIONS = 3;
  private static final String[] AREA_CODES = {"415", "212", "617"};

  final EmbeddedKafkaBroker broker;
  final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  final AvroSerdes serdes = new AvroSerdes(registry, true);
  final LedgerKeys keys = new LedgerKeys(MasterKey.generate(), CheckpointSigningKey.generate());

  private LedgerOnBroker(EmbeddedKafkaBroker broker) {
    this.broker = broker;
  }

  /**
   * Starts a broker, creates every topic, and has the audit topology turn {@code signups} signups
   * into a ledger.
   */
  static LedgerOnBroker write(int signups, Path stateDir) throws Exception {
    LedgerOnBroker ledger =
        new LedgerOnBroker(EmbeddedKafkaBroker.builder().port(0).build().start());
    try {
      ledger.writeLedger(signups, stateDir);
      return ledger;
    } catch (Exception | Error e) {
      ledger.close();
      throw e;
    }
  }

  private void writeLedger(int signups, Path stateDir) throws Exception {
    LedgerOnBroker ledger = this;
    ledger.createTopics();
    ConsentAuditTopologyConfig config =
        ConsentAuditTopologyConfig.of(
            new SubjectKeys("test-subject-secret-".repeat(3).getBytes(StandardCharsets.UTF_8)),
            6,
            ledger.keys,
            new CheckpointPolicy(Duration.ofSeconds(1), 40));
    try (AuditService audit =
        new AuditService(
            config,
            Map.of(
                "bootstrap.servers",
                ledger.broker.bootstrapServers(),
                "state.dir",
                stateDir.toString()),
            ledger.serdes)) {
      audit.start();
      ledger.produceSignups(signups);
      // Every signup is in the ledger once the topology has committed them.
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> ledger.records().stream().filter(r -> r.key() != null).count() >= signups);
    }
  }

  Map<String, Object> clientSettings() {
    return Map.of(
        "bootstrap.servers", broker.bootstrapServers(), ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 25);
  }

  /** Every committed ledger record, partition by partition, as Kafka holds it. */
  List<LedgerCopy> records() {
    List<LedgerCopy> copies = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : readAll(Topics.CONSENT_AUDIT.name())) {
      copies.add(
          new LedgerCopy(
              record.partition(),
              record.offset(),
              record.key(),
              Base64.getEncoder().encodeToString(record.value())));
    }
    copies.sort(LedgerCopy.ORDER);
    return copies;
  }

  /** The latest signed checkpoint of each partition, from the compacted checkpoint topic. */
  Collection<LedgerCheckpoint> latestCheckpoints() {
    Map<Integer, LedgerCheckpoint> latest = new TreeMap<>();
    var deserializer = serdes.forTopic(Topics.CONSENT_CHECKPOINTS).deserializer();
    for (ConsumerRecord<String, byte[]> record : readAll(Topics.CONSENT_CHECKPOINTS.name())) {
      LedgerCheckpoint checkpoint = deserializer.deserialize(record.topic(), record.value());
      latest.merge(
          checkpoint.getPartition(),
          checkpoint,
          (a, b) -> a.getPartitionSequence() >= b.getPartitionSequence() ? a : b);
    }
    return latest.values();
  }

  @Override
  public void close() {
    broker.close();
  }

  /**
   * Every topic, through the provisioner: it returns once the broker serves them, so the first send
   * finds a leader.
   */
  private void createTopics() {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      ProvisioningReport report =
          new TopicProvisioner(admin, PARTITIONS, 1, Duration.ofSeconds(60))
              .provision(Topics.all());
      if (!report.succeeded()) {
        throw new IllegalStateException(report.table());
      }
    }
  }

  private void produceSignups(int count) {
    // Recent: the flow topics keep 30 days, and the broker would delete older records while the
    // test runs.
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minusSeconds(3600);
    try (KafkaProducer<String, SignupRequested> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            serdes.forTopic(Topics.SIGNUP_REQUESTS).serializer())) {
      for (int i = 0; i < count; i++) {
        String phone =
            "+1"
                + AREA_CODES[i / 100 % AREA_CODES.length]
                + "55501"
                + String.format("%02d", i % 100);
        producer.send(
            new ProducerRecord<>(
                Topics.SIGNUP_REQUESTS.name(),
                phone,
                SignupRequested.newBuilder()
                    .setSignupId(
                        UUID.nameUUIDFromBytes(("signup-" + i).getBytes(StandardCharsets.UTF_8))
                            .toString())
                    .setProgramId("acme-deals")
                    .setPhone(phone)
                    .setEvidence(PipelineRecords.evidence())
                    .setOccurredAt(start.plusSeconds(i))
                    .build()));
      }
      producer.flush();
    }
  }

  private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    try {
      return new TopicReader(
              Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              Duration.ofSeconds(30))
          .readAll(topic);
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
