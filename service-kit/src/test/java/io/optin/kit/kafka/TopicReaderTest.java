package io.optin.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Reading to the end offsets over Kafka's MockConsumer: up to the ends taken, never past them. */
class TopicReaderTest {

  private static final String TOPIC = "t";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
  private final List<String> read = new ArrayList<>();

  @Test
  void shouldHandOverEveryRecordBeforeTheEndsAndNoneWrittenAfter() throws Exception {
    // Given two partitions holding 2 and 1 records when the read starts
    consumer.assign(List.of(P0, P1));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(Map.of(P0, 2L, P1, 1L));
    consumer.seekToBeginning(List.of(P0, P1));
    EndOffsets ends = EndOffsets.of(consumer, List.of(P0, P1), Duration.ofSeconds(1));
    consumer.schedulePollTask(
        () -> {
          consumer.addRecord(record(0, 0, "a"));
          consumer.addRecord(record(1, 0, "x"));
        });
    // and a record written to partition 0 after the start arriving with the last of it
    consumer.schedulePollTask(
        () -> {
          consumer.addRecord(record(0, 1, "b"));
          consumer.addRecord(record(0, 2, "late"));
        });

    // When read to the end
    TopicReader.readToEnd(consumer, ends, Duration.ofSeconds(5), r -> read.add(r.value()));

    // Then the records up to the ends were handed over, in offset order within a partition, and the
    // later one was not
    assertThat(read).containsExactlyInAnyOrder("a", "x", "b");
    assertThat(read.indexOf("a")).isLessThan(read.indexOf("b"));
  }

  @Test
  void shouldReturnAtOnceForEmptyPartitions() throws Exception {
    consumer.assign(List.of(P0));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    consumer.updateEndOffsets(Map.of(P0, 0L));
    consumer.seekToBeginning(List.of(P0));

    TopicReader.readToEnd(
        consumer, EndOffsets.of(Map.of(P0, 0L)), Duration.ZERO, r -> read.add(r.value()));

    assertThat(read).isEmpty();
  }

  @Test
  void shouldTimeOutWhenTheEndIsNotReached() {
    // Given an end the consumer never gets to (the records never arrive)
    consumer.assign(List.of(P0));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    consumer.seekToBeginning(List.of(P0));

    // When read, Then the read gives up with the timeout
    assertThatThrownBy(
            () ->
                TopicReader.readToEnd(
                    consumer,
                    EndOffsets.of(Map.of(P0, 3L)),
                    Duration.ofMillis(300),
                    r -> read.add(r.value())))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("t-0=3")
        .hasMessageContaining("PT0.3S");
  }

  @Test
  void shouldTellWhenAConsumerReachedEveryEnd() {
    // Given ends of 1 and 0
    consumer.assign(List.of(P0, P1));
    consumer.seek(P0, 0);
    consumer.seek(P1, 0);
    EndOffsets ends = EndOffsets.of(Map.of(P0, 1L, P1, 0L));

    // Then partition 0 holds it back until its position passes its end
    assertThat(ends.reachedBy(consumer)).isFalse();
    assertThat(ends.includes(record(0, 0, "a"))).isTrue();
    assertThat(ends.includes(record(1, 0, "late"))).isFalse();
    consumer.seek(P0, 1);
    assertThat(ends.reachedBy(consumer)).isTrue();
  }

  private static ConsumerRecord<String, String> record(int partition, long offset, String value) {
    return new ConsumerRecord<>(TOPIC, partition, offset, "k", value);
  }
}
