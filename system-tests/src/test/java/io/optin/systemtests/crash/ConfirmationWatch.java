package io.optin.systemtests.crash;

import io.optin.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * When each phone's first confirmation became readable ({@code read_committed}), on the test's
 * clock: the moment an instance asked for that phone's outcome could have known it. Record
 * timestamps cannot tell it: Kafka Streams stamps a confirmation with its reply's time.
 */
final class ConfirmationWatch implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Long> seenAtMillis = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean stopped;

  ConfirmationWatch(String bootstrapServers) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    thread = new Thread(this::run, "confirmation-watch");
    thread.setDaemon(true);
  }

  ConfirmationWatch start() {
    thread.start();
    return this;
  }

  /** When the phone's confirmation was first read, if it was. */
  Long seenAtMillis(String phone) {
    return seenAtMillis.get(phone);
  }

  private void run() {
    try {
      String topic = Topics.CONFIRMED_SUBSCRIBERS.name();
      consumer.assign(
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList());
      while (!stopped) {
        long now = System.currentTimeMillis();
        consumer.poll(Duration.ofMillis(100)).forEach(r -> seenAtMillis.putIfAbsent(r.key(), now));
      }
    } catch (WakeupException e) {
      // close()
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    consumer.wakeup();
    thread.join(10_000);
  }
}
