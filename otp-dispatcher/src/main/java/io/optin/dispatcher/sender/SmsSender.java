package io.optin.dispatcher.sender;

import io.optin.avro.DeadLetter;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsSendRequested;
import io.optin.kit.streams.Decoded;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox consumer: polls SMS commands (read_committed), has them sent concurrently by the
 * {@link OutboxCommandHandler}, then commits their reports and the consumed offsets in one
 * transaction.
 *
 * <p>Duplicate SMS bound: a command is texted again only if the process dies (or its transaction
 * aborts for good) after the provider accepted the SMS and before the batch's transaction
 * committed. At most one poll batch per sender instance is exposed ({@link
 * SenderConfig#maxPollRecords()}, the concurrency), each command at most once more per such crash.
 * Replays of committed commands are skipped by command id ({@link DeliveredCommands}).
 */
public final class SmsSender implements Runnable {

  public static final String APPLICATION = "optin-sms-sender";

  private static final Logger log = LoggerFactory.getLogger(SmsSender.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final int COMMIT_ATTEMPTS = 3;

  private final Consumer<byte[], Decoded<SmsSendRequested>> consumer;
  private final Producer<byte[], byte[]> producer;
  private final OutboxCommandHandler handler;
  private final ExecutorService sending;
  private final Serializer<SmsDeliveryReport> reports;
  private final Serializer<DeadLetter> deadLetters;
  private final Clock clock;
  private volatile boolean stopping;

  /**
   * @param consumer subscribed by {@link #run}; {@code read_committed}, auto-commit off, in group
   *     {@value #APPLICATION}
   * @param producer transactional, {@code initTransactions()} already called
   * @param sending the bounded pool sends run on (its size is the sender's concurrency)
   */
  public SmsSender(
      Consumer<byte[], Decoded<SmsSendRequested>> consumer,
      Producer<byte[], byte[]> producer,
      OutboxCommandHandler handler,
      ExecutorService sending,
      AvroSerdes serdes,
      Clock clock) {
    this.consumer = consumer;
    this.producer = producer;
    this.handler = handler;
    this.sending = sending;
    this.reports = serdes.forTopic(Topics.SMS_DELIVERY).serializer();
    this.deadLetters = serdes.forTopic(Topics.DEAD_LETTERS).serializer();
    this.clock = clock;
  }

  /** Polls and sends until {@link #stop()}; a batch in progress is finished and committed first. */
  @Override
  public void run() {
    consumer.subscribe(List.of(Topics.SMS_OUTBOUND.name()));
    try {
      while (!stopping) {
        pollOnce();
      }
    } catch (WakeupException e) {
      if (!stopping) {
        throw e;
      }
    }
  }

  /** Asks the loop to end after the current batch. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  /**
   * One poll; the records it returns are sent, then their reports and offsets committed together.
   */
  void pollOnce() {
    ConsumerRecords<byte[], Decoded<SmsSendRequested>> records = consumer.poll(POLL);
    if (!records.isEmpty()) {
      process(records);
    }
  }

  private void process(ConsumerRecords<byte[], Decoded<SmsSendRequested>> records) {
    List<Future<Optional<ProducerRecord<byte[], byte[]>>>> outputs = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<byte[], Decoded<SmsSendRequested>> record : records) {
      outputs.add(sending.submit(() -> outputFor(record)));
      offsets.put(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1));
    }
    List<ProducerRecord<byte[], byte[]>> toCommit = new ArrayList<>();
    for (Future<Optional<ProducerRecord<byte[], byte[]>>> output : outputs) {
      awaitOutput(output).ifPresent(toCommit::add);
    }
    commit(toCommit, offsets);
  }

  private Optional<ProducerRecord<byte[], byte[]>> outputFor(
      ConsumerRecord<byte[], Decoded<SmsSendRequested>> record) {
    Decoded<SmsSendRequested> decoded = record.value();
    if (!decoded.isOk()) {
      log.warn(
          "Unreadable command at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          decoded.reason());
      DeadLetter letter = deadLetter(record, decoded);
      // A record without a timestamp (-1) is let the broker stamp its dead letter.
      Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
      return Optional.of(
          new ProducerRecord<>(
              Topics.DEAD_LETTERS.name(),
              null,
              timestamp,
              record.key(),
              deadLetters.serialize(Topics.DEAD_LETTERS.name(), letter)));
    }
    return handler
        .handle(decoded.value())
        .map(
            report ->
                new ProducerRecord<>(
                    Topics.SMS_DELIVERY.name(),
                    null,
                    report.getOccurredAt().toEpochMilli(),
                    report.getPhone().getBytes(StandardCharsets.UTF_8),
                    reports.serialize(Topics.SMS_DELIVERY.name(), report)));
  }

  private DeadLetter deadLetter(
      ConsumerRecord<byte[], Decoded<SmsSendRequested>> record, Decoded<SmsSendRequested> decoded) {
    return DeadLetter.newBuilder()
        .setDeadLetterId(UUID.randomUUID().toString())
        .setApplication(APPLICATION)
        .setReason(decoded.reason())
        .setField(decoded.field())
        .setSourceTopic(record.topic())
        .setSourcePartition(record.partition())
        .setSourceOffset(record.offset())
        .setRawKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
        .setRawValue(decoded.raw() == null ? null : ByteBuffer.wrap(decoded.raw()))
        .setFailedAt(clock.instant())
        .build();
  }

  private static <T> T awaitOutput(Future<T> output) {
    try {
      return output.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while SMS were being sent; the batch is not committed", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "sending a command failed unexpectedly; the batch is not committed", e.getCause());
    }
  }

  private void commit(
      List<ProducerRecord<byte[], byte[]>> outputs,
      Map<TopicPartition, OffsetAndMetadata> offsets) {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.beginTransaction();
        outputs.forEach(producer::send);
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
        return;
      } catch (ProducerFencedException
          | InvalidProducerEpochException
          | OutOfOrderSequenceException
          | AuthorizationException
          | UnsupportedVersionException fatal) {
        // Another instance took over (or we may not write): its copy of this batch will be the one
        // that counts.
        throw fatal;
      } catch (KafkaException e) {
        if (attempt >= COMMIT_ATTEMPTS) {
          throw e;
        }
        // The SMS are already sent: abort and commit the same reports again rather than lose them.
        log.warn(
            "Committing {} report(s) failed (attempt {} of {}): {}",
            outputs.size(),
            attempt,
            COMMIT_ATTEMPTS,
            e.toString());
        producer.abortTransaction();
      }
    }
  }
}
