package io.optin.audit.ledger;

import io.optin.audit.crypto.CheckpointPublicKey;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.LedgerCheckpoint;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a ledger against what its single writer per partition wrote: every record's hash over its
 * content, both chains (per partition and per subject) link without gap, repeat or swap, every
 * signed checkpoint matches the chains where it stands, and the ledger reaches at least the latest
 * checkpoint of each partition (else its tail was cut).
 *
 * <p>Pure and streaming: feed {@link #accept} entries in offset order within each partition
 * (partitions may interleave), then {@link #finish}. It stops at the first break. It needs only the
 * checkpoint public key.
 */
public final class LedgerVerifier {

  private final CheckpointPublicKey publicKey;
  private final Map<Integer, LedgerCheckpoint> latest = new TreeMap<>();
  private final Set<Integer> latestReached = new HashSet<>();
  private final Map<Integer, PartitionChain> chains = new TreeMap<>();
  private final Map<String, Integer> subjectPartitions = new HashMap<>();
  private long records;
  private long checkpoints;
  private ChainBreak broken;

  /**
   * @param publicKey verifies checkpoint signatures
   * @param latestCheckpoints the latest checkpoint of each partition (from
   *     optin.consent-checkpoints.v1); may be empty, then only the in-band checkpoints are checked
   *     and a truncated tail goes unnoticed
   */
  public LedgerVerifier(
      CheckpointPublicKey publicKey, Collection<LedgerCheckpoint> latestCheckpoints) {
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    for (LedgerCheckpoint checkpoint : latestCheckpoints) {
      latest.merge(
          checkpoint.getPartition(),
          checkpoint,
          (a, b) -> a.getPartitionSequence() >= b.getPartitionSequence() ? a : b);
    }
  }

  /** Verifies a whole ledger at once. */
  public static LedgerVerdict verify(
      Iterable<LedgerEntry> entries,
      CheckpointPublicKey publicKey,
      Collection<LedgerCheckpoint> latestCheckpoints) {
    LedgerVerifier verifier = new LedgerVerifier(publicKey, latestCheckpoints);
    for (LedgerEntry entry : entries) {
      if (!verifier.accept(entry)) {
        break;
      }
    }
    return verifier.finish();
  }

  /**
   * Checks the next entry of its partition; {@code false} once the ledger is found broken (here or
   * before).
   */
  public boolean accept(LedgerEntry entry) {
    if (broken != null) {
      return false;
    }
    PartitionChain chain = chains.computeIfAbsent(entry.partition(), PartitionChain::new);
    String problem = problemWith(entry, chain);
    if (problem == null) {
      advance(entry, chain);
      problem = latestCheckpointProblem(entry, chain);
    }
    if (problem != null) {
      broken = ChainBreak.at(entry, problem);
      return false;
    }
    return true;
  }

  /** The verdict: the first break, a checkpoint the ledger does not reach, or what was checked. */
  public LedgerVerdict finish() {
    if (broken != null) {
      return broken;
    }
    for (LedgerCheckpoint checkpoint : latest.values()) {
      if (latestReached.contains(checkpoint.getPartition())) {
        continue;
      }
      PartitionChain chain = chains.get(checkpoint.getPartition());
      String signature = signatureProblem(checkpoint);
      if (chain == null) {
        return new ChainBreak(
            checkpoint.getPartition(),
            -1,
            null,
            signature != null
                ? signature
                : "the partition holds no record but "
                    + describe(checkpoint)
                    + ": the ledger was truncated");
      }
      return new ChainBreak(
          chain.partition,
          chain.lastOffset,
          chain.lastEventId,
          signature != null
              ? signature
              : "the partition ends at partitionSequence "
                  + (chain.nextSequence - 1)
                  + " but "
                  + describe(checkpoint)
                  + ": its tail was truncated");
    }
    Set<Integer> partitions = new HashSet<>(chains.keySet());
    partitions.addAll(latest.keySet());
    return new VerificationReport(
        records, subjectPartitions.size(), partitions.size(), checkpoints);
  }

  private String problemWith(LedgerEntry entry, PartitionChain chain) {
    ConsentAuditRecord r = entry.record();
    if (entry.offset() <= chain.lastOffset) {
      return "offset "
          + entry.offset()
          + " comes after offset "
          + chain.lastOffset
          + ": entries out of order";
    }
    if (!LedgerHashing.known(r.getHashVersion())) {
      return "unknown hashVersion " + r.getHashVersion();
    }
    if (r.getHashVersion() == LedgerHashing.VERSION_1 && r.getChannel() != null) {
      // Version 1 does not cover the channel: one on such a record was added after it was hashed.
      return "a channel on a hashVersion 1 record, whose hash does not cover it: the record was"
          + " altered";
    }
    String computed = LedgerHashing.hash(r);
    if (!computed.equals(r.getHash())) {
      return "hash does not match the record's content (stored "
          + r.getHash()
          + ", computed "
          + computed
          + "): the record was altered";
    }
    if (!Objects.equals(r.getSourcePartition(), entry.partition())) {
      return "the record belongs to ledger partition " + r.getSourcePartition() + ": it was moved";
    }
    String partitionLink = partitionLinkProblem(r, chain);
    if (partitionLink != null) {
      return partitionLink;
    }
    return r.getEventType() == ConsentEventType.CHECKPOINT
        ? inBandCheckpointProblem(entry, chain)
        : subjectLinkProblem(entry, chain);
  }

  private static String partitionLinkProblem(ConsentAuditRecord r, PartitionChain chain) {
    Long sequence = r.getPartitionSequence();
    if (sequence == null) {
      return "the record has no partitionSequence";
    }
    if (sequence > chain.nextSequence) {
      return "partitionSequence "
          + sequence
          + " where "
          + chain.nextSequence
          + " was expected: "
          + (sequence - chain.nextSequence)
          + " record(s) missing before it (deleted)";
    }
    if (sequence < chain.nextSequence) {
      return "partitionSequence "
          + sequence
          + " where "
          + chain.nextSequence
          + " was expected: the record is"
          + " repeated, inserted or out of order";
    }
    if (!Objects.equals(r.getPreviousPartitionHash(), chain.headHash)) {
      return "previousPartitionHash "
          + r.getPreviousPartitionHash()
          + " is not the hash of the partition's previous"
          + " record ("
          + chain.headHash
          + "): a record was inserted, removed or reordered before it";
    }
    return null;
  }

  private String subjectLinkProblem(LedgerEntry entry, PartitionChain chain) {
    ConsentAuditRecord r = entry.record();
    String subject = r.getSubjectKey();
    if (subject == null || r.getSequence() == null) {
      return "a " + r.getEventType() + " record without subjectKey or sequence";
    }
    if (!subject.equals(entry.key())) {
      return "the Kafka key " + entry.key() + " is not the record's subjectKey";
    }
    if (r.getCheckpoint() != null) {
      return "a " + r.getEventType() + " record carrying a checkpoint";
    }
    Integer home = subjectPartitions.get(subject);
    if (home != null && home != entry.partition()) {
      return "subject " + subject + " has its chain in partition " + home;
    }
    PartitionChain.Head head = chain.subjects.get(subject);
    long expected = head == null ? 0 : head.sequence() + 1;
    if (r.getSequence() != expected) {
      return "subject sequence "
          + r.getSequence()
          + " where "
          + expected
          + " was expected for subject "
          + subject
          + (r.getSequence() > expected
              ? ": a record of the subject is missing"
              : ": repeated or out of order");
    }
    String previous = head == null ? null : head.hash();
    if (!Objects.equals(r.getPreviousHash(), previous)) {
      return "previousHash is not the hash of subject " + subject + "'s previous record";
    }
    return null;
  }

  private String inBandCheckpointProblem(LedgerEntry entry, PartitionChain chain) {
    ConsentAuditRecord r = entry.record();
    LedgerCheckpoint checkpoint = r.getCheckpoint();
    if (checkpoint == null
        || r.getSubjectKey() != null
        || r.getSequence() != null
        || entry.key() != null) {
      return "a CHECKPOINT record must carry a checkpoint and no subject";
    }
    if (checkpoint.getPartitionSequence() != r.getPartitionSequence() - 1) {
      return "the checkpoint covers partitionSequence "
          + checkpoint.getPartitionSequence()
          + " but stands at "
          + r.getPartitionSequence();
    }
    String problem = checkpointProblem(checkpoint, chain, chain.headHash);
    if (problem == null) {
      checkpoints++;
    }
    return problem;
  }

  /**
   * When the entry is where the latest checkpoint of its partition stands, the chains must agree
   * with it.
   */
  private String latestCheckpointProblem(LedgerEntry entry, PartitionChain chain) {
    LedgerCheckpoint checkpoint = latest.get(entry.partition());
    if (checkpoint == null || checkpoint.getPartitionSequence() != chain.nextSequence - 1) {
      return null;
    }
    latestReached.add(entry.partition());
    String problem = checkpointProblem(checkpoint, chain, chain.headHash);
    if (problem == null) {
      checkpoints++;
      return null;
    }
    return "against the latest checkpoint: " + problem;
  }

  private String checkpointProblem(
      LedgerCheckpoint checkpoint, PartitionChain chain, String headHash) {
    String signature = signatureProblem(checkpoint);
    if (signature != null) {
      return signature;
    }
    if (checkpoint.getPartition() != chain.partition) {
      return "a checkpoint of partition "
          + checkpoint.getPartition()
          + " in partition "
          + chain.partition;
    }
    if (!checkpoint.getHeadHash().equals(headHash)) {
      return "the partition chain's head "
          + headHash
          + " is not the checkpoint's "
          + checkpoint.getHeadHash()
          + " at partitionSequence "
          + checkpoint.getPartitionSequence()
          + ": records before it were altered";
    }
    SubjectHeadsDigest digest = chain.digest();
    if (digest.count() != checkpoint.getSubjects()
        || !digest.hex().equals(checkpoint.getSubjectHeadsDigest())) {
      return "the subject heads ("
          + digest.count()
          + " subjects) are not those the checkpoint signed ("
          + checkpoint.getSubjects()
          + " subjects) at partitionSequence "
          + checkpoint.getPartitionSequence();
    }
    return null;
  }

  private String signatureProblem(LedgerCheckpoint checkpoint) {
    if (!publicKey.keyId().equals(checkpoint.getSigningKeyId())) {
      return "the checkpoint is signed by key "
          + checkpoint.getSigningKeyId()
          + ", not the trusted key "
          + publicKey.keyId();
    }
    return publicKey.verifies(checkpoint)
        ? null
        : "the checkpoint's signature does not verify: it was forged or altered";
  }

  private void advance(LedgerEntry entry, PartitionChain chain) {
    ConsentAuditRecord r = entry.record();
    chain.nextSequence++;
    chain.headHash = r.getHash();
    chain.lastOffset = entry.offset();
    chain.lastEventId = r.getEventId();
    records++;
    if (r.getEventType() != ConsentEventType.CHECKPOINT) {
      chain.subjects.put(r.getSubjectKey(), new PartitionChain.Head(r.getSequence(), r.getHash()));
      subjectPartitions.put(r.getSubjectKey(), entry.partition());
    }
  }

  private static String describe(LedgerCheckpoint checkpoint) {
    return "the checkpoint of "
        + checkpoint.getCheckpointedAt()
        + " covers up to partitionSequence "
        + checkpoint.getPartitionSequence();
  }
}
