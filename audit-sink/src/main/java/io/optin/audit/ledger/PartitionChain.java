package io.optin.audit.ledger;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a verifier knows of one ledger partition so far: the partition chain's head and every
 * subject's head.
 */
final class PartitionChain {

  /** The last record of one subject's chain. */
  record Head(long sequence, String hash) {}

  final int partition;
  long nextSequence;
  String headHash;
  long lastOffset = -1;
  String lastEventId;
  final Map<String, Head> subjects = new TreeMap<>();

  PartitionChain(int partition) {
    this.partition = partition;
  }

  /** Digest of the subject heads as they stand, as a checkpoint commits to them. */
  SubjectHeadsDigest digest() {
    SubjectHeadsDigest digest = LedgerHashing.subjectHeadsDigest();
    subjects.forEach((key, head) -> digest.add(key, head.sequence(), head.hash()));
    return digest;
  }
}
