package io.optin.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processing-exception handler on a TopologyTestDriver: only a record no retry can process
 * becomes a dead letter; any other failure stops the thread (and so is retried, never skipped).
 */
class RecordFailuresTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  @TempDir Path stateDir;

  private TopologyTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldDeadLetterARecordNoRetryCanProcessAndProcessTheNextOne() {
    // Given
    start(RecordFailuresTest::letter, false);

    // When a record the processor refuses for good arrives between two good ones
    input().pipeInput("k1", "hello", T0);
    input().pipeInput("k2", "poison", T0.plusSeconds(1));
    input().pipeInput("k3", "world", T0.plusSeconds(2));

    // Then its dead letter holds its origin, bytes and reason, and the next record is processed
    assertThat(output("out").readKeyValuesToList())
        .containsExactly(KeyValue.pair("k1", "HELLO"), KeyValue.pair("k3", "WORLD"));
    assertThat(output("dead").readKeyValuesToList())
        .containsExactly(
            KeyValue.pair(
                "k2",
                "test-app|in-0@1|upper|poison|unprocessable: poison is not a word (field value)"));
  }

  @Test
  void shouldFailTheStreamThreadOnAnyOtherExceptionRatherThanSkipTheRecord() {
    // Given
    start(RecordFailuresTest::letter, false);

    // When the processor fails on something that is not a property of the record
    assertThatThrownBy(() -> input().pipeInput("k1", "bug", T0))
        .isInstanceOf(StreamsException.class)
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .rootCause()
        .hasMessage("a bug");

    // Then nothing is written for it, not even a dead letter
    assertThat(output("out").isEmpty()).isTrue();
    assertThat(output("dead").isEmpty()).isTrue();
  }

  @Test
  void shouldFailOnARefusedRecordWhenTheAppHasNoDeadLetterWriter() {
    // Given
    start(null, false);

    // Then
    assertThatThrownBy(() -> input().pipeInput("k2", "poison", T0))
        .isInstanceOf(StreamsException.class)
        .hasRootCauseInstanceOf(UnprocessableRecordException.class);
    assertThat(output("dead").isEmpty()).isTrue();
  }

  @Test
  void shouldFailOnAnExceptionInAPunctuatorWhichHasNoRecordToDeadLetter() {
    // Given a processor whose punctuator throws an UnprocessableRecordException
    start(RecordFailuresTest::letter, true);

    // Then
    assertThatThrownBy(() -> driver.advanceWallClockTime(Duration.ofSeconds(2)))
        .isInstanceOf(StreamsException.class)
        .hasRootCauseInstanceOf(UnprocessableRecordException.class);
    assertThat(output("dead").isEmpty()).isTrue();
  }

  @Test
  void shouldTurnWhatAPureDecisionThrowsIntoAnUnprocessableRecord() {
    // When
    assertThatThrownBy(
            () ->
                UnprocessableRecordException.decide(
                    () -> {
                      throw new NullPointerException("no phone");
                    },
                    "could not derive"))
        // Then
        .isInstanceOf(UnprocessableRecordException.class)
        .hasMessage("could not derive: java.lang.NullPointerException: no phone")
        .hasCauseInstanceOf(NullPointerException.class);
    assertThat(UnprocessableRecordException.decide(() -> "fine", "could not derive"))
        .isEqualTo("fine");
  }

  private void start(DeadLetterWriter writer, boolean throwingPunctuator) {
    Topology topology = new Topology();
    topology.addSource(
        "in-source", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
    topology.addProcessor("upper", () -> new Upper(throwingPunctuator), "in-source");
    topology.addSink("out-sink", "out", new StringSerializer(), new StringSerializer(), "upper");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-app");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    RecordFailures.configure(props, writer);
    driver = new TopologyTestDriver(topology, props, T0);
  }

  private TestInputTopic<String, String> input() {
    return driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
  }

  private TestOutputTopic<String, String> output(String topic) {
    return driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer());
  }

  /** A dead letter made of what the handler passes on, so the test sees all of it. */
  private static ProducerRecord<byte[], byte[]> letter(FailedRecord failed) {
    String text =
        String.join(
            "|",
            failed.applicationId(),
            failed.topic() + "-" + failed.partition() + "@" + failed.offset(),
            failed.processorNodeId(),
            new String(failed.rawValue(), StandardCharsets.UTF_8),
            "unprocessable: " + failed.reason() + " (field " + failed.field() + ")");
    return new ProducerRecord<>(
        "dead", null, failed.timestamp(), failed.rawKey(), text.getBytes(StandardCharsets.UTF_8));
  }

  /** Upper-cases words; refuses "poison" for good; fails on "bug" like a bug would. */
  private static final class Upper implements Processor<String, String, String, String> {
    private final boolean throwingPunctuator;
    private ProcessorContext<String, String> context;

    Upper(boolean throwingPunctuator) {
      this.throwingPunctuator = throwingPunctuator;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
      if (throwingPunctuator) {
        context.schedule(
            Duration.ofSeconds(1),
            PunctuationType.WALL_CLOCK_TIME,
            now -> {
              throw new UnprocessableRecordException("no record here", null, null);
            });
      }
    }

    @Override
    public void process(Record<String, String> record) {
      switch (record.value()) {
        case "poison" ->
            throw new UnprocessableRecordException("poison is not a word", "value", null);
        case "bug" -> throw new IllegalStateException("a bug");
        default -> context.forward(record.withValue(record.value().toUpperCase()));
      }
    }
  }
}
