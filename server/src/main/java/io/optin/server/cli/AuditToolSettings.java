package io.optin.server.cli;

import static io.optin.audit.AuditSettings.AUDIT_MASTER_KEY;
import static io.optin.audit.AuditSettings.AUDIT_SIGNING_KEY;
import static io.optin.audit.AuditSettings.AUDIT_SIGNING_PUBLIC_KEY;
import static io.optin.kit.config.ProcessSettings.KAFKA_BOOTSTRAP_SERVERS;
import static io.optin.kit.config.ProcessSettings.SCHEMA_REGISTRY_AUTO_REGISTER;
import static io.optin.server.DevAuditSecrets.DEV_DATA_DIR;

import io.optin.audit.AuditSettings;
import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.audit.tools.ConsentCertificates;
import io.optin.audit.tools.LedgerTopics;
import io.optin.dispatcher.DispatcherSettings;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.schemas.registry.RestSchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.server.DevAuditSecrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every {@code optin audit} tool connects with: the settings (file, environment, then the
 * secrets a dev stack keeps in {@code dev.data.dir}), the cluster, the registry, and the ledger's
 * keys, each asked for only when needed.
 */
public final class AuditToolSettings {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Mixin private ConfigOption config;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "Kafka cluster holding the ledger (setting kafka.bootstrap.servers).")
  private String bootstrapServers;

  private Settings settings;

  Settings settings() {
    if (settings == null) {
      Settings loaded = config.load();
      if (bootstrapServers != null) {
        loaded =
            loaded.with(
                Map.of(KAFKA_BOOTSTRAP_SERVERS.key(), bootstrapServers),
                "option --bootstrap-servers");
      }
      settings =
          DevAuditSecrets.existing(loaded, Path.of(loaded.string(DEV_DATA_DIR)).toAbsolutePath());
    }
    return settings;
  }

  String bootstrapServers() {
    return settings().string(KAFKA_BOOTSTRAP_SERVERS);
  }

  Map<String, Object> kafka() {
    Map<String, Object> kafka = new HashMap<>(settings().kafkaClientProperties());
    kafka.put("bootstrap.servers", bootstrapServers());
    return kafka;
  }

  AvroSerdes serdes() {
    return new AvroSerdes(
        new RestSchemaRegistryClient(ProcessSettings.schemaRegistry(settings())),
        settings().bool(SCHEMA_REGISTRY_AUTO_REGISTER));
  }

  LedgerTopics topics(AvroSerdes serdes) {
    return new LedgerTopics(kafka(), serdes, TIMEOUT);
  }

  /**
   * The same subject keys the running audit sink uses (one rule, in {@link
   * AuditSettings#subjectKeys}).
   */
  SubjectKeys subjects() {
    return AuditSettings.subjectKeys(settings());
  }

  MasterKey master() {
    String key =
        required(AUDIT_MASTER_KEY.key(), () -> settings().optional(AUDIT_MASTER_KEY).orElse(null));
    return parsed(AUDIT_MASTER_KEY.key(), () -> MasterKey.fromBase64(key));
  }

  /**
   * The key checkpoints verify with: {@code option}, else the public key setting, else derived from
   * the signing key.
   */
  CheckpointPublicKey publicKey(String option) {
    if (option != null) {
      return parsed("--public-key", () -> CheckpointPublicKey.fromBase64(option));
    }
    String publicKey = settings().optional(AUDIT_SIGNING_PUBLIC_KEY).orElse(null);
    if (publicKey != null) {
      return parsed(
          AUDIT_SIGNING_PUBLIC_KEY.key(), () -> CheckpointPublicKey.fromBase64(publicKey));
    }
    String signing =
        required(
            AUDIT_SIGNING_PUBLIC_KEY.key()
                + " (or "
                + AUDIT_SIGNING_KEY.key()
                + ", or --public-key)",
            () -> settings().optional(AUDIT_SIGNING_KEY).orElse(null));
    return parsed(
        AUDIT_SIGNING_KEY.key(), () -> CheckpointSigningKey.fromBase64(signing).publicKey());
  }

  /** The key that signs checkpoints, and certificates ({@code audit.signing.key}). */
  CheckpointSigningKey signingKey() {
    String signing =
        required(
            AUDIT_SIGNING_KEY.key(), () -> settings().optional(AUDIT_SIGNING_KEY).orElse(null));
    return parsed(AUDIT_SIGNING_KEY.key(), () -> CheckpointSigningKey.fromBase64(signing));
  }

  /** programId -> brand, from {@code programs.brands} ({@code id=Brand} pairs). */
  Map<String, String> brands() {
    return ConsentCertificates.brands(settings().list(DispatcherSettings.PROGRAMS_BRANDS));
  }

  private static String required(String name, Supplier<String> value) {
    String found = value.get();
    if (found == null || found.isBlank()) {
      throw new SettingsException(
          name
              + " is not set: set it in the settings file or as its OPTIN_* variable "
              + "(docs/settings.md)");
    }
    return found;
  }

  private static <T> T parsed(String name, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new SettingsException(name + ": " + e.getMessage());
    }
  }
}
