package io.optin.replies.matching;

import io.optin.kit.streams.RecordFailures;
import io.optin.schemas.Topic;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Test fixture: the reply topology on a TopologyTestDriver, exactly-once and with the failure
 * handling of the service, its topics in their Avro serdes and its stores read back.
 */
final class ReplyDriver implements AutoCloseable {

  final TopologyTestDriver driver;
  private final AvroSerdes serdes;

  ReplyDriver(
      String applicationId, Topology topology, AvroSerdes serdes, Path stateDir, Instant t0) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    RecordFailures.configure(props, null);
    this.driver = new TopologyTestDriver(topology, props, t0);
    this.serdes = serdes;
  }

  <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
    return driver.createInputTopic(
        topic.name(), new StringSerializer(), serdes.forTopic(topic).serializer());
  }

  <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
    return driver.createOutputTopic(
        topic.name(), new StringDeserializer(), serdes.forTopic(topic).deserializer());
  }

  /** The outcome stored for a message sid or attempt id, or null. */
  String outcome(String id) {
    KeyValueStore<String, OutcomeEntry> store = driver.getKeyValueStore(ReplyStores.OUTCOMES);
    OutcomeEntry entry = store.get(id);
    return entry == null ? null : entry.outcome();
  }

  /** What the processor holds for {@code phone}. */
  PhoneChallenges challengesOf(String phone) {
    KeyValueStore<String, PhoneChallenges> store = driver.getKeyValueStore(ReplyStores.CHALLENGES);
    PhoneChallenges known = store.get(phone);
    return known == null ? PhoneChallenges.EMPTY : known;
  }

  @Override
  public void close() {
    driver.close();
  }
}
