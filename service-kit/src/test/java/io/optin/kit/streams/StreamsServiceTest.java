package io.optin.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.metrics.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health of a Streams app before it runs and once closed, without a broker (the failure path
 * runs on a real one in {@code StreamsRestartBudgetIT}).
 */
class StreamsServiceTest {

  @TempDir Path stateDir;

  @Test
  void shouldBeLiveButNotReadyBeforeItRunsAndStayLiveOnceClosedOnPurpose() {
    // Given
    OptinMetrics metrics = OptinMetrics.unexposed();
    StreamsService app =
        new StreamsService(
            "echo",
            "echo-app",
            echo(),
            Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:1",
                StreamsConfig.STATE_DIR_CONFIG,
                stateDir.toString()),
            StreamsService.Options.defaults().withMetrics(metrics)) {};

    // Then before it starts
    assertThat(app.name()).isEqualTo("echo");
    assertThat(app.state()).isEqualTo("CREATED");
    assertThat(app.ready()).isFalse();
    assertThat(app.live()).isTrue();
    PrometheusText before = PrometheusText.parse(metrics.registry().render());
    assertThat(before.value("optin_streams_state", Map.of("service", "echo", "state", "CREATED")))
        .isEqualTo(1);
    assertThat(before.value("optin_streams_state", Map.of("service", "echo", "state", "ERROR")))
        .isZero();
    // and the client's own metrics are bound, under the service's name
    assertThat(before.families().keySet()).anyMatch(name -> name.startsWith("kafka_stream_"));
    assertThat(
            before.families().values().stream()
                .filter(f -> f.name().startsWith("kafka_"))
                .flatMap(f -> f.samples().keySet().stream()))
        .isNotEmpty()
        .allMatch(series -> series.contains("service=\"echo\""));

    // When it is closed (a stop asked for is not a death)
    app.close();

    // Then
    assertThat(app.streamsState()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    assertThat(PrometheusText.parse(metrics.registry().render()).families().keySet())
        .noneMatch(name -> name.startsWith("kafka_"));
    assertThat(app.live()).isTrue();
    assertThat(app.ready()).isFalse();
  }

  @Test
  void shouldKeepTheStateDirectoryForItsOwnerAlone() throws Exception {
    // Given a state directory that exists, open to all
    Path dir = Files.createDirectory(stateDir.resolve("streams"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    // When a Streams app with a persistent store is made on it (Kafka Streams opens its
    // directories to the group: rwxr-x---)
    StreamsService app =
        new StreamsService(
            "echo",
            "echo-app",
            stateful(),
            Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:1",
                StreamsConfig.STATE_DIR_CONFIG,
                dir.toString()),
            StreamsService.Options.defaults()) {};
    app.close();

    // Then
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("echo-app"))))
        .isEqualTo("rwx------");
  }

  private static Topology stateful() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.table("in", Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("latest"));
    return builder.build();
  }

  private static Topology echo() {
    Topology topology = new Topology();
    topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
    topology.addSink(
        "out", "out", Serdes.String().serializer(), Serdes.String().serializer(), "in");
    return topology;
  }
}
