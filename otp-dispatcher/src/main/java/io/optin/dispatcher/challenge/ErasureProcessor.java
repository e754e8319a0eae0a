package io.optin.dispatcher.challenge;

import io.optin.avro.ErasureRequested;
import io.optin.dispatcher.fallback.FallbackTopology;
import io.optin.domain.otp.PhoneMask;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.streams.Decoded;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets where an erased phone stands (its opt-out, statuses and pending challenges): the request
 * names only the subject key, so the phones of this task's store are hashed until one matches.
 * Erasures are rare, and the request sits in the phone's partition, so one store is scanned.
 */
final class ErasureProcessor
    implements Processor<byte[], Decoded<ErasureRequested>, String, SpecificRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(ErasureProcessor.class);

  private final SubjectKeys subjects;
  private KeyValueStore<String, PhoneStanding> phones;
  private KeyValueStore<String, ?> fallbacks;

  ErasureProcessor(SubjectKeys subjects) {
    this.subjects = subjects;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.phones = context.getStateStore(ChallengeTopology.STORE);
    this.fallbacks = context.getStateStore(FallbackTopology.STORE);
  }

  @Override
  public void process(Record<byte[], Decoded<ErasureRequested>> record) {
    Decoded<ErasureRequested> decoded = record.value();
    if (decoded == null || !decoded.isOk()) {
      // An unreadable request erases nothing here; the audit sink, which owns the erasure topic,
      // dead-letters it.
      return;
    }
    String subjectKey = decoded.value().getSubjectKey();
    Set<String> erased = new TreeSet<>();
    erased.addAll(phonesOf(phones, subjectKey));
    erased.addAll(phonesOf(fallbacks, subjectKey));
    erased.forEach(
        phone -> {
          phones.delete(phone);
          // Its wake-ups then find no watch and do nothing.
          fallbacks.delete(phone);
          LOG.info("erased {} (request {})", PhoneMask.mask(phone), decoded.value().getRequestId());
        });
  }

  private List<String> phonesOf(KeyValueStore<String, ?> store, String subjectKey) {
    List<String> found = new ArrayList<>();
    try (KeyValueIterator<String, ?> it = store.all()) {
      it.forEachRemaining(
          entry -> {
            if (subjects.keyFor(entry.key).equals(subjectKey)) {
              found.add(entry.key);
            }
          });
    }
    return found;
  }
}
