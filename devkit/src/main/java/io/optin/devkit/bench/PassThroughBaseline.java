package io.optin.devkit.bench;

import io.optin.kit.streams.StreamsConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The raw baseline the flows are compared with: an {@code exactly_once_v2} Kafka Streams topology
 * that copies each record of its own input topic to its own output topic, nothing else, with the
 * services' Streams configuration, on the same broker. Its input has as many partitions as optin's
 * signup topic and records of a signup's size; it is filled first, then the application is timed
 * from RUNNING until its committed offsets reach the end of the input. Its topics are deleted
 * after.
 */
final class PassThroughBaseline {

  private static final Duration RUNNING_WAIT = Duration.ofSeconds(60);
  private static final Duration COPY_WAIT = Duration.ofMinutes(5);

  private PassThroughBaseline() {}

  /**
   * @param partitionsOf the topic whose partition count the input takes (optin's signup topic)
   */
  static BenchResult.Baseline run(
      String bootstrapServers, String partitionsOf, int records, int recordBytes) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String input = "optin-bench.pass-through-in." + run;
    String output = "optin-bench.pass-through-out." + run;
    String applicationId = "optin-bench-pass-through-" + run;
    Path stateDir = Files.createTempDirectory("optin-bench-pass-through-");
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      int partitions =
          admin
              .describeTopics(List.of(partitionsOf))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(partitionsOf)
              .partitions()
              .size();
      admin
          .createTopics(
              List.of(
                  new NewTopic(input, Optional.of(partitions), Optional.empty()),
                  new NewTopic(output, Optional.of(partitions), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
      try {
        fill(bootstrapServers, input, records, recordBytes);
        Map<TopicPartition, Long> ends = ends(admin, input);
        // What the input holds, not what was asked: a send the producer gave up on is not copied.
        long filled = ends.values().stream().mapToLong(Long::longValue).sum();
        double seconds = copy(admin, bootstrapServers, applicationId, output, ends, stateDir);
        return new BenchResult.Baseline(
            input, partitions, (int) filled, recordBytes, seconds, filled / seconds);
      } finally {
        admin.deleteTopics(List.of(input, output)).all().get(30, TimeUnit.SECONDS);
        try {
          admin.deleteConsumerGroups(List.of(applicationId)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          // The group may not exist (the copy never started), or not be empty yet: it holds no
          // data, only offsets of deleted topics.
        }
      }
    } finally {
      deleteQuietly(stateDir);
    }
  }

  private static void fill(String bootstrapServers, String topic, int records, int recordBytes) {
    Random random = new Random(7);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "optin-bench-pass-through-fill",
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.ACKS_CONFIG, "all",
                // Order and exactly-once do not matter to filling an input, and the single-node
                // broker's sequence checks can stall an idempotent producer under load
                // (OutOfOrderSequenceException, KAFKA-18202); a bounded timeout keeps it short.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      PhoneNumbers phones = new PhoneNumbers(0);
      for (int i = 0; i < records; i++) {
        byte[] value = new byte[recordBytes];
        random.nextBytes(value);
        producer.send(new ProducerRecord<>(topic, phones.of(i % PhoneNumbers.CAPACITY), value));
      }
      producer.flush();
    }
  }

  private static double copy(
      Admin admin,
      String bootstrapServers,
      String applicationId,
      String output,
      Map<TopicPartition, Long> ends,
      Path stateDir)
      throws Exception {
    String input = ends.keySet().iterator().next().topic();
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()));
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", bootstrapServers);
    settings.put("state.dir", stateDir.toString());
    try (KafkaStreams streams =
        new KafkaStreams(builder.build(), StreamsConfigs.forApplication(applicationId, settings))) {
      streams.start();
      long deadline = System.nanoTime() + RUNNING_WAIT.toNanos();
      while (streams.state() != KafkaStreams.State.RUNNING) {
        if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
          throw new IllegalStateException("the pass-through was not RUNNING within 60 s");
        }
        Thread.sleep(10);
      }
      long start = System.nanoTime();
      deadline = start + COPY_WAIT.toNanos();
      while (behind(admin, applicationId, ends) > 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the pass-through did not finish within 5 minutes");
        }
        Thread.sleep(10);
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
    int partitions =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .size();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin
        .listOffsets(latest)
        .all()
        .get(30, TimeUnit.SECONDS)
        .forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** Input records the application has not committed yet. */
  private static long behind(Admin admin, String group, Map<TopicPartition, Long> ends)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    long behind = 0;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      OffsetAndMetadata at = committed.get(end.getKey());
      behind += end.getValue() - (at == null ? 0 : at.offset());
    }
    return behind;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.toList());
      all.sort(Comparator.reverseOrder());
      all.forEach(path -> path.toFile().delete());
    } catch (Exception e) {
      // A temporary directory; the OS cleans it up eventually.
    }
  }
}
