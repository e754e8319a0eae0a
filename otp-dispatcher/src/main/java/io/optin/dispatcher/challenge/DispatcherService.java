package io.optin.dispatcher.challenge;

import io.optin.kit.streams.StreamsConfigs;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link ChallengeTopology} as Kafka Streams application {@value
 * ChallengeTopology#APPLICATION_ID}, with exactly-once processing from {@link StreamsConfigs}.
 */
public final class DispatcherService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DispatcherService.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaStreams streams;

  /**
   * @param clientSettings Kafka client and Streams settings ({@code bootstrap.servers}, {@code
   *     state.dir}, {@code num.stream.threads}…); they override the defaults, never exactly-once
   */
  public DispatcherService(
      ChallengeTopologyConfig config, Map<String, String> clientSettings, AvroSerdes serdes) {
    Objects.requireNonNull(config, "config");
    Properties props =
        StreamsConfigs.forApplication(ChallengeTopology.APPLICATION_ID, clientSettings);
    this.streams = new KafkaStreams(ChallengeTopology.build(config, serdes), props);
    // Poison input is routed, never thrown; what is thrown is infrastructure (registry, broker) or
    // a bug. A fresh
    // thread retries from the last commit (exactly-once aborts the half-done transaction) instead
    // of going dark.
    streams.setUncaughtExceptionHandler(
        e -> {
          log.error("Dispatcher stream thread failed; replacing it", e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
  }

  public void start() {
    streams.start();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** The running Streams instance, for metrics and health. */
  public KafkaStreams streams() {
    return streams;
  }

  @Override
  public void close() {
    streams.close(CLOSE_TIMEOUT);
  }
}
