package io.optin.audit;

import static io.optin.audit.AuditDriver.KEYS;
import static io.optin.audit.AuditDriver.SUBJECTS;
import static io.optin.audit.AuditDriver.WALL;
import static io.optin.audit.PipelineRecords.PHONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.audit.ledger.ConsentStep;
import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.DeadLetter;
import io.optin.kit.config.Settings;
import io.optin.kit.streams.DecodingDeserializer;
import io.optin.kit.streams.RecordFailures;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit's step processor with a rule that throws, on a TopologyTestDriver configured as the
 * audit service runs: a record its rule cannot handle becomes a typed dead letter and the next one
 * is recorded; a failure writing a step is never dead-lettered.
 */
class AuditStepProcessorTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final String POISON_REASON = "reason that breaks the rule";

  @TempDir Path stateDir;

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final AtomicBoolean stepsWritable = new AtomicBoolean(true);
  private TopologyTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldDeadLetterARecordItsRuleCannotHandleAndRecordTheNextOne() {
    // Given
    start();
    ChallengeEvent poison =
        PipelineRecords.challenge(
            ChallengeEventType.CLOSED, ChallengeOutcome.EXPIRED, POISON_REASON, T0);
    byte[] poisonBytes = serialize(poison);

    // When the rule throws on a record, then a valid record follows
    pipe(poison, T0);
    pipe(
        PipelineRecords.challenge(
            ChallengeEventType.CLOSED, ChallengeOutcome.EXPIRED, "window passed", T0),
        T0.plusSeconds(1));

    // Then the first is a dead letter with its origin, bytes and reason, the second a step
    assertThat(deadLetters().readValuesToList())
        .containsExactly(
            DeadLetter.newBuilder()
                .setDeadLetterId(
                    new RecordOrigin(Topics.CHALLENGES.name(), 0, 0).eventId("dead-letter"))
                .setApplication(ConsentAuditTopologyConfig.DEFAULT_APPLICATION_ID)
                .setReason(
                    "could not derive consent steps: java.lang.IllegalStateException: a rule bug")
                .setField(null)
                .setSourceTopic(Topics.CHALLENGES.name())
                .setSourcePartition(0)
                .setSourceOffset(0L)
                .setRawKey(ByteBuffer.wrap(PHONE.getBytes(StandardCharsets.UTF_8)))
                .setRawValue(ByteBuffer.wrap(poisonBytes))
                .setFailedAt(WALL)
                .build());
    assertThat(steps().readValuesToList()).containsExactly("EXPIRED");
  }

  @Test
  void shouldFailRatherThanDeadLetterARecordWhoseStepCannotBeWritten() {
    // Given steps cannot be written (as when the registry is unreachable)
    start();
    stepsWritable.set(false);

    // When
    assertThatThrownBy(
            () ->
                pipe(
                    PipelineRecords.challenge(
                        ChallengeEventType.CLOSED, ChallengeOutcome.EXPIRED, "window passed", T0),
                    T0))
        // Then the stream thread fails: the record will be processed again, not skipped
        .isInstanceOf(StreamsException.class)
        .hasRootCauseInstanceOf(SerializationException.class);
    assertThat(deadLetters().isEmpty()).isTrue();
    assertThat(steps().isEmpty()).isTrue();
  }

  private void start() {
    ConsentAuditTopologyConfig cfg =
        ConsentAuditTopologyConfig.of(
            SUBJECTS, 6, KEYS, CheckpointPolicy.from(Settings.defaults(AuditSettings.CATALOGUE)));
    ConsentSteps rules = new ConsentSteps(cfg);
    ConsentStepRule<ChallengeEvent> rule =
        (key, event, origin) -> {
          if (POISON_REASON.equals(event.getReason())) {
            throw new IllegalStateException("a rule bug");
          }
          return rules.challenge(key, event, origin);
        };
    Serializer<Object> stepNames =
        (topic, step) -> {
          if (!stepsWritable.get()) {
            throw new SerializationException("registry unreachable");
          }
          return ((ConsentStep) step)
              .record()
              .getEventType()
              .name()
              .getBytes(StandardCharsets.UTF_8);
        };
    @SuppressWarnings({"unchecked", "rawtypes"})
    Serializer<Object> letters = (Serializer) serdes.forTopic(Topics.DEAD_LETTERS).serializer();
    Topology topology = new Topology();
    topology.addSource(
        "source",
        Serdes.String().deserializer(),
        new DecodingDeserializer<>(serdes.forTopic(Topics.CHALLENGES).deserializer()),
        Topics.CHALLENGES.name());
    topology.addProcessor(
        "steps",
        () -> new AuditStepProcessor<>(cfg.applicationId(), rule, Duration.ofDays(7), false),
        "source");
    topology.addSink(
        ConsentAuditTopology.APPENDER, "steps", new StringSerializer(), stepNames, "steps");
    topology.addSink(
        ConsentAuditTopology.DEAD_LETTER_SINK,
        Topics.DEAD_LETTERS.name(),
        new StringSerializer(),
        letters,
        "steps");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, cfg.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    RecordFailures.configure(
        props, new AuditDeadLetters(serdes, Clock.fixed(WALL, ZoneOffset.UTC)));
    driver = new TopologyTestDriver(topology, props, WALL);
  }

  private byte[] serialize(ChallengeEvent event) {
    return serdes
        .forTopic(Topics.CHALLENGES)
        .serializer()
        .serialize(Topics.CHALLENGES.name(), event);
  }

  private void pipe(ChallengeEvent event, Instant at) {
    driver
        .createInputTopic(
            Topics.CHALLENGES.name(),
            new StringSerializer(),
            serdes.forTopic(Topics.CHALLENGES).serializer())
        .pipeInput(PHONE, event, at);
  }

  private TestOutputTopic<String, DeadLetter> deadLetters() {
    return driver.createOutputTopic(
        Topics.DEAD_LETTERS.name(),
        new StringDeserializer(),
        serdes.forTopic(Topics.DEAD_LETTERS).deserializer());
  }

  private TestOutputTopic<String, String> steps() {
    return driver.createOutputTopic("steps", new StringDeserializer(), new StringDeserializer());
  }
}
