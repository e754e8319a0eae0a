package io.optin.dispatcher.challenge;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.InboundSms;
import io.optin.dispatcher.fallback.FallbackTopology;
import io.optin.domain.otp.SubjectKeys;
import io.optin.domain.screening.SignupScreen;
import io.optin.kit.streams.DecodingDeserializer;
import io.optin.kit.streams.JsonSerde;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * Signup to challenge: each valid signup opens a challenge and asks for its code to be texted,
 * unless the phone opted out, already subscribed, or has a challenge open (then the same code is
 * sent again, within limits).
 *
 * <p>Inputs, all keyed by phone and co-partitioned: signups, the reply processor's CLOSED challenge
 * events and inbound STOP/START, and the delivery reports that drive the fallback channels ({@link
 * FallbackTopology}). Outputs: challenge events, outbox commands, rejected signups and dead
 * letters. Pure: builds a {@link Topology}, starts nothing, sends nothing.
 */
public final class ChallengeTopology {

  public static final String APPLICATION_ID = "optin-dispatcher";

  /** Key phone, value {@link PhoneStanding}; entries that fall back to nothing are deleted. */
  public static final String STORE = "dispatcher-phones";

  static final String TO_CHALLENGES = "to-challenges";
  static final String TO_SMS_OUTBOUND = "to-sms-outbound";
  static final String TO_SIGNUP_REJECTS = "to-signup-rejects";
  static final String TO_DEAD_LETTERS = "to-dead-letters";

  private static final String SIGNUPS = "signups";
  private static final String CLOSED_CHALLENGES = "closed-challenges";
  private static final String OPT_OUTS = "opt-outs";
  private static final String ERASURES = "erasures";

  private ChallengeTopology() {}

  /** The topology with random UUIDs for challenges, commands and rejects. */
  public static Topology build(
      ChallengeTopologyConfig config, AvroSerdes serdes, SubjectKeys subjects) {
    return build(config, serdes, subjects, () -> UUID.randomUUID().toString());
  }

  /**
   * @param subjects the consent ledger's subject keys, by which erasure requests name a phone
   * @param ids thread-safe source of new ids (challenges, commands, rejects, dead letters)
   */
  public static Topology build(
      ChallengeTopologyConfig config,
      AvroSerdes serdes,
      SubjectKeys subjects,
      Supplier<String> ids) {
    ChallengeDecider decider = new ChallengeDecider(config, ids);
    SignupScreen screen = new SignupScreen();
    RefusedRecords refused = new RefusedRecords(APPLICATION_ID, ids);
    Topology topology = new Topology();

    source(topology, "signup-requests", Topics.SIGNUP_REQUESTS, serdes);
    source(topology, "challenges", Topics.CHALLENGES, serdes);
    source(topology, "sms-inbound", Topics.SMS_INBOUND, serdes);
    // Erasure requests sit in the partition of the phone, so this task holds its standing.
    source(topology, "consent-erasures", Topics.CONSENT_ERASURES, serdes);

    topology.addProcessor(
        SIGNUPS, () -> new SignupProcessor(decider, screen, refused), "signup-requests");
    topology.addProcessor(
        CLOSED_CHALLENGES,
        () ->
            new PhoneEventsProcessor<ChallengeEvent>(
                ChallengeEvent::getPhone, PhoneStanding::closed, refused),
        "challenges");
    topology.addProcessor(
        OPT_OUTS,
        () ->
            new PhoneEventsProcessor<InboundSms>(
                InboundSms::getPhone, PhoneStanding::replied, refused),
        "sms-inbound");
    topology.addProcessor(ERASURES, () -> new ErasureProcessor(subjects), "consent-erasures");
    // Keyed by phone: the changelog is compacted within bounds, so an erased phone leaves it
    // within days (docs/privacy.md).
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE),
                Serdes.String(),
                new JsonSerde<>(PhoneStanding.class))
            .withLoggingEnabled(Topics.ERASABLE_COMPACTION),
        SIGNUPS,
        CLOSED_CHALLENGES,
        OPT_OUTS,
        ERASURES);

    sink(topology, TO_CHALLENGES, Topics.CHALLENGES, serdes, SIGNUPS);
    sink(topology, TO_SMS_OUTBOUND, Topics.SMS_OUTBOUND, serdes, SIGNUPS);
    sink(topology, TO_SIGNUP_REJECTS, Topics.SIGNUP_REJECTS, serdes, SIGNUPS);
    sink(topology, TO_DEAD_LETTERS, Topics.DEAD_LETTERS, serdes, CLOSED_CHALLENGES, OPT_OUTS);
    FallbackTopology.addTo(topology, "challenges", config.fallback(), serdes, ids, refused);
    // An erased phone's fallback watch goes too: it would call the phone on its next channel.
    topology.connectProcessorAndStateStores(ERASURES, FallbackTopology.STORE);
    return topology;
  }

  /**
   * Keys stay raw bytes so a refused record keeps its exact key; values may be poison, so they
   * never throw; a record without a valid timestamp (old producers) takes the partition's time
   * instead of stopping the thread; a new application starts from the earliest record, so no signup
   * written before its first start is missed.
   */
  private static <V extends SpecificRecord> void source(
      Topology topology, String name, Topic<V> topic, AvroSerdes serdes) {
    Deserializer<V> values = serdes.forTopic(topic).deserializer();
    TimestampExtractor timeOrPartitionTime =
        (record, partitionTime) ->
            record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    topology.addSource(
        AutoOffsetReset.earliest(),
        name,
        timeOrPartitionTime,
        new ByteArrayDeserializer(),
        new DecodingDeserializer<>(values),
        topic.name());
  }

  private static <V extends SpecificRecord> void sink(
      Topology topology, String name, Topic<V> topic, AvroSerdes serdes, String... parents) {
    topology.addSink(
        name, topic.name(), new StringSerializer(), serdes.forTopic(topic).serializer(), parents);
  }
}
