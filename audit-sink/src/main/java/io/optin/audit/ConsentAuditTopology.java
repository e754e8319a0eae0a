package io.optin.audit;

import io.optin.avro.ConsentAuditRecord;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.streams.DecodingDeserializer;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

/**
 * The consent ledger's only writer: one {@code ConsentAuditRecord} per consent step of the flow
 * (and per erasure request) onto {@code optin.consent-audit.v1}, keyed by the subject's keyed hash
 * (never the phone), personal data sealed per subject, hash-chained per subject and per partition,
 * with signed checkpoints; event ids derive from the source record's position so a replay yields
 * the same ids. Poison records go to {@code optin.dead-letters.v1}.
 *
 * <p>Every input is co-partitioned by phone, so the task of partition p sees all of a subject's
 * steps, and it writes ledger partition p only ({@link #LEDGER_PARTITION}): each ledger partition
 * has exactly one writer, in its order.
 */
public final class ConsentAuditTopology {

  /** Seen message sids and attempt ids (value: record timestamp), kept {@code dedupeRetention}. */
  public static final String DEDUPE_STORE = "audit-dedupe";

  /** Head of each subject's chain ({@code sequence:hash}), by subjectKey. */
  public static final String SUBJECT_HEADS_STORE = "audit-subject-heads";

  /** Head of the task's ledger partition chain and the records since its last checkpoint. */
  public static final String PARTITION_HEAD_STORE = "audit-partition-head";

  /** Wrapped data keys by subjectKey; its changelog compacts as fast as the key topic. */
  public static final String DATA_KEYS_STORE = "audit-data-keys";

  static final String APPENDER = "ledger-append";
  static final String AUDIT_SINK = "consent-audit-sink";
  static final String CHECKPOINT_SINK = "consent-checkpoint-sink";
  static final String KEYS_SINK = "consent-keys-sink";
  static final String DEAD_LETTER_SINK = "dead-letter-sink";

  /**
   * A ledger record goes to the partition it was derived from, which is its writer task's
   * partition.
   */
  static final StreamPartitioner<String, Object> LEDGER_PARTITION =
      (topic, key, value, partitions) ->
          Optional.of(Set.of(((ConsentAuditRecord) value).getSourcePartition()));

  private ConsentAuditTopology() {}

  /** The topology; pure: it builds no client and does no I/O. */
  public static Topology build(ConsentAuditTopologyConfig cfg, AvroSerdes serdes) {
    return build(cfg, serdes, OptinMetrics.unexposed());
  }

  /**
   * As {@link #build(ConsentAuditTopologyConfig, AvroSerdes)}, timing each confirmation's way to
   * the ledger and counting deliveries on {@code metrics}.
   */
  public static Topology build(
      ConsentAuditTopologyConfig cfg, AvroSerdes serdes, OptinMetrics metrics) {
    return build(cfg, serdes, true, metrics);
  }

  /**
   * For the ledger benchmark only, to weigh the cost of encryption: the same topology, but personal
   * data is dropped instead of sealed. Never run it as the product: the proof of consent would lose
   * the phone, IP and user agent.
   */
  public static Topology buildWithoutPersonalDataForBenchmark(
      ConsentAuditTopologyConfig cfg, AvroSerdes serdes) {
    return build(cfg, serdes, false, OptinMetrics.unexposed());
  }

  private static Topology build(
      ConsentAuditTopologyConfig cfg,
      AvroSerdes serdes,
      boolean sealPersonalData,
      OptinMetrics metrics) {
    ConsentSteps steps = new ConsentSteps(cfg);
    Topology topology = new Topology();
    List<StepNode> nodes =
        List.of(
            input(topology, cfg, serdes, Topics.SIGNUP_REQUESTS, steps::signup, false),
            input(topology, cfg, serdes, Topics.CHALLENGES, steps::challenge, false),
            input(topology, cfg, serdes, Topics.SMS_DELIVERY, steps::delivery, true),
            input(topology, cfg, serdes, Topics.SMS_INBOUND, steps::inbound, true),
            input(topology, cfg, serdes, Topics.PROGRAM_OPT_OUTS, steps::programOptOut, true),
            input(topology, cfg, serdes, Topics.VERIFICATION_ATTEMPTS, steps::attempt, true),
            input(topology, cfg, serdes, Topics.SIGNUP_REJECTS, steps::reject, false),
            input(topology, cfg, serdes, Topics.CONSENT_ERASURES, steps::erasure, false));
    String[] all = nodes.stream().map(StepNode::name).toArray(String[]::new);
    String[] deduping =
        nodes.stream().filter(StepNode::dedupes).map(StepNode::name).toArray(String[]::new);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DEDUPE_STORE), Serdes.String(), Serdes.Long()),
        deduping);

    topology.addProcessor(
        APPENDER,
        () -> new LedgerAppendProcessor(cfg.keys(), cfg.checkpoints(), sealPersonalData, metrics),
        all);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SUBJECT_HEADS_STORE), Serdes.String(), Serdes.String()),
        APPENDER);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(PARTITION_HEAD_STORE), Serdes.String(), Serdes.String()),
        APPENDER);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DATA_KEYS_STORE),
                Serdes.String(),
                serdes.forTopic(Topics.CONSENT_KEYS))
            .withLoggingEnabled(Topics.FAST_COMPACTION),
        APPENDER);

    topology.addSink(
        AUDIT_SINK,
        Topics.CONSENT_AUDIT.name(),
        Serdes.String().serializer(),
        widen(serdes.forTopic(Topics.CONSENT_AUDIT).serializer()),
        LEDGER_PARTITION,
        APPENDER);
    topology.addSink(
        CHECKPOINT_SINK,
        Topics.CONSENT_CHECKPOINTS.name(),
        Serdes.String().serializer(),
        widen(serdes.forTopic(Topics.CONSENT_CHECKPOINTS).serializer()),
        APPENDER);
    topology.addSink(
        KEYS_SINK,
        Topics.CONSENT_KEYS.name(),
        Serdes.String().serializer(),
        widen(serdes.forTopic(Topics.CONSENT_KEYS).serializer()),
        APPENDER);
    topology.addSink(
        DEAD_LETTER_SINK,
        Topics.DEAD_LETTERS.name(),
        Serdes.String().serializer(),
        widen(serdes.forTopic(Topics.DEAD_LETTERS).serializer()),
        all);
    return topology;
  }

  /** Adds a poison-safe source and the processor deriving its steps. */
  private static <V extends SpecificRecord> StepNode input(
      Topology topology,
      ConsentAuditTopologyConfig cfg,
      AvroSerdes serdes,
      Topic<V> topic,
      ConsentStepRule<V> rule,
      boolean dedupes) {
    String source = topic.name() + "-source";
    String processor = topic.name() + "-steps";
    topology.addSource(
        source,
        Serdes.String().deserializer(),
        new DecodingDeserializer<>(serdes.forTopic(topic).deserializer()),
        topic.name());
    topology.addProcessor(
        processor,
        () -> new AuditStepProcessor<>(cfg.applicationId(), rule, cfg.dedupeRetention(), dedupes),
        source);
    return new StepNode(processor, dedupes);
  }

  /**
   * Sinks receive the processors' output as {@code Object}; each sink is only given its own record
   * type.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Serializer<Object> widen(Serializer<? extends SpecificRecord> serializer) {
    return (Serializer) serializer;
  }

  private record StepNode(String name, boolean dedupes) {}
}
