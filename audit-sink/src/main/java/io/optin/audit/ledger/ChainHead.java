package io.optin.audit.ledger;

import java.util.Objects;

/**
 * The last record of a chain: its sequence and hash. A partition chain's head also counts the
 * records appended since its last checkpoint, to checkpoint every N records.
 */
public record ChainHead(long sequence, String hash, long sinceCheckpoint) {

  public ChainHead {
    Objects.requireNonNull(hash, "hash");
  }

  public ChainHead(long sequence, String hash) {
    this(sequence, hash, 0);
  }

  /** {@code sequence:hash:sinceCheckpoint}, the form state stores keep. */
  public String encode() {
    return sequence + ":" + hash + ":" + sinceCheckpoint;
  }

  public static ChainHead decode(String encoded) {
    if (encoded == null) {
      return null;
    }
    String[] parts = encoded.split(":", 3);
    return new ChainHead(
        Long.parseLong(parts[0]), parts[1], parts.length > 2 ? Long.parseLong(parts[2]) : 0);
  }
}
