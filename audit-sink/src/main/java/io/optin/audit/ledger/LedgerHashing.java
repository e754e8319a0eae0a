package io.optin.audit.ledger;

import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.LedgerCheckpoint;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the ledger's hashes and signatures cover: the canonical encoding (the version a record
 * carries in {@code hashVersion}: {@value #VERSION} for new records, {@value #VERSION_1} for those
 * written before {@code channel}) of a record's every field but {@code hash}, chain fields
 * included, and of a checkpoint's every field but its signature; SHA-256 in lower-case hex. Field
 * order is fixed here and in docs/ledger.md; a new field needs a new version.
 */
public final class LedgerHashing {

  /** The encoding version new records carry in {@code hashVersion}: v1 plus {@code channel}. */
  public static final int VERSION = 2;

  /** The first encoding, of the records written before {@code channel}; still verified. */
  public static final int VERSION_1 = 1;

  private static final String RECORD_DOMAIN_V1 = "optin-ledger-v1";
  private static final String RECORD_DOMAIN_V2 = "optin-ledger-v2";
  private static final String CHECKPOINT_DOMAIN = "optin-checkpoint-v1";
  private static final String SUBJECT_HEADS_DOMAIN = "optin-subject-heads-v1";

  private LedgerHashing() {}

  /** The hash a record must carry: SHA-256 hex of {@link #encode}. */
  public static String hash(ConsentAuditRecord record) {
    return sha256Hex(encode(record));
  }

  /** Whether {@code version} is an encoding this code computes (and the verifier accepts). */
  public static boolean known(int version) {
    return version == VERSION_1 || version == VERSION;
  }

  /**
   * The canonical encoding of a record in its {@code hashVersion}, without its {@code hash}: v1, or
   * v2 (another domain string, and {@code channel} after {@code sealedPersonalData}). A v1 record
   * has no channel; its encoding ignores the field (the verifier refuses a v1 record that has one).
   *
   * @throws IllegalArgumentException for an unknown version
   */
  public static byte[] encode(ConsentAuditRecord r) {
    int version = r.getHashVersion();
    if (!known(version)) {
      throw new IllegalArgumentException("unknown hashVersion " + version);
    }
    CanonicalEncoding out =
        new CanonicalEncoding()
            .string(version == VERSION_1 ? RECORD_DOMAIN_V1 : RECORD_DOMAIN_V2)
            .int32(version)
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
    if (version >= 2) {
      out.string(r.getChannel());
    }
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
