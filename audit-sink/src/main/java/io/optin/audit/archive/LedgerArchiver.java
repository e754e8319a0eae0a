package io.optin.audit.archive;

import io.optin.schemas.Topics;
import io.optin.schemas.registry.SchemaRegistryClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies {@code optin.consent-audit.v1} into one {@link ArchiveSink}, exactly once: it reads
 * committed records only, from every partition it assigns itself, starting where the sink says it
 * stopped (never a consumer group's offsets, which would be committed apart from the archive).
 * After any failure it drops the sink, opens a fresh one (which repairs what the failure left) and
 * seeks to its positions again. Should its thread end without being asked to (an {@link Error}, an
 * interrupt), it has given up for good: {@link State#FAILED}.
 */
public final class LedgerArchiver implements AutoCloseable {

  /** Where the archiver is. */
  public enum State {
    CREATED,
    RUNNING,
    RECOVERING,
    STOPPED,
    /** Its thread ended without {@link #close()}: nothing is archived until a restart. */
    FAILED
  }

  private static final Logger LOG = LoggerFactory.getLogger(LedgerArchiver.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);

  private final String name;
  private final Supplier<ArchiveSink> sinks;
  private final Map<String, Object> consumerConfig;
  private final LedgerRecordDecoder decoder;
  private final Duration retryBackoff;
  private final String topic = Topics.CONSENT_AUDIT.name();
  private final Clock clock = Clock.systemUTC();
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
  private final AtomicReference<Throwable> lastError = new AtomicReference<>();
  private final AtomicLong archived = new AtomicLong();
  private final AtomicLong recoveries = new AtomicLong();
  private Thread worker;
  private KafkaConsumer<String, byte[]> consumer;

  /**
   * @param name names the thread and the Kafka client id, e.g. {@code files} or {@code jdbc}
   * @param sinks opens the sink; called again after each failure
   * @param kafkaClientSettings Kafka client settings (bootstrap.servers, security...); group.id is
   *     ignored
   * @param registry resolves the writer schema of each value
   * @param retryBackoff the pause before reopening the sink after a failure
   */
  public LedgerArchiver(
      String name,
      Supplier<ArchiveSink> sinks,
      Map<String, ?> kafkaClientSettings,
      SchemaRegistryClient registry,
      Duration retryBackoff) {
    this.name = Objects.requireNonNull(name, "name");
    this.sinks = Objects.requireNonNull(sinks, "sinks");
    this.decoder = new LedgerRecordDecoder(registry);
    this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
    this.consumerConfig = consumerConfig(name, kafkaClientSettings);
  }

  static Map<String, Object> consumerConfig(String name, Map<String, ?> kafkaClientSettings) {
    Map<String, Object> config = new HashMap<>(kafkaClientSettings);
    // No group: positions come from the archive, and nothing could commit an offset apart from it.
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "optin-archiver-" + name);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A stored position the topic no longer holds is an error to see, not a silent jump.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    return config;
  }

  /** Starts archiving on its own thread. */
  public synchronized LedgerArchiver start() {
    if (worker != null) {
      throw new IllegalStateException("archiver " + name + " already started");
    }
    consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    worker = new Thread(this::run, "optin-archiver-" + name);
    worker.start();
    return this;
  }

  public State state() {
    return state.get();
  }

  /** {@code files} or {@code jdbc}. */
  public String name() {
    return name;
  }

  /** Records this archiver stored since it started. */
  public long archived() {
    return archived.get();
  }

  /** Times it reopened its sink after a failure. */
  public long recoveries() {
    return recoveries.get();
  }

  /** The last failure, if any (it kept going after it). */
  public Throwable lastError() {
    return lastError.get();
  }

  /** Stops polling, waits for the batch in hand to be stored, and closes the sink. */
  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      running = worker;
    }
    stopping.countDown();
    if (running != null) {
      consumer.wakeup();
      try {
        running.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    state.set(State.STOPPED);
  }

  private void run() {
    ArchiveSink sink = null;
    Instant nextRefresh = Instant.MIN;
    try {
      while (stopping.getCount() > 0) {
        try {
          if (sink == null) {
            sink = sinks.get();
            assign(sink);
            nextRefresh = clock.instant().plus(PARTITION_REFRESH);
            state.set(State.RUNNING);
            LOG.info("Archiving {} into {} from {}", topic, sink.describe(), sink.positions());
          } else if (clock.instant().isAfter(nextRefresh)) {
            assignNewPartitions(sink);
            nextRefresh = clock.instant().plus(PARTITION_REFRESH);
          }
          ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
          if (!records.isEmpty()) {
            List<ArchivedRecord> batch = new ArrayList<>(records.count());
            for (ConsumerRecord<String, byte[]> record : records) {
              batch.add(decoder.decode(record));
            }
            sink.append(batch);
            archived.addAndGet(batch.size());
          }
        } catch (WakeupException | InterruptException e) {
          if (e instanceof InterruptException) {
            break;
          }
        } catch (RuntimeException e) {
          if (stopping.getCount() == 0) {
            break;
          }
          lastError.set(e);
          recoveries.incrementAndGet();
          state.set(State.RECOVERING);
          LOG.error(
              "Archiver {} failed ({}); reopening its sink in {}",
              name,
              e.getMessage(),
              retryBackoff,
              e);
          closeQuietly(sink);
          sink = null;
          if (stopping.await(retryBackoff.toMillis(), TimeUnit.MILLISECONDS)) {
            break;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Error e) {
      lastError.set(e);
      throw e;
    } finally {
      closeQuietly(sink);
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      if (stopping.getCount() == 0) {
        state.set(State.STOPPED);
      } else {
        state.set(State.FAILED);
        LOG.error(
            "Archiver {} gave up without being stopped; nothing more is archived into it until "
                + "the process is restarted (/health/live answers 503)",
            name,
            lastError.get());
      }
    }
  }

  private void assign(ArchiveSink sink) {
    List<TopicPartition> partitions = partitions();
    consumer.assign(partitions);
    seek(sink.positions(), partitions);
  }

  private void assignNewPartitions(ArchiveSink sink) {
    List<TopicPartition> partitions = partitions();
    if (!consumer.assignment().containsAll(partitions)) {
      List<TopicPartition> added =
          partitions.stream().filter(p -> !consumer.assignment().contains(p)).toList();
      LOG.info("Ledger partitions {} appeared; archiving them too", added);
      consumer.assign(partitions);
      seek(sink.positions(), added);
    }
  }

  private void seek(Map<Integer, Long> positions, List<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      Long position = positions.get(partition.partition());
      if (position == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, position);
      }
    }
  }

  private List<TopicPartition> partitions() {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " has no partitions");
    }
    return partitions;
  }

  private static void closeQuietly(ArchiveSink sink) {
    if (sink == null) {
      return;
    }
    try {
      sink.close();
    } catch (RuntimeException e) {
      LOG.warn("Closing {} failed", sink.describe(), e);
    }
  }
}
