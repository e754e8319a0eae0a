package io.optin.audit;

import io.optin.audit.crypto.DataKey;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.audit.ledger.Checkpointed;
import io.optin.audit.ledger.ConsentStep;
import io.optin.audit.ledger.LedgerAppender;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.PersonalData;
import io.optin.avro.SubjectDataKey;
import io.optin.domain.screening.PhoneRegion;
import io.optin.kit.metrics.OptinMetrics;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The only writer of one ledger partition (the task's): seals each step's personal data under the
 * subject's data key (making one, published on the key topic, on first need), chains it, and
 * appends it; on an erasure it destroys the key (tombstone on the key topic) before appending
 * ERASED; it signs a checkpoint every N records and on a wall-clock schedule. All in the task's
 * transaction: the ledger, its checkpoints and its keys never disagree.
 */
final class LedgerAppendProcessor implements Processor<String, ConsentStep, String, Object> {

  private final LedgerKeys keys;
  private final CheckpointPolicy policy;
  private final boolean sealPersonalData;
  private final OptinMetrics metrics;
  private ProcessorContext<String, Object> context;
  private LedgerAppender appender;
  private SubjectKeyStore dataKeys;

  LedgerAppendProcessor(
      LedgerKeys keys, CheckpointPolicy policy, boolean sealPersonalData, OptinMetrics metrics) {
    this.keys = keys;
    this.policy = policy;
    this.sealPersonalData = sealPersonalData;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.appender =
        new LedgerAppender(
            context.taskId().partition(),
            new StoreChainHeads(
                context.getStateStore(ConsentAuditTopology.SUBJECT_HEADS_STORE),
                context.getStateStore(ConsentAuditTopology.PARTITION_HEAD_STORE)),
            keys.signing());
    this.dataKeys =
        new SubjectKeyStore(
            context.getStateStore(ConsentAuditTopology.DATA_KEYS_STORE), keys.master());
    context.schedule(policy.interval(), PunctuationType.WALL_CLOCK_TIME, this::checkpoint);
  }

  @Override
  public void process(Record<String, ConsentStep> input) {
    ConsentStep step = input.value();
    ConsentAuditRecord record = step.record();
    String subject = step.subjectKey();
    if (record.getEventType() == ConsentEventType.ERASED) {
      dataKeys.destroy(subject);
      context.forward(
          new Record<String, Object>(subject, null, input.timestamp()),
          ConsentAuditTopology.KEYS_SINK);
    } else if (sealPersonalData && !isEmpty(step.personal())) {
      DataKey key = dataKeys.existing(subject);
      if (key == null) {
        SubjectDataKey created = dataKeys.create(subject, record.getOccurredAt());
        context.forward(
            new Record<String, Object>(subject, created, input.timestamp()),
            ConsentAuditTopology.KEYS_SINK);
        key = dataKeys.existing(subject);
      }
      record.setKeyId(key.keyId());
      record.setSealedPersonalData(key.seal(step.personal(), record.getEventId()));
    }
    ConsentAuditRecord appended = appender.append(record);
    context.forward(
        new Record<String, Object>(subject, appended, input.timestamp()),
        ConsentAuditTopology.AUDIT_SINK);
    measure(appended, step.personal());
    if (appender.sinceCheckpoint() >= policy.everyRecords()) {
      checkpoint(context.currentSystemTimeMs());
    }
  }

  private void checkpoint(long wallClockMs) {
    Checkpointed checkpointed = appender.checkpoint(Instant.ofEpochMilli(wallClockMs));
    if (checkpointed == null) {
      return;
    }
    context.forward(
        new Record<String, Object>(
            Integer.toString(appender.partition()), checkpointed.checkpoint(), wallClockMs),
        ConsentAuditTopology.CHECKPOINT_SINK);
    context.forward(
        new Record<String, Object>(null, checkpointed.record(), wallClockMs),
        ConsentAuditTopology.AUDIT_SINK);
  }

  /** The funnel's last steps: a confirmation reaching the ledger, a delivery (once per message). */
  private void measure(ConsentAuditRecord appended, PersonalData personal) {
    if (appended.getEventType() == ConsentEventType.CONFIRMED) {
      metrics.confirmedToLedger(
          Duration.ofMillis(
              context.currentSystemTimeMs() - appended.getOccurredAt().toEpochMilli()));
    } else if (appended.getEventType() == ConsentEventType.DELIVERED) {
      metrics.smsDelivered(
          appended.getProgramId(), PhoneRegion.of(personal == null ? null : personal.getPhone()));
    }
  }

  private static boolean isEmpty(PersonalData personal) {
    return personal.getPhone() == null
        && personal.getPageUrl() == null
        && personal.getIp() == null
        && personal.getUserAgent() == null
        && personal.getMessageText() == null;
  }
}
