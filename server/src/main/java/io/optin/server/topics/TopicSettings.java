package io.optin.server.topics;

import io.optin.audit.AuditSettings;
import io.optin.ingest.IngestSettings;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Setting;
import io.optin.kit.config.SettingsCatalogue;
import io.optin.kit.config.ValueType;

/**
 * The settings of topic creation ({@code optin topics create}, and {@code optin dev} on its
 * broker): partitions and replicas of every topic; the ledger's retention is {@link
 * AuditSettings#AUDIT_RETENTION}, and the signup claims are kept a day past {@link
 * IngestSettings#INGEST_IDEMPOTENCY_TTL}.
 */
public final class TopicSettings {

  public static final Setting<Integer> TOPICS_PARTITIONS =
      Setting.integer(
          "topics.partitions",
          6,
          1,
          10_000,
          "Partitions of every topic created by optin (but `optin.intake-claims.v1`, always one); the "
              + "co-partitioned topics must all have this count.");
  public static final Setting<Integer> TOPICS_REPLICATION_FACTOR =
      Setting.of(
          "topics.replication.factor",
          ValueType.INTEGER,
          -1,
          value ->
              value == -1 || (value >= 1 && value <= Short.MAX_VALUE)
                  ? null
                  : "must be -1 (the broker's default) or between 1 and " + Short.MAX_VALUE,
          "-1, or 1 to " + Short.MAX_VALUE,
          "Replicas of each topic created; -1 takes the broker's "
              + "`default.replication.factor`.");

  /** Every setting the provisioner reads. */
  public static final SettingsCatalogue CATALOGUE =
      SettingsCatalogue.of(
          ProcessSettings.KAFKA_BOOTSTRAP_SERVERS,
          TOPICS_PARTITIONS,
          TOPICS_REPLICATION_FACTOR,
          AuditSettings.AUDIT_RETENTION,
          IngestSettings.INGEST_IDEMPOTENCY_TTL);

  private TopicSettings() {}
}
