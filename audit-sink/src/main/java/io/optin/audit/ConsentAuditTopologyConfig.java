package io.optin.audit;

import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.domain.otp.CodeMask;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.kit.config.SharedSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the consent audit topology.
 *
 * @param applicationId the Streams application id, also named in dead letters ({@value
 *     #DEFAULT_APPLICATION_ID})
 * @param subjects keyed hash of the phone, the audit record key ({@code audit.subject.secret}, else
 *     derived from {@code otp.secret})
 * @param codeMask masks code-like digit groups in message text once more, so no code reaches the
 *     ledger even if an upstream writer forgot ({@code otp.length})
 * @param dedupeRetention how long a seen message sid / attempt id is remembered ({@code
 *     DEFAULT_DEDUPE_RETENTION}; no setting)
 * @param keys the master key sealing personal data and the key signing checkpoints ({@code
 *     audit.master.key}, {@code audit.signing.key})
 * @param checkpoints when each partition's chain is checkpointed ({@code audit.checkpoint.*})
 */
public record ConsentAuditTopologyConfig(
    String applicationId,
    SubjectKeys subjects,
    CodeMask codeMask,
    Duration dedupeRetention,
    LedgerKeys keys,
    CheckpointPolicy checkpoints) {

  public static final String DEFAULT_APPLICATION_ID = "optin-audit";
  public static final Duration DEFAULT_DEDUPE_RETENTION = Duration.ofDays(7);

  public ConsentAuditTopologyConfig {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(subjects, "subjects");
    Objects.requireNonNull(codeMask, "codeMask");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(checkpoints, "checkpoints");
    if (dedupeRetention.isNegative() || dedupeRetention.isZero()) {
      throw new IllegalArgumentException("dedupeRetention must be positive");
    }
  }

  /**
   * The audit sink's settings among {@code settings}.
   *
   * @throws SettingsException when a key is missing or malformed
   */
  public static ConsentAuditTopologyConfig from(Settings settings) {
    return of(
        AuditSettings.subjectKeys(settings),
        settings.integer(SharedSettings.OTP_LENGTH),
        LedgerKeys.from(settings),
        CheckpointPolicy.from(settings));
  }

  /** The application id and dedupe retention of production, with these keys and checkpoints. */
  public static ConsentAuditTopologyConfig of(
      SubjectKeys subjects, int codeLength, LedgerKeys keys, CheckpointPolicy checkpoints) {
    return new ConsentAuditTopologyConfig(
        DEFAULT_APPLICATION_ID,
        subjects,
        new CodeMask(codeLength),
        DEFAULT_DEDUPE_RETENTION,
        keys,
        checkpoints);
  }
}
