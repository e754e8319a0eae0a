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
    // Small commits keep the latency of a confirmation low; EOS commits are cheap on a small
    // cluster.
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
    clientSettings.forEach(props::put);
    // Set last: exactly-once is the product's guarantee, not a default a settings file may drop by
    // accident.
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    return props;
  }
}
