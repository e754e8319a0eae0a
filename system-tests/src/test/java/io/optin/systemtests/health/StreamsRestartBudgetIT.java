package io.optin.systemtests.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.kit.http.HttpGateway;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.metrics.PrometheusText;
import io.optin.kit.streams.RestartBudget;
import io.optin.kit.streams.StreamsService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure policy of {@link StreamsService} on a real broker: a stream thread that dies on every
 * attempt at a record is replaced within its budget, then the client shuts down for good and the
 * process's {@code /health/live} answers 503 naming it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StreamsRestartBudgetIT {

  private static final String INPUT = "it.markers.v1";
  private static final String OUTPUT = "it.upper.v1";
  private static final String MARKER = "marker that kills the thread";

  @TempDir Path dataDir;
  @TempDir Path stateDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger markerAttempts = new AtomicInteger();
  private OnBroker broker;
  private StreamsService app;
  private HttpGateway gateway;

  @BeforeEach
  void startBroker() throws Exception {
    broker = OnBroker.start(dataDir);
    broker.createTopics(
        List.of(new NewTopic(INPUT, 1, (short) 1), new NewTopic(OUTPUT, 1, (short) 1)));
  }

  @AfterEach
  void stopEverything() {
    if (gateway != null) {
      gateway.close();
    }
    if (app != null) {
      app.close();
    }
    broker.close();
  }

  @Test
  void shouldTurnLive503WhenAStreamThreadDiesPastItsRestartBudget() throws Exception {
    // Given a Streams app whose processor throws on a marker, allowed 2 replacements in 5
    // minutes, behind the HTTP gateway of its process
    OptinMetrics metrics = OptinMetrics.on(new Metrics());
    app =
        new StreamsService(
            "markers",
            "it-markers",
            upperCasing(),
            Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                StreamsConfig.STATE_DIR_CONFIG,
                stateDir.toString(),
                // The dead thread's member stays in the group until its session expires: keep that
                // short, so each replacement rejoins in seconds rather than 45.
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                "6000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                "1000"),
            new StreamsService.Options(
                new RestartBudget(
                    2,
                    Duration.ofMinutes(5),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    Clock.systemUTC()),
                null,
                metrics)) {};
    gateway = HttpGateway.open("127.0.0.1", 0, 4, List.of(), metrics.registry());
    gateway.mount(List.of(), List.of(app));
    app.start();
    await().atMost(Duration.ofSeconds(60)).until(app::ready);
    broker.send(INPUT, bytes("k1"), bytes("hello"));
    await().atMost(Duration.ofSeconds(30)).until(() -> upperCased().contains("HELLO"));
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    // When the marker arrives: its offset is never committed, so each replacement reads it again
    broker.send(INPUT, bytes("k2"), bytes(MARKER));

    // Then the thread is replaced twice, and the third death shuts the client down for good (each
    // dead thread ends on its exception, which is not this test's failure)
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(120))
        .until(() -> app.state().equals("ERROR"));
    assertThat(markerAttempts.get()).isEqualTo(3);
    assertThat(metrics.value("optin_stream_thread_replacements_total", "markers")).isEqualTo(2);
    assertThat(app.streamsState()).isEqualTo(KafkaStreams.State.ERROR);
    assertThat(app.live()).isFalse();
    assertThat(app.ready()).isFalse();
    HttpResponse<String> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.body())
        .isEqualTo(
            "{\"live\":false,\"reason\":\"dead for good: markers\",\"dead\":[\"markers\"],"
                + "\"services\":[{\"name\":\"markers\",\"live\":false,\"state\":\"ERROR\"}]}");
    PrometheusText scrape = PrometheusText.parse(get("/metrics").body());
    assertThat(scrape.value("optin_streams_state", Map.of("service", "markers", "state", "ERROR")))
        .isEqualTo(1);
    assertThat(
            scrape.value("optin_streams_state", Map.of("service", "markers", "state", "RUNNING")))
        .isZero();
    assertThat(scrape.value("optin_stream_thread_replacements_total", Map.of("service", "markers")))
        .isEqualTo(2);
    assertThat(scrape.value("optin_service_live", Map.of("service", "markers"))).isZero();

    // And nothing of the marker was committed
    assertThat(upperCased()).containsExactly("HELLO");
  }

  private Topology upperCasing() {
    Topology topology = new Topology();
    topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), INPUT);
    topology.addProcessor("upper", MarkerKilled::new, "in");
    topology.addSink(
        "out", OUTPUT, Serdes.String().serializer(), Serdes.String().serializer(), "upper");
    return topology;
  }

  private List<String> upperCased() throws TimeoutException {
    return broker.committed(OUTPUT).stream()
        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
        .toList();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Upper-cases values; throws on the marker, as a bug tied to one record would. */
  private final class MarkerKilled implements Processor<String, String, String, String> {
    private ProcessorContext<String, String> context;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
    }

    @Override
    public void process(Record<String, String> record) {
      if (MARKER.equals(record.value())) {
        markerAttempts.incrementAndGet();
        throw new IllegalStateException("the marker kills this stream thread");
      }
      context.forward(record.withValue(record.value().toUpperCase()));
    }
  }
}
