package io.optin.audit.tools;

import io.optin.audit.RecordOrigin;
import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.ErasureRequested;
import io.optin.domain.otp.SubjectKeys;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code optin audit erase}: asks the ledger's writer to erase a subject. The request (subjectKey
 * only, no phone) goes to the erasure topic in the partition of the phone, so the audit task that
 * owns the subject's chain destroys the data key (a tombstone on the key topic) and appends the
 * ERASED record itself: the ledger keeps one writer.
 */
public final class LedgerEraser {

  private final Map<String, Object> producerSettings;
  private final AvroSerdes serdes;
  private final SubjectKeys subjects;

  public LedgerEraser(Map<String, ?> kafkaClientSettings, AvroSerdes serdes, SubjectKeys subjects) {
    this.producerSettings = new HashMap<>(kafkaClientSettings);
    this.serdes = serdes;
    this.subjects = subjects;
  }

  /** Publishes the erasure request (acks=all, idempotent) and returns where it sits. */
  public ErasureReceipt erase(
      String phone, String requestedBy, String reason, Instant now, LedgerTopics topics)
      throws ExecutionException, InterruptedException {
    String subjectKey = subjects.keyFor(phone);
    int partitions = topics.partitions(Topics.CONSENT_ERASURES.name());
    if (partitions == 0) {
      throw new IllegalStateException(
          Topics.CONSENT_ERASURES.name() + " does not exist: run `optin topics create`");
    }
    int partition = LedgerTopics.partitionOf(phone, partitions);
    ErasureRequested request =
        ErasureRequested.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setSubjectKey(subjectKey)
            .setRequestedBy(requestedBy)
            .setReason(reason)
            .setRequestedAt(now)
            .build();
    Map<String, Object> props = new HashMap<>(producerSettings);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    try (KafkaProducer<String, ErasureRequested> producer =
        new KafkaProducer<>(
            props, new StringSerializer(), serdes.forTopic(Topics.CONSENT_ERASURES).serializer())) {
      RecordMetadata sent =
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.CONSENT_ERASURES.name(),
                      partition,
                      now.toEpochMilli(),
                      subjectKey,
                      request))
              .get();
      String erasedEventId =
          new RecordOrigin(sent.topic(), sent.partition(), sent.offset())
              .eventId(ConsentEventType.ERASED.name());
      return new ErasureReceipt(
          request.getRequestId(), subjectKey, sent.partition(), sent.offset(), erasedEventId);
    }
  }

  /**
   * Waits until the ERASED record of the receipt is in the ledger (committed), or the timeout
   * passes.
   */
  public Optional<ConsentAuditRecord> awaitErased(
      ErasureReceipt receipt, String phone, LedgerTopics topics, Duration timeout)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Optional<ConsentAuditRecord> erased =
          topics.subjectRecords(receipt.subjectKey(), phone).stream()
              .filter(r -> r.getEventId().equals(receipt.erasedEventId()))
              .findFirst();
      if (erased.isPresent()) {
        return erased;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }
}
