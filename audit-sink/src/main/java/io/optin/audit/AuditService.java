package io.optin.audit;

import io.optin.kit.streams.StreamsService;
import io.optin.schemas.serde.AvroSerdes;
import java.util.Map;

/**
 * Runs the {@link ConsentAuditTopology} (application {@code optin-audit}, exactly-once v2) with the
 * failure policy of {@link StreamsService}: a record whose consent steps cannot be derived becomes
 * a typed dead letter ({@link AuditDeadLetters}); any other failure is retried, so a registry or
 * broker blip never loses a ledger step, and past the restart budget the ledger stops for good with
 * {@code /health/live} answering 503.
 */
public final class AuditService extends StreamsService {

  /** The service's word, in health and metrics. */
  public static final String NAME = "audit";

  /**
   * @param cfg the topology settings (application id, subject keys, code length, dedupe retention)
   * @param kafkaClientSettings Kafka client and Streams settings, prefix stripped (e.g. {@code
   *     bootstrap.servers}, {@code state.dir})
   * @param serdes the Avro serdes of the application
   */
  public AuditService(
      ConsentAuditTopologyConfig cfg, Map<String, String> kafkaClientSettings, AvroSerdes serdes) {
    this(cfg, kafkaClientSettings, serdes, Options.defaults());
  }

  /**
   * @param options the restart budget and the metrics; the dead-letter writer is the audit's own
   */
  public AuditService(
      ConsentAuditTopologyConfig cfg,
      Map<String, String> kafkaClientSettings,
      AvroSerdes serdes,
      Options options) {
    super(
        NAME,
        cfg.applicationId(),
        ConsentAuditTopology.build(cfg, serdes, options.metrics()),
        kafkaClientSettings,
        options.withDeadLetters(AuditDeadLetters.of(serdes)));
  }
}
