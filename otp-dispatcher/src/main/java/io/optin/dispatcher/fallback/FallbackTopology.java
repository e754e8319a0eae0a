package io.optin.dispatcher.fallback;

import io.optin.dispatcher.challenge.RefusedRecords;
import io.optin.kit.streams.DecodingDeserializer;
import io.optin.kit.streams.JsonSerde;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The fallback nodes of the dispatcher's topology: challenge events and delivery reports in, the
 * code asked again on the program's next channel out (see {@link FallbackProcessor}). Part of the
 * {@code optin-dispatcher} application, keyed by phone like the challenges and the reports, so one
 * task owns every fact of a phone. The nodes are there whatever the channels, so that the topology,
 * and its changelogs, do not change with the settings.
 */
public final class FallbackTopology {

  /** Key phone, value {@link PhoneFallbacks}; a phone with nothing to watch is deleted. */
  public static final String STORE = "dispatcher-fallbacks";

  /** Key {@code <due epoch ms, 15 digits>|<phone>|<challengeId>}: the runs by wake-up time. */
  public static final String WAKEUPS = "dispatcher-fallback-wakeups";

  static final String PROCESSOR = "fallbacks";
  static final String REPORTS = Topics.SMS_DELIVERY.name();
  static final String TO_SMS_OUTBOUND = "fallback-to-sms-outbound";
  static final String TO_CHALLENGES = "fallback-to-challenges";
  static final String TO_DEAD_LETTERS = "fallback-to-dead-letters";

  private static final String REPORTS_SOURCE = "sms-delivery";

  /**
   * How often the wall clock is looked at for runs due: the precision of {@code fallback.after}.
   */
  static final Duration TICK = Duration.ofSeconds(1);

  private FallbackTopology() {}

  /**
   * Adds the fallback nodes to {@code topology}, fed by the existing source {@code
   * challengesSource} of {@code optin.challenges.v1} and a new source of the delivery reports.
   *
   * @param ids thread-safe source of command ids
   * @param refused how an unreadable delivery report is kept
   */
  public static void addTo(
      Topology topology,
      String challengesSource,
      FallbackConfig config,
      AvroSerdes serdes,
      Supplier<String> ids,
      RefusedRecords refused) {
    topology.addSource(
        AutoOffsetReset.earliest(),
        REPORTS_SOURCE,
        (record, partitionTime) ->
            record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0),
        new ByteArrayDeserializer(),
        new DecodingDeserializer<>(serdes.forTopic(Topics.SMS_DELIVERY).deserializer()),
        REPORTS);
    topology.addProcessor(
        PROCESSOR,
        () -> new FallbackProcessor(config, ids, refused, TICK),
        challengesSource,
        REPORTS_SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE),
                Serdes.String(),
                new JsonSerde<>(PhoneFallbacks.class))
            // Keyed by phone: compacted within the bounds erasures rely on (docs/privacy.md).
            .withLoggingEnabled(Topics.ERASABLE_COMPACTION),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(WAKEUPS), Serdes.String(), Serdes.String())
            .withLoggingEnabled(Topics.ERASABLE_COMPACTION),
        PROCESSOR);
    sink(topology, TO_SMS_OUTBOUND, Topics.SMS_OUTBOUND, serdes);
    sink(topology, TO_CHALLENGES, Topics.CHALLENGES, serdes);
    sink(topology, TO_DEAD_LETTERS, Topics.DEAD_LETTERS, serdes);
  }

  private static <V extends SpecificRecord> void sink(
      Topology topology, String name, Topic<V> topic, AvroSerdes serdes) {
    topology.addSink(
        name, topic.name(), new StringSerializer(), serdes.forTopic(topic).serializer(), PROCESSOR);
  }
}
