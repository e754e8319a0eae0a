package io.optin.audit.ledger;

import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.LedgerCheckpoint;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the ledger's hashes and signatures cover: the canonical encoding (version {@value #VERSION})
 * of a record's every field but {@code hash}, chain fields included, and of a checkpoint's every
 * field but its signature; SHA-256 in lower-case hex. Field order is fixed here and in
 * docs/ledger.md; a new field needs a new version.
 */
public final class LedgerHashing {

  /** The encoding version records carry in {@code hashVersion}. */
  public static final int VERSION = 1;

  private static final String RECORD_DOMAIN = "optin-ledger-v1";
  private static final String CHECKPOINT_DOMAIN = "optin-checkpoint-v1";
  private static final String SUBJECT_HEADS_DOMAIN = "optin-subject-heads-v1";

  private LedgerHashing() {}

  /** The hash a record must carry: SHA-256 hex of {@link #encode}. */
  public static String hash(ConsentAuditRecord record) {
    return sha256Hex(encode(record));
  }

  /** The canonical encoding v1 of a record, without its {@code hash}. */
  public static byte[] encode(ConsentAuditRecord r) {
    CanonicalEncoding out =
        new CanonicalEncoding()
            .string(RECORD_DOMAIN)
            .int32(r.getHashVersion())
            .string(r.getEventId())
            .symbol(r.getEventType())
            .instant(r.getOccurredAt())
            .string(r.getSubjectKey())
            .string(r.getProgramId())
            .string(r.getSignupId())
            .string(r.getChallengeId());
    evidence(out, r.getEvidence());
    out.string(r.getProviderSid())
        .string(r.getProviderStatus())
        .int32(r.getErrorCode())
        .string(r.getMethod())
        .string(r.getDetail())
        .string(r.getSourceTopic())
        .int32(r.getSourcePartition())
        .int64(r.getSourceOffset())
        .string(r.getKeyId())
        .bytes(r.getSealedPersonalData());
    LedgerCheckpoint checkpoint = r.getCheckpoint();
    out.record(checkpoint != null);
    if (checkpoint != null) {
      checkpointFields(out, checkpoint);
      out.bytes(checkpoint.getSignature());
    }
    return out.int64(r.getSequence())
        .string(r.getPreviousHash())
        .int64(r.getPartitionSequence())
        .string(r.getPreviousPartitionHash())
        .toByteArray();
  }

  /** The bytes a checkpoint's Ed25519 signature covers: every field but the signature. */
  public static byte[] checkpointContent(LedgerCheckpoint checkpoint) {
    CanonicalEncoding out = new CanonicalEncoding().string(CHECKPOINT_DOMAIN);
    checkpointFields(out, checkpoint);
    return out.toByteArray();
  }

  /** A digest of subject heads, fed in ascending subjectKey order. */
  public static SubjectHeadsDigest subjectHeadsDigest() {
    return new SubjectHeadsDigest(SUBJECT_HEADS_DOMAIN);
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JRE", e);
    }
  }

  private static void evidence(CanonicalEncoding out, ConsentEvidence e) {
    out.record(e != null);
    if (e != null) {
      out.string(e.getConsentText())
          .string(e.getConsentTextVersion())
          .string(e.getConsentTextSha256())
          .symbol(e.getChannel())
          .string(e.getPageUrl())
          .string(e.getIp())
          .string(e.getUserAgent())
          .string(e.getLocale());
    }
  }

  private static void checkpointFields(CanonicalEncoding out, LedgerCheckpoint c) {
    out.int32(c.getPartition())
        .int64(c.getPartitionSequence())
        .string(c.getHeadHash())
        .int64(c.getSubjects())
        .string(c.getSubjectHeadsDigest())
        .instant(c.getCheckpointedAt())
        .string(c.getSigningKeyId());
  }
}
