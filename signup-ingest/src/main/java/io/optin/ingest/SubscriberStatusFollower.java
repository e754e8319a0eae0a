package io.optin.ingest;

import io.optin.avro.SubscriberStatus;
import io.optin.kit.kafka.EndOffsets;
import io.optin.kit.threads.NamedThreads;
import io.optin.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code optin.subscriber-status.v1} from its beginning into a {@link
 * SubscriberStatusTable}, on one background thread. Every instance reads every partition (assigned,
 * no consumer group), committed records only. An undecodable record is skipped with a warning: the
 * table is a hint, the dispatcher decides. Every decoded status is then handed to the {@link
 * StatusTransitions} (the {@link PumpingGuard}), after the table.
 */
public final class SubscriberStatusFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriberStatusFollower.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final String TOPIC = Topics.SUBSCRIBER_STATUS.name();

  private final Consumer<String, byte[]> consumer;
  private final Deserializer<SubscriberStatus> values;
  private final SubscriberStatusTable table;
  private final StatusTransitions transitions;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean caughtUp;

  public SubscriberStatusFollower(
      Map<String, String> clientSettings,
      Deserializer<SubscriberStatus> values,
      SubscriberStatusTable table) {
    this(clientSettings, values, table, StatusTransitions.NONE);
  }

  /**
   * @param transitions told of every status record, in topic order per partition, once applied to
   *     the table
   */
  public SubscriberStatusFollower(
      Map<String, String> clientSettings,
      Deserializer<SubscriberStatus> values,
      SubscriberStatusTable table,
      StatusTransitions transitions) {
    this(
        new KafkaConsumer<>(
            consumerConfig(clientSettings), new StringDeserializer(), new ByteArrayDeserializer()),
        values,
        table,
        transitions);
  }

  SubscriberStatusFollower(
      Consumer<String, byte[]> consumer,
      Deserializer<SubscriberStatus> values,
      SubscriberStatusTable table) {
    this(consumer, values, table, StatusTransitions.NONE);
  }

  SubscriberStatusFollower(
      Consumer<String, byte[]> consumer,
      Deserializer<SubscriberStatus> values,
      SubscriberStatusTable table,
      StatusTransitions transitions) {
    this.consumer = consumer;
    this.values = values;
    this.table = table;
    this.transitions = transitions;
    this.thread = NamedThreads.daemon("optin-ingest-status-follower", this::run);
  }

  static Map<String, Object> consumerConfig(Map<String, String> clientSettings) {
    return FollowerConsumers.config("optin-ingest-status", clientSettings);
  }

  public void start() {
    thread.start();
  }

  /** True once everything present in the topic when following started has been applied. */
  public boolean isCaughtUp() {
    return caughtUp;
  }

  private void run() {
    try {
      EndOffsets startEnds = assignAll();
      while (stop.getCount() > 0) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          apply(record);
        }
        if (!caughtUp && startEnds != null && startEnds.reachedBy(consumer)) {
          caughtUp = true;
          LOG.info("subscriber status followed: {} phones known", table.phones());
        }
      }
    } catch (WakeupException e) {
      // close() woke the consumer up: stop quietly.
    } catch (RuntimeException e) {
      LOG.error(
          "subscriber status follower stopped; 409 answers rely on the dispatcher from now on", e);
    } finally {
      consumer.close();
    }
  }

  /**
   * Waits until the topic exists, assigns all its partitions from the beginning, returns their end
   * offsets.
   */
  private EndOffsets assignAll() {
    while (stop.getCount() > 0) {
      try {
        List<PartitionInfo> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(5));
        if (partitions != null && !partitions.isEmpty()) {
          List<TopicPartition> assigned =
              partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
          consumer.assign(assigned);
          consumer.seekToBeginning(assigned);
          return EndOffsets.of(consumer.endOffsets(assigned));
        }
        LOG.info("waiting for topic {} to exist", TOPIC);
      } catch (TimeoutException e) {
        // A broker restarting or slow to answer (a loaded machine starting many instances): the
        // follower would otherwise stop for good and the instance never become ready.
        LOG.info("waiting for the metadata of topic {}: {}", TOPIC, e.getMessage());
      }
      awaitStop(Duration.ofSeconds(1));
    }
    return null;
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    SubscriberStatus status;
    try {
      status = record.value() == null ? null : values.deserialize(TOPIC, record.value());
      table.apply(record.key(), status);
    } catch (RuntimeException e) {
      LOG.warn(
          "skipped undecodable subscriber status at {}-{}@{}: {}",
          TOPIC,
          record.partition(),
          record.offset(),
          e.toString());
      return;
    }
    if (status != null) {
      try {
        transitions.onStatus(status);
      } catch (RuntimeException e) {
        LOG.warn(
            "subscriber status at {}-{}@{} not counted by the pumping guard: {}",
            TOPIC,
            record.partition(),
            record.offset(),
            e.toString());
      }
    }
  }

  private void awaitStop(Duration wait) {
    try {
      stop.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop.countDown();
    }
  }

  @Override
  public void close() {
    stop.countDown();
    if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
      consumer.close();
      return;
    }
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
