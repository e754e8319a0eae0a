package io.optin.audit;

import io.optin.audit.crypto.DataKeys;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.audit.ledger.LedgerEntry;
import io.optin.audit.ledger.LedgerVerdict;
import io.optin.audit.ledger.LedgerVerifier;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.DeadLetter;
import io.optin.avro.LedgerCheckpoint;
import io.optin.avro.SubjectDataKey;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.Settings;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.streams.RecordFailures;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The audit topology on a TopologyTestDriver, with what it wrote kept as raw bytes per topic
 * (changelogs included) and decoded on demand: the ledger as {@link LedgerEntry}s, checkpoints, the
 * key topic, dead letters.
 */
final class AuditDriver implements AutoCloseable {

  static final Instant WALL = Instant.parse("2025-03-01T12:00:00Z");
  static final SubjectKeys SUBJECTS =
      new SubjectKeys("test-subject-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  static final LedgerKeys KEYS =
      new LedgerKeys(
          io.optin.audit.crypto.MasterKey.generate(),
          io.optin.audit.crypto.CheckpointSigningKey.generate());

  final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  final TopologyTestDriver driver;
  private final Map<String, List<KeyValue<byte[], byte[]>>> written = new LinkedHashMap<>();

  AuditDriver(Path stateDir, CheckpointPolicy policy) {
    this(stateDir, policy, OptinMetrics.unexposed());
  }

  AuditDriver(Path stateDir, OptinMetrics metrics) {
    this(stateDir, CheckpointPolicy.from(Settings.defaults(AuditSettings.CATALOGUE)), metrics);
  }

  AuditDriver(Path stateDir, CheckpointPolicy policy, OptinMetrics metrics) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "optin-audit-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    RecordFailures.configure(
        props, new AuditDeadLetters(serdes, Clock.fixed(WALL, ZoneOffset.UTC)));
    ConsentAuditTopologyConfig cfg = ConsentAuditTopologyConfig.of(SUBJECTS, 6, KEYS, policy);
    driver = new TopologyTestDriver(ConsentAuditTopology.build(cfg, serdes, metrics), props, WALL);
  }

  AuditDriver(Path stateDir) {
    this(stateDir, CheckpointPolicy.from(Settings.defaults(AuditSettings.CATALOGUE)));
  }

  <V extends SpecificRecord> void pipe(Topic<V> topic, String key, V value, Instant at) {
    driver
        .createInputTopic(
            topic.name(), Serdes.String().serializer(), serdes.forTopic(topic).serializer())
        .pipeInput(key, value, at);
  }

  void pipeRaw(Topic<?> topic, String key, byte[] value, Instant at) {
    driver
        .createInputTopic(topic.name(), Serdes.String().serializer(), new ByteArraySerializer())
        .pipeInput(key, value, at);
  }

  void advanceWallClock(Duration by) {
    driver.advanceWallClockTime(by);
  }

  /** Everything written so far to a topic, raw. */
  List<KeyValue<byte[], byte[]>> raw(String topic) {
    drain();
    return written.getOrDefault(topic, List.of());
  }

  /** Every key and value byte written to any topic, changelogs included. */
  List<byte[]> allBytes() {
    drain();
    List<byte[]> all = new ArrayList<>();
    written
        .values()
        .forEach(
            records ->
                records.forEach(
                    kv -> {
                      if (kv.key != null) {
                        all.add(kv.key);
                      }
                      if (kv.value != null) {
                        all.add(kv.value);
                      }
                    }));
    return all;
  }

  List<LedgerEntry> ledger() {
    List<LedgerEntry> entries = new ArrayList<>();
    long offset = 0;
    for (KeyValue<byte[], byte[]> kv : raw(Topics.CONSENT_AUDIT.name())) {
      entries.add(
          new LedgerEntry(0, offset++, string(kv.key), decode(Topics.CONSENT_AUDIT, kv.value)));
    }
    return entries;
  }

  List<ConsentAuditRecord> records() {
    return ledger().stream().map(LedgerEntry::record).toList();
  }

  List<LedgerCheckpoint> checkpoints() {
    return raw(Topics.CONSENT_CHECKPOINTS.name()).stream()
        .map(kv -> decode(Topics.CONSENT_CHECKPOINTS, kv.value))
        .toList();
  }

  /** The key topic as written, tombstones as null values. */
  List<KeyValue<String, SubjectDataKey>> keyRecords() {
    return raw(Topics.CONSENT_KEYS.name()).stream()
        .map(kv -> KeyValue.pair(string(kv.key), decode(Topics.CONSENT_KEYS, kv.value)))
        .toList();
  }

  /** The key topic once compacted: the latest value of each key, tombstoned keys gone. */
  Map<String, SubjectDataKey> compactedKeys() {
    Map<String, SubjectDataKey> keys = new HashMap<>();
    for (KeyValue<String, SubjectDataKey> kv : keyRecords()) {
      if (kv.value == null) {
        keys.remove(kv.key);
      } else {
        keys.put(kv.key, kv.value);
      }
    }
    return keys;
  }

  DataKeys dataKeys() {
    return new DataKeys(KEYS.master(), compactedKeys()::get);
  }

  List<DeadLetter> deadLetters() {
    return raw(Topics.DEAD_LETTERS.name()).stream()
        .map(kv -> decode(Topics.DEAD_LETTERS, kv.value))
        .toList();
  }

  /** The ledger verified against the latest checkpoint written. */
  LedgerVerdict verify() {
    List<LedgerCheckpoint> checkpoints = checkpoints();
    return LedgerVerifier.verify(
        ledger(),
        KEYS.publicKey(),
        checkpoints.isEmpty() ? List.of() : List.of(checkpoints.get(checkpoints.size() - 1)));
  }

  @Override
  public void close() {
    driver.close();
  }

  private void drain() {
    for (String topic : driver.producedTopicNames()) {
      TestOutputTopic<byte[], byte[]> output =
          driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      for (TestRecord<byte[], byte[]> record : output.readRecordsToList()) {
        written
            .computeIfAbsent(topic, t -> new ArrayList<>())
            .add(KeyValue.pair(record.key(), record.value()));
      }
    }
  }

  private <V extends SpecificRecord> V decode(Topic<V> topic, byte[] bytes) {
    return serdes.forTopic(topic).deserializer().deserialize(topic.name(), bytes);
  }

  private static String string(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
