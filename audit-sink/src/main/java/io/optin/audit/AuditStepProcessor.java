package io.optin.audit;

import io.optin.audit.ledger.ConsentStep;
import io.optin.avro.DeadLetter;
import io.optin.kit.streams.Decoded;
import io.optin.kit.streams.UnprocessableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns each record of one input topic into its consent steps, keyed by subject; an undecodable or
 * refused record becomes a dead letter and the next one is processed. Steps with a dedupe key are
 * recorded once per key within the retention (store {@value ConsentAuditTopology#DEDUPE_STORE},
 * purged on stream time).
 *
 * <p>A rule that throws is a property of the record (rules are pure): the record is refused with an
 * {@link UnprocessableRecordException}, before anything is written, and the Streams failure handler
 * dead-letters it. Anything that fails after (the dedupe store, a forward) fails the stream thread
 * and the record is processed again.
 */
final class AuditStepProcessor<V> implements Processor<String, Decoded<V>, String, Object> {

  private static final Duration PURGE_EVERY = Duration.ofHours(1);

  private final String applicationId;
  private final ConsentStepRule<V> rule;
  private final Duration dedupeRetention;
  private final boolean dedupes;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, Long> seen;

  AuditStepProcessor(
      String applicationId, ConsentStepRule<V> rule, Duration dedupeRetention, boolean dedupes) {
    this.applicationId = applicationId;
    this.rule = rule;
    this.dedupeRetention = dedupeRetention;
    this.dedupes = dedupes;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    if (dedupes) {
      this.seen = context.getStateStore(ConsentAuditTopology.DEDUPE_STORE);
      context.schedule(PURGE_EVERY, PunctuationType.STREAM_TIME, this::purge);
    }
  }

  @Override
  public void process(Record<String, Decoded<V>> record) {
    RecordOrigin origin = origin();
    Decoded<V> decoded = record.value();
    if (decoded == null || !decoded.isOk()) {
      deadLetter(
          record,
          origin,
          decoded == null ? "no value" : decoded.reason(),
          decoded == null ? null : decoded.field());
      return;
    }
    Derivation derivation =
        UnprocessableRecordException.decide(
            () -> rule.derive(record.key(), decoded.value(), origin),
            "could not derive consent steps");
    if (derivation.isRefused()) {
      deadLetter(record, origin, derivation.refusal(), derivation.field());
      return;
    }
    if (derivation.dedupeKey() != null) {
      if (seen.get(derivation.dedupeKey()) != null) {
        return;
      }
      seen.put(derivation.dedupeKey(), record.timestamp());
    }
    for (ConsentStep step : derivation.steps()) {
      context.forward(
          new Record<String, Object>(step.subjectKey(), step, record.timestamp()),
          ConsentAuditTopology.APPENDER);
    }
  }

  private RecordOrigin origin() {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    return new RecordOrigin(meta.topic(), meta.partition(), meta.offset());
  }

  private void deadLetter(
      Record<String, Decoded<V>> record, RecordOrigin origin, String reason, String field) {
    DeadLetter letter =
        AuditDeadLetters.letter(
            applicationId,
            origin,
            reason,
            field,
            record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
            record.value() == null ? null : record.value().raw(),
            Instant.ofEpochMilli(context.currentSystemTimeMs()));
    context.forward(
        new Record<String, Object>(record.key(), letter, record.timestamp()),
        ConsentAuditTopology.DEAD_LETTER_SINK);
  }

  private void purge(long streamTime) {
    long oldest = streamTime - dedupeRetention.toMillis();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = seen.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> entry = all.next();
        if (entry.value < oldest) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(seen::delete);
  }
}
