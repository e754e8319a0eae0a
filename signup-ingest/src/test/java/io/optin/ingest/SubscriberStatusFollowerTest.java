package io.optin.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.avro.OptInStatus;
import io.optin.avro.SubscriberStatus;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The follower over Kafka's MockConsumer: it reads every partition from the start and keeps the
 * latest status.
 */
class SubscriberStatusFollowerTest {

  private static final String TOPIC = Topics.SUBSCRIBER_STATUS.name();
  private static final String PHONE = "+14155550100";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
  private final SubscriberStatusTable table = new SubscriberStatusTable();
  private final SubscriberStatusFollower follower =
      new SubscriberStatusFollower(
          consumer, serdes.forTopic(Topics.SUBSCRIBER_STATUS).deserializer(), table);

  @AfterEach
  void stop() {
    follower.close();
  }

  private byte[] bytes(String programId, OptInStatus status) {
    SubscriberStatus value =
        SubscriberStatus.newBuilder()
            .setProgramId(programId)
            .setPhone(PHONE)
            .setStatus(status)
            .setUpdatedAt(Instant.parse("2025-03-01T10:00:00Z"))
            .build();
    return serdes.forTopic(Topics.SUBSCRIBER_STATUS).serializer().serialize(TOPIC, value);
  }

  @Test
  void shouldApplyTheTopicFromTheBeginningSkippingPoisonAndReportCatchingUp() {
    // Given a topic of two partitions holding a status, a poison record and an opt-out
    Node node = new Node(0, "localhost", 9092);
    consumer.updatePartitions(
        TOPIC,
        List.of(
            new PartitionInfo(TOPIC, 0, node, null, null),
            new PartitionInfo(TOPIC, 1, node, null, null)));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(Map.of(P0, 2L, P1, 1L));
    consumer.schedulePollTask(
        () -> {
          consumer.addRecord(
              new ConsumerRecord<>(
                  TOPIC, 0, 0, "acme:" + PHONE, bytes("acme", OptInStatus.CONFIRMED)));
          consumer.addRecord(
              new ConsumerRecord<>(
                  TOPIC, 0, 1, "acme:" + PHONE, "poison".getBytes(StandardCharsets.UTF_8)));
          consumer.addRecord(
              new ConsumerRecord<>(
                  TOPIC, 1, 0, "news:" + PHONE, bytes("news", OptInStatus.OPTED_OUT)));
        });

    // When it follows the topic
    follower.start();

    // Then it catches up with the latest statuses, the poison skipped
    await().atMost(Duration.ofSeconds(10)).until(follower::isCaughtUp);
    assertThat(table.status("acme", PHONE)).contains(OptInStatus.CONFIRMED);
    assertThat(table.isOptedOut(PHONE)).isTrue();

    // And a later tombstone forgets the entry
    consumer.schedulePollTask(
        () -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 1, "news:" + PHONE, null)));
    await().atMost(Duration.ofSeconds(10)).until(() -> !table.isOptedOut(PHONE));
  }

  @Test
  void shouldHandEveryDecodedStatusToTheTransitionsAfterTheTable() {
    // Given a follower feeding a listener that reads the table when told, over a one-partition
    // topic
    List<String> told = new CopyOnWriteArrayList<>();
    MockConsumer<String, byte[]> feeding = new MockConsumer<>("earliest");
    try (SubscriberStatusFollower withTransitions =
        new SubscriberStatusFollower(
            feeding,
            serdes.forTopic(Topics.SUBSCRIBER_STATUS).deserializer(),
            table,
            status ->
                told.add(
                    status.getStatus()
                        + " "
                        + table.status(status.getProgramId(), status.getPhone()).orElse(null)))) {
      Node node = new Node(0, "localhost", 9092);
      feeding.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, null, null)));
      feeding.updateBeginningOffsets(Map.of(P0, 0L));
      feeding.updateEndOffsets(Map.of(P0, 4L));
      feeding.schedulePollTask(
          () -> {
            feeding.addRecord(
                new ConsumerRecord<>(
                    TOPIC, 0, 0, "acme:" + PHONE, bytes("acme", OptInStatus.PENDING)));
            feeding.addRecord(
                new ConsumerRecord<>(
                    TOPIC, 0, 1, "acme:" + PHONE, "poison".getBytes(StandardCharsets.UTF_8)));
            feeding.addRecord(
                new ConsumerRecord<>(
                    TOPIC, 0, 2, "acme:" + PHONE, bytes("acme", OptInStatus.CONFIRMED)));
            feeding.addRecord(new ConsumerRecord<>(TOPIC, 0, 3, "acme:" + PHONE, null));
          });

      // When it follows the topic
      withTransitions.start();

      // Then the listener heard each decoded status once, in order, the table already holding it;
      // not the poison
      // nor the tombstone
      await().atMost(Duration.ofSeconds(10)).until(withTransitions::isCaughtUp);
      assertThat(told).containsExactly("PENDING PENDING", "CONFIRMED CONFIRMED");
      assertThat(table.status("acme", PHONE)).isEmpty();
    }
  }

  @Test
  void shouldKeepFollowingWhenTheTransitionsFail() {
    // Given a listener that fails on every status
    MockConsumer<String, byte[]> feeding = new MockConsumer<>("earliest");
    try (SubscriberStatusFollower withTransitions =
        new SubscriberStatusFollower(
            feeding,
            serdes.forTopic(Topics.SUBSCRIBER_STATUS).deserializer(),
            table,
            status -> {
              throw new IllegalStateException("listener failed (test)");
            })) {
      Node node = new Node(0, "localhost", 9092);
      feeding.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, null, null)));
      feeding.updateBeginningOffsets(Map.of(P0, 0L));
      feeding.updateEndOffsets(Map.of(P0, 2L));
      feeding.schedulePollTask(
          () -> {
            feeding.addRecord(
                new ConsumerRecord<>(
                    TOPIC, 0, 0, "acme:" + PHONE, bytes("acme", OptInStatus.PENDING)));
            feeding.addRecord(
                new ConsumerRecord<>(
                    TOPIC, 0, 1, "news:" + PHONE, bytes("news", OptInStatus.OPTED_OUT)));
          });

      // When it follows the topic
      withTransitions.start();

      // Then the table still holds both statuses
      await().atMost(Duration.ofSeconds(10)).until(withTransitions::isCaughtUp);
      assertThat(table.status("acme", PHONE)).contains(OptInStatus.PENDING);
      assertThat(table.isOptedOut(PHONE)).isTrue();
    }
  }

  @Test
  void shouldKeepWaitingWhenTheTopicMetadataTimesOut() {
    // Given a broker that does not answer the first metadata requests in time (restarting, or a
    // loaded machine), then holds the topic with a status
    Node node = new Node(0, "localhost", 9092);
    AtomicInteger timeouts = new AtomicInteger(2);
    MockConsumer<String, byte[]> slow =
        new MockConsumer<>("earliest") {
          @Override
          public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            if (timeouts.getAndDecrement() > 0) {
              throw new TimeoutException("Timeout expired while fetching topic metadata");
            }
            return super.partitionsFor(topic, timeout);
          }
        };
    slow.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, null, null)));
    slow.updateBeginningOffsets(Map.of(P0, 0L));
    slow.updateEndOffsets(Map.of(P0, 1L));
    slow.schedulePollTask(
        () ->
            slow.addRecord(
                new ConsumerRecord<>(
                    TOPIC, 0, 0, "acme:" + PHONE, bytes("acme", OptInStatus.OPTED_OUT))));

    // When it follows the topic
    try (SubscriberStatusFollower patient =
        new SubscriberStatusFollower(
            slow, serdes.forTopic(Topics.SUBSCRIBER_STATUS).deserializer(), table)) {
      patient.start();

      // Then it asks again until the metadata comes, and catches up
      await().atMost(Duration.ofSeconds(10)).until(patient::isCaughtUp);
      assertThat(timeouts.get()).isNegative();
      assertThat(table.isOptedOut(PHONE)).isTrue();
    }
  }

  @Test
  void shouldNeverJoinAGroupNorCreateTheTopic() {
    Map<String, Object> config =
        SubscriberStatusFollower.consumerConfig(
            Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                "someone-elses-group",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_uncommitted"));

    assertThat(config)
        .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
  }
}
