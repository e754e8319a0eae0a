package io.optin.kit.streams;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one Kafka Streams configuration factory: code defaults, overridden by the client settings of
 * the environment ({@code kafka.*} settings, prefix stripped), with exactly-once always on.
 */
public final class StreamsConfigs {

  /** Default {@code commit.interval.ms}: see {@link #forApplication}. */
  public static final long COMMIT_INTERVAL_MS = 50;

  /** Default {@code poll.ms}: at most an idle thread's wait before it commits. */
  public static final long POLL_MS = 20;

  private StreamsConfigs() {}

  /**
   * Streams properties for one application.
   *
   * @param applicationId the Streams application id (consumer group, state directory and internal
   *     topic prefix)
   * @param clientSettings Kafka client settings, e.g. {@code bootstrap.servers}; they win over the
   *     defaults
   */
  public static Properties forApplication(
      String applicationId, Map<String, String> clientSettings) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    // Under exactly-once an output is visible downstream (read_committed) only once its
    // transaction commits: a record waits for the next commit, half an interval on average, a
    // whole one at worst, on every Streams hop of the flow. 50 ms halves Kafka Streams' EOS default
    // (100 ms); the cost is up to 20 transactions a second per busy stream thread (each a few
    // requests to the transaction coordinator and a marker per partition written), none when idle.
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL_MS));
    // An idle stream thread blocks in poll() for poll.ms before it can commit what it processed
    // last: kept under the commit interval, so a lone record is not held past it.
    props.put(StreamsConfig.POLL_MS_CONFIG, Long.toString(POLL_MS));
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // The commit flushes the producer anyway: lingering batches a busy thread's sends and delays
    // nothing a read_committed consumer can see.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
    // Every store of the process in one bounded block cache and write buffer budget, not 50 MiB
    // of cache and up to 48 MiB of memtables per store and partition.
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
    clientSettings.forEach(props::put);
    // Set last: exactly-once is the product's guarantee, not a default a settings file may drop by
    // accident.
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    return props;
  }
}
