package io.optin.audit;

import io.optin.kit.streams.StreamsConfigs;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/** Runs the {@link ConsentAuditTopology} (application {@code optin-audit}, exactly-once v2). */
public final class AuditService implements AutoCloseable {

  private final KafkaStreams streams;

  /**
   * @param cfg the topology settings (application id, subject keys, code length, dedupe retention)
   * @param kafkaClientSettings Kafka client and Streams settings, prefix stripped (e.g. {@code
   *     bootstrap.servers}, {@code state.dir})
   * @param serdes the Avro serdes of the application
   */
  public AuditService(
      ConsentAuditTopologyConfig cfg, Map<String, String> kafkaClientSettings, AvroSerdes serdes) {
    this.streams =
        new KafkaStreams(
            ConsentAuditTopology.build(cfg, serdes),
            StreamsConfigs.forApplication(cfg.applicationId(), kafkaClientSettings));
  }

  public void start() {
    streams.start();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** For {@code /health/ready}. */
  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
