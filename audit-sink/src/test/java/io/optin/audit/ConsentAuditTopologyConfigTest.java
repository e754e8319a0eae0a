package io.optin.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsentAuditTopologyConfigTest {

  private static final String OTP_SECRET = "test-otp-secret-of-at-least-32-bytes!";
  private static final String SUBJECT_SECRET = "test-audit-subject-secret-of-32-bytes!";
  private static final String PHONE = "+14155550123";
  private static final MasterKey MASTER = MasterKey.generate();
  private static final CheckpointSigningKey SIGNING = CheckpointSigningKey.generate();

  @Test
  void shouldReadTheLedgerSettingsFromTheEnvironment() {
    // Given
    Settings settings =
        load(
            Map.of(
                "OPTIN_AUDIT_SUBJECT_SECRET", SUBJECT_SECRET,
                "OPTIN_OTP_LENGTH", "8",
                "OPTIN_AUDIT_CHECKPOINT_INTERVAL", "2s",
                "OPTIN_AUDIT_CHECKPOINT_RECORDS", "40"));

    // When
    ConsentAuditTopologyConfig config = ConsentAuditTopologyConfig.from(settings);

    // Then
    assertThat(config.applicationId()).isEqualTo(ConsentAuditTopologyConfig.DEFAULT_APPLICATION_ID);
    assertThat(config.subjects().keyFor(PHONE))
        .isEqualTo(new SubjectKeys(SUBJECT_SECRET.getBytes(StandardCharsets.UTF_8)).keyFor(PHONE));
    assertThat(config.codeMask().codeLength()).isEqualTo(8);
    assertThat(config.keys().master().keyId()).isEqualTo(MASTER.keyId());
    assertThat(config.keys().signing().toBase64()).isEqualTo(SIGNING.toBase64());
    assertThat(config.checkpoints()).isEqualTo(new CheckpointPolicy(Duration.ofSeconds(2), 40));
  }

  @Test
  void shouldDeriveTheSubjectKeysFromTheCodeSecretAndCheckpointAsDocumentedByDefault() {
    // When
    ConsentAuditTopologyConfig config = ConsentAuditTopologyConfig.from(load(Map.of()));

    // Then
    assertThat(config.subjects().keyFor(PHONE))
        .isEqualTo(
            SubjectKeys.derivedFrom(OTP_SECRET.getBytes(StandardCharsets.UTF_8)).keyFor(PHONE));
    assertThat(config.codeMask().codeLength()).isEqualTo(6);
    assertThat(config.checkpoints())
        .isEqualTo(new CheckpointPolicy(Duration.ofSeconds(30), 10_000));
  }

  @Test
  void shouldRefuseMissingOrMalformedKeysNamingTheSetting() {
    // Given no subject secret and no code secret
    Settings noSecrets = Settings.defaults(AuditSettings.CATALOGUE);
    assertThatThrownBy(() -> AuditSettings.subjectKeys(noSecrets))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("otp.secret is not set");

    // Given no signing key, then a master key that is not base64
    Map<String, String> env = new HashMap<>(environment());
    env.remove("OPTIN_AUDIT_SIGNING_KEY");
    assertThatThrownBy(() -> ConsentAuditTopologyConfig.from(load(env, false)))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("audit.signing.key is required");
    assertThatThrownBy(
            () ->
                ConsentAuditTopologyConfig.from(
                    load(Map.of("OPTIN_AUDIT_MASTER_KEY", "not base64!"))))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("audit.master.key");
    assertThatThrownBy(() -> load(Map.of("OPTIN_AUDIT_CHECKPOINT_RECORDS", "0")))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "audit.checkpoint.records=0 from environment variable OPTIN_AUDIT_CHECKPOINT_RECORDS: "
                + "must be between 1 and 10000000");
  }

  private static Settings load(Map<String, String> overrides) {
    return load(overrides, true);
  }

  private static Settings load(Map<String, String> overrides, boolean withKeys) {
    Map<String, String> env = new HashMap<>(withKeys ? environment() : Map.of());
    env.putAll(overrides);
    return Settings.load(AuditSettings.CATALOGUE, Optional.empty(), env);
  }

  private static Map<String, String> environment() {
    return Map.of(
        "OPTIN_OTP_SECRET", OTP_SECRET,
        "OPTIN_AUDIT_MASTER_KEY", MASTER.toBase64(),
        "OPTIN_AUDIT_SIGNING_KEY", SIGNING.toBase64());
  }
}
