package io.optin.webhooks;

import io.optin.avro.DeadLetter;
import io.optin.kit.health.ServiceHealth;
import io.optin.kit.threads.NamedThreads;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the flow's events (see {@link EventMapper}) to every endpoint of {@code
 * webhooks.endpoints}, at least once, in order per phone: a plain consumer of group {@value
 * WebhookConfig#GROUP_ID} commits a partition's offset only past records every endpoint answered
 * with a 2xx, or whose event was dead-lettered for it after {@code webhooks.max.attempts}.
 *
 * <p>One consumer thread does everything but the HTTP exchanges: it polls every {@link #TICK}
 * (never stalling past {@code max.poll.interval.ms}, however slow an endpoint), starts at most one
 * POST per endpoint and partition (bounded by {@code webhooks.max.concurrency} overall), retries a
 * failed one after an exponential backoff with jitter, and pauses a partition whose unacknowledged
 * records pile up. A failing endpoint holds back only its own lanes, for at most its retry budget,
 * then dead-letters and moves on; the other endpoints keep going meanwhile, and the partition's
 * commit waits for the slowest lane.
 */
public final class WebhooksService implements ServiceHealth, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhooksService.class);

  /** The service's word, as on the command line and in {@code /health/ready/webhooks}. */
  public static final String NAME = "webhooks";

  /** The application named in the dead letters of this service. */
  public static final String APPLICATION = WebhookConfig.GROUP_ID;

  private static final Duration TICK = Duration.ofMillis(20);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(60);

  /** A partition with this many unacknowledged records is paused until half of them are. */
  static final int MAX_BUFFERED = 1_000;

  private final WebhookConfig config;
  private final Map<String, Object> kafka;
  private final AvroSerdes serdes;
  private final Clock clock;
  private final Map<String, Deserializer<?>> values = new HashMap<>();
  private final Map<TopicPartition, PartitionQueue> partitions = new LinkedHashMap<>();
  private final Set<TopicPartition> paused = new HashSet<>();

  private volatile String state = "CREATED";
  private volatile boolean assigned;
  private volatile boolean running;
  private volatile boolean abandon;
  private Thread loop;
  private KafkaConsumer<String, byte[]> consumer;
  private int inFlight;

  public WebhooksService(
      WebhookConfig config, Map<String, ?> kafkaClientProperties, AvroSerdes serdes, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.kafka = new HashMap<>(kafkaClientProperties);
    this.serdes = Objects.requireNonNull(serdes, "serdes");
    this.clock = Objects.requireNonNull(clock, "clock");
    for (Topic<?> topic : EventMapper.SOURCES) {
      values.put(topic.name(), serdes.forTopic(topic).deserializer());
    }
  }

  /** Starts the delivery thread; without endpoints the service stays idle (and ready). */
  public synchronized void start() {
    if (loop != null || !state.equals("CREATED")) {
      throw new IllegalStateException("already started");
    }
    if (!config.enabled()) {
      state = "IDLE";
      LOG.info("no webhooks.endpoints: no event webhooks are sent");
      return;
    }
    running = true;
    state = "STARTING";
    loop = NamedThreads.daemon("optin-webhooks", this::run);
    loop.start();
    LOG.info("sending event webhooks with {}", config);
  }

  private void run() {
    WebhookPoster poster =
        new WebhookPoster(
            new WebhookSignature(config.secret()),
            config.requestTimeout(),
            config.maxConcurrency(),
            clock);
    Serializer<DeadLetter> deadLetters = serdes.forTopic(Topics.DEAD_LETTERS).serializer();
    try (poster;
        KafkaConsumer<String, byte[]> opened = new KafkaConsumer<>(consumerProperties());
        Producer<byte[], DeadLetter> producer =
            new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), deadLetters)) {
      consumer = opened;
      consumer.subscribe(EventMapper.SOURCES.stream().map(Topic::name).toList(), new Rebalance());
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(TICK);
        for (ConsumerRecord<String, byte[]> record : records) {
          PartitionQueue queue =
              partitions.get(new TopicPartition(record.topic(), record.partition()));
          if (queue != null) {
            queue.append(entry(record, producer));
          }
        }
        drive(poster, producer);
        commit(partitions.values());
        pauseOrResume();
        if (assigned) {
          state = "RUNNING";
        }
      }
      if (!abandon) {
        drive(poster, producer);
        commit(partitions.values());
      }
      partitions.values().forEach(PartitionQueue::cancel);
      state = "STOPPED";
    } catch (RuntimeException e) {
      state = "FAILED";
      LOG.error("event webhooks stopped: a restart of the process is needed", e);
    } finally {
      assigned = false;
      consumer = null;
    }
  }

  /** Reads one record; an undecodable value is dead-lettered once and tells no event. */
  private PartitionQueue.Entry entry(
      ConsumerRecord<String, byte[]> record, Producer<byte[], DeadLetter> producer) {
    byte[] rawKey = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    Object value;
    try {
      value =
          record.value() == null
              ? null
              : values.get(record.topic()).deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      LOG.warn(
          "undecodable record {}-{}@{}: dead-lettered",
          record.topic(),
          record.partition(),
          record.offset());
      awaitDeadLetter(
          producer.send(
              deadLetter(
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  rawKey,
                  record.value(),
                  "undecodable value: " + e.getMessage())));
      return new PartitionQueue.Entry(record.offset(), null, null, rawKey, null);
    }
    WebhookEvent event =
        EventMapper.map(
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                record.key(),
                value)
            .orElse(null);
    return new PartitionQueue.Entry(
        record.offset(),
        event,
        event == null ? null : event.body(),
        event == null ? null : rawKey,
        event == null ? null : record.value());
  }

  /** Moves every lane on: collects finished POSTs and dead letters, starts the next ones. */
  private void drive(WebhookPoster poster, Producer<byte[], DeadLetter> producer) {
    long now = clock.millis();
    for (PartitionQueue queue : partitions.values()) {
      for (EndpointLane lane : queue.lanes) {
        collect(queue, lane, now, producer);
        skipEmpty(queue, lane);
        if (lane.busy()
            || lane.cursor >= queue.end()
            || now < lane.notBefore
            || inFlight >= config.maxConcurrency()) {
          continue;
        }
        PartitionQueue.Entry entry = queue.at(lane.cursor);
        lane.inFlight = poster.post(lane.endpoint, entry.event(), entry.body());
        inFlight++;
      }
    }
  }

  private void collect(
      PartitionQueue queue, EndpointLane lane, long now, Producer<byte[], DeadLetter> producer) {
    if (lane.deadLettering != null && lane.deadLettering.isDone()) {
      awaitDeadLetter(lane.deadLettering);
      lane.deadLettering = null;
      next(lane);
    }
    if (lane.inFlight == null || !lane.inFlight.isDone()) {
      return;
    }
    EndpointLane.Attempt attempt = lane.inFlight.join();
    lane.inFlight = null;
    inFlight--;
    PartitionQueue.Entry entry = queue.at(lane.cursor);
    if (attempt.acknowledged()) {
      next(lane);
      return;
    }
    lane.failures++;
    lane.lastFailure = attempt.describe();
    String endpoint = WebhookEndpoints.display(lane.endpoint);
    if (lane.failures >= config.maxAttempts()) {
      LOG.warn(
          "{} {} to {} failed {} attempts (last: {}): dead-lettered",
          entry.event().type(),
          entry.event().id(),
          endpoint,
          lane.failures,
          lane.lastFailure);
      lane.deadLettering =
          producer.send(
              deadLetter(
                  queue.partition.topic(),
                  queue.partition.partition(),
                  entry.offset(),
                  entry.rawKey(),
                  entry.rawValue(),
                  "webhook "
                      + entry.event().type()
                      + " "
                      + entry.event().id()
                      + " to "
                      + endpoint
                      + " failed "
                      + lane.failures
                      + " attempts, last: "
                      + lane.lastFailure));
      return;
    }
    Duration pause =
        config.backoff().pause(lane.failures, () -> ThreadLocalRandom.current().nextDouble());
    lane.notBefore = now + pause.toMillis();
    LOG.info(
        "{} {} to {} failed ({}), attempt {} of {} in {} ms",
        entry.event().type(),
        entry.event().id(),
        endpoint,
        lane.lastFailure,
        lane.failures + 1,
        config.maxAttempts(),
        pause.toMillis());
  }

  private static void next(EndpointLane lane) {
    lane.cursor++;
    lane.failures = 0;
    lane.notBefore = 0;
    lane.lastFailure = null;
  }

  private static void skipEmpty(PartitionQueue queue, EndpointLane lane) {
    while (!lane.busy() && lane.cursor < queue.end() && queue.at(lane.cursor).event() == null) {
      lane.cursor++;
    }
  }

  private ProducerRecord<byte[], DeadLetter> deadLetter(
      String topic, int partition, long offset, byte[] rawKey, byte[] rawValue, String reason) {
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setDeadLetterId(UUID.randomUUID().toString())
            .setApplication(APPLICATION)
            .setReason(reason)
            .setSourceTopic(topic)
            .setSourcePartition(partition)
            .setSourceOffset(offset)
            .setRawKey(rawKey == null ? null : ByteBuffer.wrap(rawKey))
            .setRawValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
            .setFailedAt(clock.instant())
            .build();
    return new ProducerRecord<>(Topics.DEAD_LETTERS.name(), rawKey, letter);
  }

  /** A dead letter not written stops the service: its record must not be committed unheard. */
  private static RecordMetadata awaitDeadLetter(java.util.concurrent.Future<RecordMetadata> sent) {
    try {
      return sent.get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing a dead letter", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not write a dead letter", e);
    }
  }

  private void commit(Collection<PartitionQueue> queues) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionQueue queue : queues) {
      OptionalLong offset = queue.advance();
      if (offset.isPresent()) {
        offsets.put(queue.partition, new OffsetAndMetadata(offset.getAsLong()));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    consumer.commitSync(offsets);
    offsets.forEach((partition, offset) -> partitions.get(partition).committed(offset.offset()));
  }

  private void pauseOrResume() {
    for (PartitionQueue queue : partitions.values()) {
      TopicPartition partition = queue.partition;
      if (queue.size() >= MAX_BUFFERED && paused.add(partition)) {
        consumer.pause(List.of(partition));
      } else if (queue.size() < MAX_BUFFERED / 2 && paused.remove(partition)) {
        consumer.resume(List.of(partition));
      }
    }
  }

  /**
   * Keeps {@link #partitions} equal to the assignment, committing what a lost owner acknowledged.
   */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      List<PartitionQueue> leaving =
          revoked.stream().map(partitions::get).filter(Objects::nonNull).toList();
      if (!abandon) {
        commit(leaving);
      }
      forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      forget(lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> added) {
      for (TopicPartition partition : added) {
        partitions.put(partition, new PartitionQueue(partition, config.endpoints()));
      }
      // A new group starts at the end of each topic (no history flood on the first deploy); its
      // position is committed at once, so a restart before the first event misses nothing.
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(added));
      Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
      for (TopicPartition partition : added) {
        if (committed.get(partition) == null) {
          start.put(partition, new OffsetAndMetadata(consumer.position(partition)));
        }
      }
      if (!start.isEmpty()) {
        consumer.commitSync(start);
      }
      assigned = true;
    }

    private void forget(Collection<TopicPartition> gone) {
      for (TopicPartition partition : gone) {
        PartitionQueue queue = partitions.remove(partition);
        if (queue != null) {
          for (EndpointLane lane : queue.lanes) {
            if (lane.inFlight != null) {
              inFlight--;
            }
          }
          queue.cancel();
        }
        paused.remove(partition);
      }
    }
  }

  private Map<String, Object> consumerProperties() {
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, WebhookConfig.GROUP_ID);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // The flow's topics are written in transactions: only committed records are events.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        org.apache.kafka.common.serialization.StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, APPLICATION + "-" + UUID.randomUUID());
    return props;
  }

  private Map<String, Object> producerProperties() {
    Map<String, Object> props = new HashMap<>(kafka);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.putIfAbsent(
        ProducerConfig.CLIENT_ID_CONFIG, APPLICATION + "-dead-letters-" + UUID.randomUUID());
    return props;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean ready() {
    return state.equals("IDLE") || (running && assigned);
  }

  @Override
  public boolean live() {
    return !state.equals("FAILED");
  }

  @Override
  public String state() {
    return state;
  }

  /** Stops delivering after the POSTs in flight, committing what every endpoint acknowledged. */
  @Override
  public void close() {
    stop(false);
  }

  /**
   * Stops at once without committing what was acknowledged since the last commit, as a killed
   * process would (for crash tests): the next owner of the partitions delivers those events again,
   * with the same ids.
   */
  public void abandon() {
    stop(true);
  }

  private void stop(boolean withoutCommit) {
    Thread thread;
    synchronized (this) {
      thread = loop;
      if (thread == null) {
        if (state.equals("IDLE")) {
          state = "STOPPED";
        }
        return;
      }
      abandon = withoutCommit;
      running = false;
      loop = null;
    }
    // The loop polls every TICK and sees the flag at once; no wakeup, which could interrupt the
    // last commit.
    try {
      thread.join(CLOSE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
