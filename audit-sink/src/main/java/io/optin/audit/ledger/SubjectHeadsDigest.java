package io.optin.audit.ledger;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * SHA-256 over the heads of a partition's subject chains, fed in ascending subjectKey order: a
 * checkpoint commits to every subject's last record at once, so a subject's dropped tail is caught
 * even when the partition chain was rebuilt around it.
 */
public final class SubjectHeadsDigest {

  private final MessageDigest digest = LedgerHashing.sha256();
  private String previousKey;
  private long count;

  SubjectHeadsDigest(String domain) {
    digest.update(new CanonicalEncoding().string(domain).toByteArray());
  }

  /** Adds one subject's head; keys must come in strictly ascending order. */
  public SubjectHeadsDigest add(String subjectKey, long sequence, String hash) {
    if (previousKey != null && previousKey.compareTo(subjectKey) >= 0) {
      throw new IllegalArgumentException("subject heads must come in ascending subjectKey order");
    }
    previousKey = subjectKey;
    count++;
    digest.update(
        new CanonicalEncoding().string(subjectKey).int64(sequence).string(hash).toByteArray());
    return this;
  }

  /** How many heads were added. */
  public long count() {
    return count;
  }

  /** The lower-case hex digest; the digest cannot be fed afterwards. */
  public String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
