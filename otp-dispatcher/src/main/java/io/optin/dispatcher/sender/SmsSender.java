package io.optin.dispatcher.sender;

import io.optin.avro.DeadLetter;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SmsSendIntent;
import io.optin.avro.SmsSendRequested;
import io.optin.kit.streams.Decoded;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox consumer, pipelined: one loop thread owns the consumer and the transactional producer,
 * and each turn of the loop is one transaction holding the send intents of the commands just
 * polled, the reports of the sends completed since the last turn, and the consumed offsets up to
 * the lowest command still in flight of each partition. A command is handed to the sending pool
 * only once the transaction holding its intent committed.
 *
 * <p>Duplicate SMS bound: a crash between a provider's acceptance and the report's commit leaves an
 * intent without a report; the command is read again, and the restarted sender (or the instance
 * that takes the partition over) looks the message up at the provider before sending. Replays of
 * reported commands are skipped by command id ({@link DeliveredCommands}). At most {@code
 * sms.max.concurrency} provider requests are in flight; the assigned partitions are paused while as
 * many commands are.
 *
 * <p>The loop never spins: it waits in {@code poll} for new commands, and a send that completes
 * while it waits wakes it ({@link Consumer#wakeup()}) so that its report is committed at once. A
 * wakeup only ends a poll early; the loop stops on {@link #stop()} alone.
 */
public final class SmsSender implements Runnable {

  public static final String APPLICATION = "optin-sms-sender";

  private static final Logger log = LoggerFactory.getLogger(SmsSender.class);

  /**
   * How long a poll waits for new commands: it returns as soon as one arrives, a send completes or
   * the sender stops, so this only bounds the wait of a send held until the group is rejoined.
   */
  static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

  private static final int COMMIT_ATTEMPTS = 3;

  private final Consumer<byte[], Decoded<SmsSendRequested>> consumer;
  private final Producer<byte[], byte[]> producer;
  private final OutboxCommandHandler handler;
  private final ExecutorService sending;
  private final Serializer<SmsDeliveryReport> reports;
  private final Serializer<SmsSendIntent> intents;
  private final Serializer<DeadLetter> deadLetters;
  private final Clock clock;
  private final int maxInFlight;
  private final Duration drainTimeout;
  private final Runnable onAssigned;
  private final Duration pollTimeout;
  private final InFlightOffsets offsets = new InFlightOffsets();
  private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();

  /**
   * True while the loop waits in a poll that only a wakeup ends early; the first send to complete
   * meanwhile clears it and wakes the loop, so a burst of completions costs one wakeup. A wakeup is
   * only asked for then: one asked for while the loop is busy would end its next poll before it
   * fetched anything, turn after turn under load.
   */
  private final AtomicBoolean waiting = new AtomicBoolean();

  private final List<ProducerRecord<byte[], byte[]>> outputs = new ArrayList<>();

  /** Sends polled whose intent is not committed yet: handed to the pool once it is. */
  private final List<Dispatch> held = new ArrayList<>();

  private final AtomicReference<RuntimeException> sendFailure = new AtomicReference<>();
  private boolean paused;
  private volatile boolean stopping;

  /** A send finished on the pool: its report, to commit with its offset. */
  private record Completion(
      TopicPartition partition, long offset, ProducerRecord<byte[], byte[]> output) {}

  /**
   * @param consumer subscribed by {@link #run}; {@code read_committed}, auto-commit off, in group
   *     {@value #APPLICATION}
   * @param producer transactional, {@code initTransactions()} already called
   * @param sending the pool sends run on; its size is {@code maxInFlight}
   * @param maxInFlight commands in flight beyond which the partitions are paused
   * @param drainTimeout how long sends in flight are awaited when partitions are revoked or the
   *     sender stops: a provider request's timeout
   * @param onAssigned run on the loop thread when partitions are assigned, before they are read
   *     (the reports and intents committed meanwhile are read back there)
   */
  public SmsSender(
      Consumer<byte[], Decoded<SmsSendRequested>> consumer,
      Producer<byte[], byte[]> producer,
      OutboxCommandHandler handler,
      ExecutorService sending,
      AvroSerdes serdes,
      Clock clock,
      int maxInFlight,
      Duration drainTimeout,
      Runnable onAssigned) {
    this(
        consumer,
        producer,
        handler,
        sending,
        serdes,
        clock,
        maxInFlight,
        drainTimeout,
        onAssigned,
        POLL_TIMEOUT);
  }

  /**
   * @param pollTimeout how long a poll waits when nothing is ready to commit (see {@link
   *     #POLL_TIMEOUT})
   */
  SmsSender(
      Consumer<byte[], Decoded<SmsSendRequested>> consumer,
      Producer<byte[], byte[]> producer,
      OutboxCommandHandler handler,
      ExecutorService sending,
      AvroSerdes serdes,
      Clock clock,
      int maxInFlight,
      Duration drainTimeout,
      Runnable onAssigned,
      Duration pollTimeout) {
    this.consumer = consumer;
    this.producer = producer;
    this.handler = handler;
    this.sending = sending;
    this.reports = serdes.forTopic(Topics.SMS_DELIVERY).serializer();
    this.intents = serdes.forTopic(Topics.SMS_INTENTS).serializer();
    this.deadLetters = serdes.forTopic(Topics.DEAD_LETTERS).serializer();
    this.clock = clock;
    this.maxInFlight = maxInFlight;
    this.drainTimeout = drainTimeout;
    this.onAssigned = onAssigned;
    this.pollTimeout = pollTimeout;
  }

  /**
   * Polls and sends until {@link #stop()}; then awaits the sends in flight (up to the drain
   * timeout) and commits their reports.
   */
  @Override
  public void run() {
    consumer.subscribe(List.of(Topics.SMS_OUTBOUND.name()), new Rebalance());
    while (!stopping) {
      pollOnce();
    }
    // Held sends were never handed to the pool: nothing to wait for.
    awaitCompletions(() -> offsets.inFlight() - held.size());
    commitPending();
  }

  /** Asks the loop to end after the current turn; a poll under way returns at once. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  /** Commands whose intent is committed and whose report is not. */
  int inFlight() {
    return offsets.inFlight();
  }

  /**
   * One turn: poll, record the intents of what was polled with the reports completed since the last
   * turn and the offsets now contiguous, in one transaction, then hand the polled sends to the
   * pool.
   */
  void pollOnce() {
    RuntimeException failure = sendFailure.get();
    if (failure != null) {
      throw new IllegalStateException(
          "sending a command failed unexpectedly; its report is not committed", failure);
    }
    ConsumerRecords<byte[], Decoded<SmsSendRequested>> records = pollCommands();
    List<Dispatch> dispatches = new ArrayList<>();
    for (ConsumerRecord<byte[], Decoded<SmsSendRequested>> record : records) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      offsets.polled(partition, record.offset());
      planFor(record)
          .ifPresentOrElse(
              send -> {
                ProducerRecord<byte[], byte[]> intent = intentRecord(send.intent());
                outputs.add(intent);
                dispatches.add(new Dispatch(partition, record.offset(), send, intent));
              },
              () -> offsets.completed(partition, record.offset()));
    }
    held.addAll(dispatches);
    releaseHeld();
    if (!paused && offsets.inFlight() >= maxInFlight) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (paused && offsets.inFlight() < maxInFlight) {
      consumer.resume(consumer.paused());
      paused = false;
    }
  }

  /** A send planned for a polled command, with the intent record that must commit before it. */
  private record Dispatch(
      TopicPartition partition,
      long offset,
      SendPlan.Send send,
      ProducerRecord<byte[], byte[]> intent) {}

  /**
   * Polls for new commands: without waiting when reports are ready to commit, else until a command
   * arrives, a send completes or fails, {@link #stop()} is called, or the poll timeout passed.
   */
  private ConsumerRecords<byte[], Decoded<SmsSendRequested>> pollCommands() {
    waiting.set(true);
    // Checked after announcing the wait: a send completing before is seen here, one completing
    // after sees the announcement and wakes the poll.
    boolean ready = !completions.isEmpty() || sendFailure.get() != null;
    if (ready) {
      waiting.set(false);
    }
    try {
      return consumer.poll(ready ? Duration.ZERO : pollTimeout);
    } catch (WakeupException woken) {
      // A send completed, or stop() was called: this turn commits what is ready, and the loop
      // checks whether it stops. The records the poll may have fetched are returned by the next.
      return ConsumerRecords.empty();
    } finally {
      waiting.set(false);
    }
  }

  /** Called by a send that completed or failed: ends the loop's poll if it is waiting. */
  private void wakeLoop() {
    if (waiting.compareAndSet(true, false)) {
      consumer.wakeup();
    }
  }

  /**
   * What to send for a record; empty when it is settled here (dead letter, skip, unsendable), its
   * output then already among those of this turn.
   */
  private Optional<SendPlan.Send> planFor(
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
      outputs.add(
          new ProducerRecord<>(
              Topics.DEAD_LETTERS.name(),
              null,
              timestamp,
              record.key(),
              deadLetters.serialize(Topics.DEAD_LETTERS.name(), letter)));
      return Optional.empty();
    }
    SendPlan plan = handler.plan(decoded.value());
    if (plan instanceof SendPlan.Send send) {
      return Optional.of(send);
    }
    if (plan instanceof SendPlan.Done done) {
      outputs.add(reportRecord(done.report()));
    }
    return Optional.empty();
  }

  private void dispatch(Dispatch dispatch) {
    sending.execute(
        () -> {
          ProducerRecord<byte[], byte[]> output;
          try {
            output = reportRecord(handler.carryOut(dispatch.send()));
          } catch (RuntimeException e) {
            // No report can be made: the loop stops (the service is dead, its process restarted),
            // and the command, never committed, is read again and looked up rather than forgotten.
            sendFailure.compareAndSet(null, e);
            wakeLoop();
            return;
          }
          completions.add(new Completion(dispatch.partition(), dispatch.offset(), output));
          wakeLoop();
        });
  }

  /**
   * Commits what is pending, then hands the held sends, their intents now committed, to the pool.
   */
  private void releaseHeld() {
    if (commitPending()) {
      held.forEach(this::dispatch);
      held.clear();
    }
  }

  /**
   * The held sends of partitions no longer ours are not sent here: their intents were never
   * committed, and their next owner reads them again. Returns how many were dropped.
   */
  private int dropHeld(Collection<TopicPartition> gone) {
    int before = held.size();
    held.removeIf(
        d -> {
          if (!gone.contains(d.partition())) {
            return false;
          }
          // Undo the plan: its intent, still pending, is not committed later as if sent, and its
          // command id is free again. Kept claimed, the command read again from the committed
          // offset (by this instance, when the partition comes back) would be skipped as already
          // handled and its offset committed: an SMS never sent (seen after a broker restart,
          // when the group forgot this member and its partitions were lost, then given back).
          outputs.removeIf(output -> output == d.intent());
          handler.release(d.send().command().getCommandId());
          return true;
        });
    return before - held.size();
  }

  /**
   * Commits the outputs gathered, the reports completed and the offsets they free, if any; false
   * when the group must be rejoined first (everything stays pending for a later turn).
   */
  private boolean commitPending() {
    for (Completion completion; (completion = completions.poll()) != null; ) {
      outputs.add(completion.output());
      offsets.completed(completion.partition(), completion.offset());
    }
    Map<TopicPartition, OffsetAndMetadata> advanced = offsets.advanced();
    if (outputs.isEmpty() && advanced.isEmpty()) {
      return true;
    }
    if (!commit(outputs, advanced)) {
      return false;
    }
    offsets.committed(advanced);
    outputs.clear();
    return true;
  }

  /**
   * Waits until {@code inFlight} is 0 or the drain timeout passed, committing as sends complete.
   */
  private void awaitCompletions(IntSupplier inFlight) {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    for (long left = drainTimeout.toNanos();
        inFlight.getAsInt() > 0 && left > 0;
        left = deadline - System.nanoTime()) {
      Completion completion;
      try {
        completion = completions.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (completion == null) {
        return;
      }
      outputs.add(completion.output());
      offsets.completed(completion.partition(), completion.offset());
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {

    /**
     * The partitions go to another instance: their sends in flight are awaited (up to a provider
     * timeout) and their reports and offsets committed while they are still ours, so the next owner
     * neither sends them again nor needs to look them up.
     */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (revoked.isEmpty()) {
        return;
      }
      // Called within a poll: the completions are awaited right here, so none needs to end that
      // poll (a wakeup would only interrupt the rebalance, to be resumed by the next poll).
      waiting.set(false);
      releaseHeld();
      int notSent = dropHeld(revoked);
      awaitCompletions(() -> offsets.inFlight(revoked) - notSent);
      int left = offsets.inFlight(revoked) - notSent;
      if (left > 0) {
        log.warn(
            "{} send(s) of revoked partitions still in flight after {}: their next owner looks them"
                + " up at the provider",
            left,
            drainTimeout);
      }
      commitPending();
      offsets.forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      dropHeld(lost);
      offsets.forget(lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (assigned.isEmpty()) {
        return;
      }
      onAssigned.run();
      if (paused) {
        consumer.pause(assigned);
      }
    }
  }

  private ProducerRecord<byte[], byte[]> intentRecord(SmsSendIntent intent) {
    return new ProducerRecord<>(
        Topics.SMS_INTENTS.name(),
        null,
        intent.getIntendedAt().toEpochMilli(),
        intent.getPhone().getBytes(StandardCharsets.UTF_8),
        intents.serialize(Topics.SMS_INTENTS.name(), intent));
  }

  private ProducerRecord<byte[], byte[]> reportRecord(SmsDeliveryReport report) {
    return new ProducerRecord<>(
        Topics.SMS_DELIVERY.name(),
        null,
        report.getOccurredAt().toEpochMilli(),
        report.getPhone().getBytes(StandardCharsets.UTF_8),
        reports.serialize(Topics.SMS_DELIVERY.name(), report));
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

  /**
   * Commits the outputs with the offsets in one transaction; false when the group moved on without
   * this member (its offsets cannot be committed until a poll rejoins it).
   */
  private boolean commit(
      List<ProducerRecord<byte[], byte[]>> outputs,
      Map<TopicPartition, OffsetAndMetadata> offsets) {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.beginTransaction();
        outputs.forEach(producer::send);
        if (!offsets.isEmpty()) {
          producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        }
        commitTransaction(outputs.size());
        return true;
      } catch (CommitFailedException | RebalanceInProgressException rejoin) {
        // After a broker outage the coordinator may have forgotten this member (its session
        // expired) or be rebalancing: retrying at once fails the same way, and only the next poll
        // rejoins the group. Aborted now, the same records are committed after that poll.
        log.warn(
            "Committing {} report(s) needs the group rejoined first; retried after the next poll:"
                + " {}",
            outputs.size(),
            rejoin.toString());
        producer.abortTransaction();
        return false;
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
        // Some SMS are already sent: abort and commit the same reports again rather than lose them.
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

  /**
   * Commits the open transaction. A commit that timed out (a broker down past {@code max.block.ms})
   * may still complete, and the producer accepts no other call until the same commit is retried:
   * neither an abort nor a new transaction. So it is retried, up to {@link #COMMIT_ATTEMPTS} times,
   * before the sender gives up.
   */
  private void commitTransaction(int reports) {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.commitTransaction();
        return;
      } catch (org.apache.kafka.common.errors.TimeoutException timedOut) {
        if (attempt >= COMMIT_ATTEMPTS) {
          throw new IllegalStateException(
              "the commit of " + reports + " report(s) timed out " + attempt + " times", timedOut);
        }
        log.warn(
            "Committing {} report(s) timed out (attempt {} of {}); the same commit is retried: {}",
            reports,
            attempt,
            COMMIT_ATTEMPTS,
            timedOut.toString());
      }
    }
  }
}
