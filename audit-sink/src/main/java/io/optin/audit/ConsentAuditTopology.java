package io.optin.audit;

import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.schemas.streams.DecodingDeserializer;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The consent ledger's feed: one {@code ConsentAuditRecord} per consent step of the flow onto
 * {@code optin.consent-audit.v1}, keyed by the subject's keyed hash (never the phone), with event ids derived from
 * the source record's position so a replay yields the same ids. Poison records go to {@code optin.dead-letters.v1}.
 *
 * <p>Chain fields (sequence, previousHash, hash) are left empty here: the hash chain is appended by the ledger.
 */
public final class ConsentAuditTopology {

  /** Seen message sids and attempt ids (value: record timestamp), kept {@code dedupeRetention}. */
  public static final String DEDUPE_STORE = "audit-dedupe";
  static final String AUDIT_SINK = "consent-audit-sink";
  static final String DEAD_LETTER_SINK = "dead-letter-sink";

  private ConsentAuditTopology() {}

  /** The topology; pure: it builds no client and does no I/O. */
  public static Topology build(ConsentAuditTopologyConfig cfg, AvroSerdes serdes) {
    ConsentSteps steps = new ConsentSteps(cfg);
    Topology topology = new Topology();
    List<StepNode> nodes = List.of(
        input(topology, cfg, serdes, Topics.SIGNUP_REQUESTS, steps::signup, false),
        input(topology, cfg, serdes, Topics.CHALLENGES, steps::challenge, false),
        input(topology, cfg, serdes, Topics.SMS_DELIVERY, steps::delivery, true),
        input(topology, cfg, serdes, Topics.SMS_INBOUND, steps::inbound, true),
        input(topology, cfg, serdes, Topics.VERIFICATION_ATTEMPTS, steps::attempt, true),
        input(topology, cfg, serdes, Topics.SIGNUP_REJECTS, steps::reject, false));
    String[] all = nodes.stream().map(StepNode::name).toArray(String[]::new);
    String[] deduping = nodes.stream().filter(StepNode::dedupes).map(StepNode::name).toArray(String[]::new);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEDUPE_STORE), Serdes.String(), Serdes.Long()),
        deduping);
    topology.addSink(AUDIT_SINK, Topics.CONSENT_AUDIT.name(), Serdes.String().serializer(),
        widen(serdes.forTopic(Topics.CONSENT_AUDIT).serializer()), all);
    topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(), Serdes.String().serializer(),
        widen(serdes.forTopic(Topics.DEAD_LETTERS).serializer()), all);
    return topology;
  }

  /** Adds a poison-safe source and the processor deriving its steps. */
  private static <V extends SpecificRecord> StepNode input(Topology topology, ConsentAuditTopologyConfig cfg,
      AvroSerdes serdes, Topic<V> topic, ConsentStepRule<V> rule, boolean dedupes) {
    String source = topic.name() + "-source";
    String processor = topic.name() + "-steps";
    topology.addSource(source, Serdes.String().deserializer(),
        new DecodingDeserializer<>(serdes.forTopic(topic).deserializer()), topic.name());
    topology.addProcessor(processor,
        () -> new AuditStepProcessor<>(cfg.applicationId(), rule, cfg.dedupeRetention(), dedupes), source);
    return new StepNode(processor, dedupes);
  }

  /** Sinks receive the processors' {@code SpecificRecord} output; each sink is only given its own record type. */
  @SuppressWarnings("unchecked")
  private static Serializer<SpecificRecord> widen(Serializer<? extends SpecificRecord> serializer) {
    return (Serializer<SpecificRecord>) serializer;
  }

  private record StepNode(String name, boolean dedupes) {}
}
