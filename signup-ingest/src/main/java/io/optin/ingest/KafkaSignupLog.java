package io.optin.ingest;

import io.optin.avro.SignupRequested;
import io.optin.kit.threads.NamedThreads;
import io.optin.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Looks for a signup in its phone's partition of the signup topic, from a minute before it occurred
 * to the end, once the produce requests that may still carry it have timed out ({@code grace}, the
 * producer's request timeout, after it was last sent): a record appended by then is replicated or
 * truncated within moments, so what the end shows is what stays.
 */
public final class KafkaSignupLog implements SignupLog {

  private static final Duration LOOK_BACK = Duration.ofMinutes(1);
  private static final Duration READ_LIMIT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final String TOPIC = Topics.SIGNUP_REQUESTS.name();

  private final Map<String, Object> config;
  private final Deserializer<SignupRequested> values;
  private final Duration grace;
  private final Clock clock;

  public KafkaSignupLog(
      Map<String, String> clientSettings,
      Deserializer<SignupRequested> values,
      Duration grace,
      Clock clock) {
    this.config = FollowerConsumers.config("optin-ingest-signup-log", clientSettings);
    this.config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    this.values = values;
    this.grace = grace;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<Boolean> holds(SoughtSignup signup) {
    long wait =
        Math.max(0, Duration.between(clock.instant(), signup.lastSentAt().plus(grace)).toMillis());
    // Its own thread: the read blocks for up to READ_LIMIT, and the common pool may be one thread.
    return CompletableFuture.supplyAsync(
        () -> read(signup),
        CompletableFuture.delayedExecutor(
            wait,
            TimeUnit.MILLISECONDS,
            task -> NamedThreads.daemon("optin-ingest-signup-log", task).start()));
  }

  private boolean read(SoughtSignup signup) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(TOPIC, READ_LIMIT);
      // The producer's default partitioner: murmur2 of the key's bytes.
      byte[] key = signup.phone().getBytes(StandardCharsets.UTF_8);
      TopicPartition partition =
          new TopicPartition(TOPIC, Utils.toPositive(Utils.murmur2(key)) % partitions.size());
      consumer.assign(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), READ_LIMIT).get(partition);
      long since = signup.occurredAt().minus(LOOK_BACK).toEpochMilli();
      OffsetAndTimestamp from =
          consumer.offsetsForTimes(Map.of(partition, since), READ_LIMIT).get(partition);
      if (from == null) {
        return false;
      }
      consumer.seek(partition, from.offset());
      long deadline = System.nanoTime() + READ_LIMIT.toNanos();
      while (consumer.position(partition, READ_LIMIT) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the signup log was not read to its end in time");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          if (record.offset() < end
              && signup.phone().equals(record.key())
              && signup
                  .signupId()
                  .equals(values.deserialize(TOPIC, record.value()).getSignupId())) {
            return true;
          }
        }
      }
      return false;
    }
  }
}
