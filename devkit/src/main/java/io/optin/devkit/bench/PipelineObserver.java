package io.optin.devkit.bench;

import io.optin.avro.ConsentAuditRecord;
import io.optin.avro.ConsentEventType;
import io.optin.avro.SubscriberConfirmed;
import io.optin.kit.threads.NamedThreads;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, committed records only ({@code read_committed}), the confirmations and the consent ledger
 * from where they ended when the run began, and tells the {@link FlowBook} when each arrived. One
 * consumer reads both topics, so a flow's two arrival times are on one clock and one poll loop.
 */
final class PipelineObserver implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineObserver.class);

  private final FlowBook book;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<SubscriberConfirmed> confirmations;
  private final Deserializer<ConsentAuditRecord> ledger;
  private final AtomicInteger undecodable = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stopping;

  PipelineObserver(String bootstrapServers, AvroSerdes serdes, FlowBook book) {
    this.book = book;
    this.confirmations = serdes.forTopic(Topics.CONFIRMED_SUBSCRIBERS).deserializer();
    this.ledger = serdes.forTopic(Topics.CONSENT_AUDIT).deserializer();
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "optin-bench-observer",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic<?> topic : List.of(Topics.CONFIRMED_SUBSCRIBERS, Topics.CONSENT_AUDIT)) {
      consumer
          .partitionsFor(topic.name())
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolve the end offsets now: records written after this belong to the run.
    partitions.forEach(consumer::position);
    this.thread = NamedThreads.daemon("optin-bench-observer", this::run);
    thread.start();
  }

  int undecodable() {
    return undecodable.get();
  }

  private void run() {
    try {
      while (!stopping) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          read(record, System.nanoTime());
        }
      }
    } catch (WakeupException e) {
      // close() asked to stop.
    } catch (RuntimeException e) {
      LOG.error("the bench stopped reading optin's topics; later flows will count as lost", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void read(ConsumerRecord<String, byte[]> record, long nanos) {
    if (record.value() == null) {
      return;
    }
    try {
      if (record.topic().equals(Topics.CONFIRMED_SUBSCRIBERS.name())) {
        SubscriberConfirmed confirmed = confirmations.deserialize(record.topic(), record.value());
        book.confirmed(confirmed.getPhone(), confirmed.getSignupId(), nanos);
      } else {
        ConsentAuditRecord audit = ledger.deserialize(record.topic(), record.value());
        if (audit.getEventType() == ConsentEventType.CONFIRMED && audit.getSignupId() != null) {
          book.ledgerConfirmed(audit.getSignupId(), nanos);
        }
      }
    } catch (RuntimeException e) {
      undecodable.incrementAndGet();
      LOG.warn(
          "undecodable record at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
    }
  }

  @Override
  public void close() {
    stopping = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
