package io.optin.replies.matching;

import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.streams.Decoded;
import io.optin.kit.streams.DecodingDeserializer;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * The reply processor (application {@value #APPLICATION_ID}): challenges, SMS replies and code
 * attempts, all keyed by phone, meet in one processor that confirms each challenge at most once.
 *
 * <p>Reads {@code optin.challenges.v1}, {@code optin.sms-inbound.v1}, {@code
 * optin.verification-attempts.v1} and the erasure requests {@code optin.consent-erasures.v1};
 * writes CLOSED events back to {@code optin.challenges.v1} (and ignores them when they come back),
 * {@code optin.confirmed-subscribers.v1}, {@code optin.subscriber-status.v1}, what each STOP of
 * scope program opted out of to {@code optin.program-opt-outs.v1}, and {@code
 * optin.dead-letters.v1}. A pure function of its settings: it builds no client and does no I/O.
 */
public final class ReplyTopology {

  public static final String APPLICATION_ID = "optin-replies";

  static final String CHALLENGES_SINK = "closed-challenges-sink";
  static final String CONFIRMED_SINK = "confirmed-subscribers-sink";
  static final String STATUS_SINK = "subscriber-status-sink";
  static final String DEAD_LETTER_SINK = "dead-letters-sink";
  static final String PROGRAM_OPT_OUTS_SINK = "program-opt-outs-sink";
  private static final String PROCESSOR = "reply-matcher";

  private ReplyTopology() {}

  public static Topology build(
      ReplyTopologyConfig config, AvroSerdes serdes, OtpCodes codes, SubjectKeys subjects) {
    return build(config, serdes, codes, subjects, OptinMetrics.unexposed());
  }

  /**
   * As {@link #build(ReplyTopologyConfig, AvroSerdes, OtpCodes, SubjectKeys)}, counting closures on
   * {@code metrics}.
   */
  public static Topology build(
      ReplyTopologyConfig config,
      AvroSerdes serdes,
      OtpCodes codes,
      SubjectKeys subjects,
      OptinMetrics metrics) {
    return build(config, serdes, codes, subjects, metrics, OutcomeListener.NONE);
  }

  /**
   * As {@link #build(ReplyTopologyConfig, AvroSerdes, OtpCodes, SubjectKeys, OptinMetrics)},
   * telling {@code listener} of each outcome recorded.
   */
  public static Topology build(
      ReplyTopologyConfig config,
      AvroSerdes serdes,
      OtpCodes codes,
      SubjectKeys subjects,
      OptinMetrics metrics,
      OutcomeListener listener) {
    return build(
        config, serdes, codes, subjects, () -> UUID.randomUUID().toString(), metrics, listener);
  }

  /**
   * As {@link #build(ReplyTopologyConfig, AvroSerdes, OtpCodes, SubjectKeys)}, with the dead-letter
   * ids supplied.
   */
  public static Topology build(
      ReplyTopologyConfig config,
      AvroSerdes serdes,
      OtpCodes codes,
      SubjectKeys subjects,
      Supplier<String> ids) {
    return build(config, serdes, codes, subjects, ids, OptinMetrics.unexposed());
  }

  /**
   * The topology, with the dead-letter ids supplied and confirmations (by method), expiries and
   * locks counted on {@code metrics}.
   */
  public static Topology build(
      ReplyTopologyConfig config,
      AvroSerdes serdes,
      OtpCodes codes,
      SubjectKeys subjects,
      Supplier<String> ids,
      OptinMetrics metrics) {
    return build(config, serdes, codes, subjects, ids, metrics, OutcomeListener.NONE);
  }

  private static Topology build(
      ReplyTopologyConfig config,
      AvroSerdes serdes,
      OtpCodes codes,
      SubjectKeys subjects,
      Supplier<String> ids,
      OptinMetrics metrics,
      OutcomeListener listener) {
    ReplyMatcher matcher = new ReplyMatcher(codes, config.maxAttempts(), config.expiryGrace());
    ProcessorSupplier<String, Decoded<?>, String, Object> processor =
        () -> new ReplyProcessor(config, matcher, subjects, ids, metrics, listener);

    Topology topology = new Topology();
    source(topology, "challenges-source", Topics.CHALLENGES, serdes);
    source(topology, "sms-inbound-source", Topics.SMS_INBOUND, serdes);
    source(topology, "verification-attempts-source", Topics.VERIFICATION_ATTEMPTS, serdes);
    // Erasure requests sit in the partition of the phone, so this task holds the phone's state.
    source(topology, "consent-erasures-source", Topics.CONSENT_ERASURES, serdes);
    topology.addProcessor(
        PROCESSOR,
        processor,
        "challenges-source",
        "sms-inbound-source",
        "verification-attempts-source",
        "consent-erasures-source");
    ReplyStores.builders().forEach(store -> topology.addStateStore(store, PROCESSOR));
    sink(topology, CHALLENGES_SINK, Topics.CHALLENGES, serdes);
    sink(topology, CONFIRMED_SINK, Topics.CONFIRMED_SUBSCRIBERS, serdes);
    sink(topology, STATUS_SINK, Topics.SUBSCRIBER_STATUS, serdes);
    sink(topology, PROGRAM_OPT_OUTS_SINK, Topics.PROGRAM_OPT_OUTS, serdes);
    sink(topology, DEAD_LETTER_SINK, Topics.DEAD_LETTERS, serdes);
    return topology;
  }

  private static <V extends SpecificRecord> void source(
      Topology topology, String name, Topic<V> topic, AvroSerdes serdes) {
    Deserializer<V> values = serdes.forTopic(topic).deserializer();
    topology.addSource(
        name, Serdes.String().deserializer(), new DecodingDeserializer<>(values), topic.name());
  }

  private static <V extends SpecificRecord> void sink(
      Topology topology, String name, Topic<V> topic, AvroSerdes serdes) {
    // The Avro serializer writes a null value as a tombstone (a status lifted back to NONE).
    Serializer<V> values = serdes.forTopic(topic).serializer();
    topology.addSink(name, topic.name(), Serdes.String().serializer(), values, PROCESSOR);
  }
}
