package io.optin.ingest;

import io.optin.avro.ClaimKind;
import io.optin.avro.IntakeClaim;
import io.optin.kit.kafka.EndOffsets;
import io.optin.kit.kafka.RecordPublisher;
import io.optin.kit.threads.NamedThreads;
import io.optin.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims judged by the {@link ClaimBook} every ingest instance applies from the one partition of
 * {@code optin.intake-claims.v1}: a claim is produced, then answered once this instance's follower
 * has applied it in its turn, so N instances enforce each limit and idempotency key once.
 *
 * <p>The follower reads the partition from the claims of the longest open window back (the
 * idempotency ttl, at least the limits' hour, plus the time a claim may stay unpublished) and is
 * ready once it has applied what was there at start. A claim not judged within {@code
 * ingest.claim.timeout} is refused (503): nothing unjudged is published.
 */
final class ReplicatedIntakeClaims extends BookedIntakeClaims {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedIntakeClaims.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final String TOPIC = Topics.INTAKE_CLAIMS.name();

  /**
   * Every record's key: one key is one partition, so the claims keep one total order even on a
   * topic made by hand with more partitions than the catalogue's one.
   */
  static final String KEY = "claims";

  private final RecordPublisher producer;
  private final Consumer<String, byte[]> consumer;
  private final Deserializer<IntakeClaim> values;
  private final Duration timeout;
  private final Duration window;
  private final Clock clock;
  private final Map<String, CompletableFuture<ClaimBook.Verdict>> pending =
      new ConcurrentHashMap<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean caughtUp;
  private volatile boolean failed;

  /**
   * @param producer writes the claims (acks=all, idempotent, no linger); closed by {@link #close()}
   * @param window how far back a starting follower applies claims
   * @param timeout the longest a claim waits for its verdict
   */
  ReplicatedIntakeClaims(
      ClaimBook book,
      RecordPublisher producer,
      Consumer<String, byte[]> consumer,
      Deserializer<IntakeClaim> values,
      Duration window,
      Duration timeout,
      Clock clock) {
    super(book);
    this.producer = producer;
    this.consumer = consumer;
    this.values = values;
    this.window = window;
    this.timeout = timeout;
    this.clock = clock;
    this.thread = NamedThreads.daemon("optin-ingest-claims-follower", this::run);
  }

  static ReplicatedIntakeClaims create(
      IngestSettings settings,
      Map<String, String> clientSettings,
      RecordPublisher producer,
      Deserializer<IntakeClaim> values,
      Clock clock) {
    Duration longest =
        settings.idempotencyTtl().compareTo(Duration.ofHours(1)) > 0
            ? settings.idempotencyTtl()
            : Duration.ofHours(1);
    return new ReplicatedIntakeClaims(
        new ClaimBook(settings),
        producer,
        new KafkaConsumer<>(
            consumerConfig(clientSettings), new StringDeserializer(), new ByteArrayDeserializer()),
        values,
        longest.plus(settings.claimTimeout()).plus(settings.publishTimeout()),
        settings.claimTimeout(),
        clock);
  }

  /** Producer settings over the client settings: every claim leaves at once. */
  static Map<String, String> producerSettings(Map<String, String> clientSettings) {
    Map<String, String> config = new HashMap<>(clientSettings);
    config.put("linger.ms", "0");
    return config;
  }

  static Map<String, Object> consumerConfig(Map<String, String> clientSettings) {
    return FollowerConsumers.config("optin-ingest-claims", clientSettings);
  }

  @Override
  public void start() {
    thread.start();
  }

  @Override
  public ClaimBook.Verdict judge(IntakeClaim claim) throws ClaimsUnavailable {
    CompletableFuture<ClaimBook.Verdict> verdict = new CompletableFuture<>();
    pending.put(claim.getClaimId(), verdict);
    try {
      producer
          .send(Topics.INTAKE_CLAIMS, KEY, claim, claim.getClaimedAt())
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  verdict.completeExceptionally(failure);
                }
              });
      return verdict.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unjudged(claim, e);
    } catch (ExecutionException e) {
      throw unjudged(claim, e.getCause());
    } catch (TimeoutException e) {
      throw unjudged(claim, e);
    } finally {
      pending.remove(claim.getClaimId());
    }
  }

  /**
   * The claim may still be written and allowed: release it, so that its key is not held by a signup
   * nobody publishes.
   */
  private ClaimsUnavailable unjudged(IntakeClaim claim, Throwable cause) {
    released(claim);
    return new ClaimsUnavailable(
        "signup claim " + claim.getClaimId() + " not judged within " + timeout + ": " + cause,
        cause);
  }

  @Override
  public void published(IntakeClaim claim) {
    follow(claim, ClaimKind.PUBLISHED);
  }

  @Override
  public void released(IntakeClaim claim) {
    follow(claim, ClaimKind.RELEASED);
  }

  private void follow(IntakeClaim claim, ClaimKind kind) {
    if (claim.getIdempotencyKeySha256() == null) {
      return;
    }
    IntakeClaim record = ClaimBook.following(claim, kind, clock.instant());
    producer
        .send(Topics.INTAKE_CLAIMS, KEY, record, record.getClaimedAt())
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                LOG.warn(
                    "could not mark signup claim {} {}; its idempotency key stays held until it is"
                        + " abandoned: {}",
                    record.getClaimId(),
                    kind,
                    failure.toString());
              }
            });
  }

  @Override
  public boolean ready() {
    return caughtUp;
  }

  @Override
  public boolean live() {
    return !failed;
  }

  private void run() {
    try {
      EndOffsets startEnds = assign();
      while (stop.getCount() > 0) {
        List<ConsumerRecord<String, byte[]>> batch = toList(consumer.poll(POLL));
        if (!batch.isEmpty()) {
          applyAll(batch);
        }
        if (!caughtUp && startEnds != null && startEnds.reachedBy(consumer)) {
          caughtUp = true;
          LOG.info("signup claims followed: {} idempotency keys held", keysHeld());
        }
      }
    } catch (WakeupException e) {
      // close() woke the consumer up: stop quietly.
    } catch (RuntimeException e) {
      failed = true;
      LOG.error("signup claims follower stopped; signups are answered 503 until a restart", e);
    } finally {
      consumer.close();
    }
  }

  private synchronized int keysHeld() {
    return book.keys();
  }

  private static List<ConsumerRecord<String, byte[]>> toList(
      Iterable<ConsumerRecord<String, byte[]>> records) {
    List<ConsumerRecord<String, byte[]>> list = new ArrayList<>();
    records.forEach(list::add);
    return list;
  }

  private synchronized void applyAll(List<ConsumerRecord<String, byte[]>> batch) {
    for (ConsumerRecord<String, byte[]> record : batch) {
      IntakeClaim claim;
      try {
        claim = values.deserialize(TOPIC, record.value());
      } catch (RuntimeException e) {
        // Every instance skips the same bytes, so the books stay equal.
        LOG.warn(
            "skipped undecodable signup claim at offset {}: {}", record.offset(), e.toString());
        continue;
      }
      if (claim == null) {
        continue;
      }
      ClaimBook.Verdict verdict = book.apply(claim);
      CompletableFuture<ClaimBook.Verdict> waiting = pending.get(claim.getClaimId());
      if (waiting != null && claim.getKind() == ClaimKind.CLAIM) {
        waiting.complete(verdict);
      }
    }
    notifyAll();
  }

  /**
   * Waits until the topic exists, assigns its partition at the claims of the longest window, and
   * returns its end offset.
   */
  private EndOffsets assign() {
    while (stop.getCount() > 0) {
      try {
        EndOffsets ends = assignOnce();
        if (ends != null) {
          return ends;
        }
        LOG.info("waiting for topic {} to exist", TOPIC);
      } catch (RetriableException e) {
        // A broker not up yet or restarting: ask again rather than give the instance up.
        LOG.info("waiting for the broker to assign {}: {}", TOPIC, e.toString());
      }
      try {
        stop.await(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop.countDown();
      }
    }
    return null;
  }

  /** Null while the topic does not exist. */
  private EndOffsets assignOnce() {
    List<PartitionInfo> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(5));
    if (partitions != null && !partitions.isEmpty()) {
      List<TopicPartition> assigned =
          partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(assigned);
      Instant from = clock.instant().minus(window);
      Map<TopicPartition, Long> at = new HashMap<>();
      assigned.forEach(tp -> at.put(tp, from.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(at);
      Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
      for (TopicPartition tp : assigned) {
        OffsetAndTimestamp offset = offsets.get(tp);
        consumer.seek(tp, offset == null ? ends.get(tp) : offset.offset());
      }
      return EndOffsets.of(ends);
    }
    return null;
  }

  @Override
  public void close() {
    stop.countDown();
    if (thread.getState() == Thread.State.NEW) {
      consumer.close();
    } else {
      consumer.wakeup();
      try {
        thread.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    producer.close();
  }
}
