package io.optin.audit.ledger;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.LedgerCheckpoint;
import io.optin.schemas.serde.AvroTrust;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The single writer's rule for one ledger partition: each appended record gets the next sequence of
 * its subject's chain and of the partition chain, both previous hashes, and its own hash; a
 * checkpoint signs the partition head and the digest of every subject head, and is itself appended
 * in-band. Pure: state lives in the {@link ChainHeads}.
 */
public final class LedgerAppender {

  static {
    // Records are copied with newBuilder(record), which loads our generated classes through Avro's
    // trust check.
    AvroTrust.install();
  }

  private final int partition;
  private final ChainHeads heads;
  private final CheckpointSigningKey signingKey;

  public LedgerAppender(int partition, ChainHeads heads, CheckpointSigningKey signingKey) {
    this.partition = partition;
    this.heads = Objects.requireNonNull(heads, "heads");
    this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
  }

  public int partition() {
    return partition;
  }

  /**
   * Chains a subject's record (sealed already) into this partition, in place, and returns it: it
   * gets both links and its hash; the stored heads move on.
   */
  public ConsentAuditRecord append(ConsentAuditRecord record) {
    String subject =
        Objects.requireNonNull(record.getSubjectKey(), "a ledger record names its subject");
    ChainHead subjectHead = heads.subject(subject);
    record.setSequence(subjectHead == null ? 0 : subjectHead.sequence() + 1);
    record.setPreviousHash(subjectHead == null ? null : subjectHead.hash());
    linkToPartition(record);
    heads.putSubject(subject, new ChainHead(record.getSequence(), record.getHash()));
    return record;
  }

  /** Records appended since the last checkpoint. */
  public long sinceCheckpoint() {
    ChainHead head = heads.partition();
    return head == null ? 0 : head.sinceCheckpoint();
  }

  /**
   * A signed checkpoint of the partition as it stands, and its in-band record (appended), or null
   * when nothing was appended since the last checkpoint (an idle partition stays quiet).
   */
  public Checkpointed checkpoint(Instant now) {
    ChainHead head = heads.partition();
    if (head == null || head.sinceCheckpoint() == 0) {
      return null;
    }
    SubjectHeadsDigest digest = LedgerHashing.subjectHeadsDigest();
    heads.forEachSubject(
        (key, subjectHead) -> digest.add(key, subjectHead.sequence(), subjectHead.hash()));
    LedgerCheckpoint checkpoint =
        signingKey.sign(
            LedgerCheckpoint.newBuilder()
                .setPartition(partition)
                .setPartitionSequence(head.sequence())
                .setHeadHash(head.hash())
                .setSubjects(digest.count())
                .setSubjectHeadsDigest(digest.hex())
                .setCheckpointedAt(now)
                .setSigningKeyId(signingKey.publicKey().keyId())
                .setSignature(ByteBuffer.allocate(0))
                .build());
    ConsentAuditRecord record =
        linkToPartition(
            ConsentAuditRecord.newBuilder()
                .setEventId(
                    UUID.nameUUIDFromBytes(
                            ("checkpoint/" + partition + "/" + head.sequence())
                                .getBytes(StandardCharsets.UTF_8))
                        .toString())
                .setEventType(ConsentEventType.CHECKPOINT)
                .setOccurredAt(now)
                .setSourcePartition(partition)
                .setCheckpoint(checkpoint)
                .build());
    heads.putPartition(new ChainHead(record.getPartitionSequence(), record.getHash(), 0));
    return new Checkpointed(checkpoint, record);
  }

  private ConsentAuditRecord linkToPartition(ConsentAuditRecord record) {
    if (record.getSourcePartition() == null || record.getSourcePartition() != partition) {
      throw new IllegalArgumentException(
          "a record of partition "
              + record.getSourcePartition()
              + " cannot be appended to ledger partition "
              + partition);
    }
    ChainHead head = heads.partition();
    record.setHashVersion(LedgerHashing.VERSION);
    record.setPartitionSequence(head == null ? 0 : head.sequence() + 1);
    record.setPreviousPartitionHash(head == null ? null : head.hash());
    record.setHash(null);
    record.setHash(LedgerHashing.hash(record));
    heads.putPartition(
        new ChainHead(
            record.getPartitionSequence(),
            record.getHash(),
            head == null ? 1 : head.sinceCheckpoint() + 1));
    return record;
  }
}
