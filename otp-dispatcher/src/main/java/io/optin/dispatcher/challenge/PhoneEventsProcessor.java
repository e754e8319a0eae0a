package io.optin.dispatcher.challenge;

import io.optin.kit.streams.Decoded;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds the events another service publishes about a phone (closed challenges, STOP/START replies)
 * into the phone's state; emits nothing but dead letters for records it cannot read.
 *
 * @param <V> the event record type
 */
final class PhoneEventsProcessor<V>
    implements Processor<byte[], Decoded<V>, String, SpecificRecord> {

  private final Function<V, String> phoneOf;
  private final BiFunction<PhoneStanding, V, PhoneStanding> transition;
  private final RefusedRecords refused;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, PhoneStanding> phones;

  /**
   * @param phoneOf the phone an event is about (the store key)
   * @param transition the phone's next state after the event; returning the same instance means "no
   *     change"
   */
  PhoneEventsProcessor(
      Function<V, String> phoneOf,
      BiFunction<PhoneStanding, V, PhoneStanding> transition,
      RefusedRecords refused) {
    this.phoneOf = phoneOf;
    this.transition = transition;
    this.refused = refused;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.phones = context.getStateStore(ChallengeTopology.STORE);
  }

  @Override
  public void process(Record<byte[], Decoded<V>> record) {
    Decoded<V> decoded = record.value();
    if (!decoded.isOk()) {
      Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
      var deadLetter =
          refused.deadLetter(
              record.key(),
              decoded.raw(),
              context.recordMetadata(),
              decoded.reason(),
              decoded.field(),
              now);
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      context.forward(
          new Record<String, SpecificRecord>(key, deadLetter, record.timestamp()),
          ChallengeTopology.TO_DEAD_LETTERS);
      return;
    }
    String phone = phoneOf.apply(decoded.value());
    PhoneStanding stored = phones.get(phone);
    PhoneStanding before = stored == null ? PhoneStanding.EMPTY : stored;
    PhoneStanding after = transition.apply(before, decoded.value());
    if (after == before) {
      return;
    }
    if (after.isEmpty()) {
      phones.delete(phone);
    } else {
      phones.put(phone, after);
    }
  }
}
