package io.optin.systemtests.health;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.ingest.IngestService;
import io.optin.ingest.IngestSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.http.HttpGateway;
import io.optin.kit.http.RunningService;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.streams.StreamsService;
import io.optin.replies.RepliesConfig;
import io.optin.replies.RepliesService;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.server.OptinSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness per service on the embedded broker, with ingest and the reply processor wired on one
 * gateway as {@code OptinServices} wires them: while the reply processor restores its stores (held
 * there by the test, so it stays {@code REBALANCING} as long as needed), ingest answers ready and
 * takes signups, and only {@code /health/ready/replies} (and the process as a whole) is not ready.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PerServiceReadinessIT {

  private static final OtpCodes CODES =
      OtpCodes.fromSettings("test-otp-secret-of-at-least-32-bytes!", 6);
  private static final String SIGNUP =
      "{\"phone\":\"+14155550124\",\"programId\":\"acme-deals\",\"consentText\":\"Yes, text me Acme"
          + " offers. Msg & data rates may apply. Reply STOP to opt out.\",\"source\":{\"channel\":"
          + "\"web_form\",\"url\":\"https://acme.example/join\",\"ip\":\"203.0.113.7\"},"
          + "\"locale\":\"en-US\"}";

  @TempDir Path dataDir;
  @TempDir Path firstStateDir;
  @TempDir Path secondStateDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final OptinMetrics metrics = OptinMetrics.on(new Metrics());
  private final CountDownLatch restoring = new CountDownLatch(1);
  private final CountDownLatch restoreAllowed = new CountDownLatch(1);
  private final List<AutoCloseable> running = new ArrayList<>();
  private OnBroker broker;
  private HttpGateway gateway;

  @BeforeEach
  void startBrokerAndGateway() throws Exception {
    broker = OnBroker.start(dataDir);
    List<NewTopic> topics = new ArrayList<>();
    for (Topic<?> topic : Topics.all()) {
      topics.add(new NewTopic(topic.name(), 2, (short) 1).configs(topic.configs()));
    }
    broker.createTopics(topics);
    gateway = HttpGateway.open("127.0.0.1", 0, 8, List.of(), metrics.registry());
  }

  @AfterEach
  void stopEverything() throws Exception {
    restoreAllowed.countDown();
    gateway.close();
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    broker.close();
  }

  @Test
  void shouldKeepTakingSignupsWhileRepliesRebalance() throws Exception {
    // Given a first reply processor that kept a challenge in its stores (so in its changelogs)
    RepliesService first = replies(firstStateDir);
    first.start();
    await().atMost(Duration.ofSeconds(60)).until(first::ready);
    broker.send(
        Topics.CHALLENGES.name(),
        SampleRecords.PHONE.getBytes(StandardCharsets.UTF_8),
        serdes
            .forTopic(Topics.CHALLENGES)
            .serializer()
            .serialize(Topics.CHALLENGES.name(), SampleRecords.challengeIssued()));
    // Its status and its changelog records are committed in one transaction.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !broker.committed(Topics.SUBSCRIBER_STATUS.name()).isEmpty());
    first
        .streams()
        .close(
            CloseOptions.groupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    first.close();

    // When ingest and a fresh reply processor (empty state directory) start in one process; the
    // reply processor restores the stores from the changelogs, held there until the test allows
    IngestService ingest =
        new IngestService(
            IngestSettings.from(Settings.defaults(IngestSettings.CATALOGUE)),
            kafka(),
            serdes,
            Clock.systemUTC(),
            metrics);
    running.add(ingest);
    RepliesService second = replies(secondStateDir);
    second.streams().setGlobalStateRestoreListener(new HeldRestore());
    gateway.mount(
        List.of(
            RunningService.of(ingest, ingest.routes()),
            RunningService.of(second, second.routes())));
    ingest.start();
    second.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> restoring.getCount() == 0);
    await().atMost(Duration.ofSeconds(60)).until(ingest::ready);

    // Then the reply processor is rebalancing and says so, while ingest is ready and takes a signup
    assertThat(second.streamsState()).isEqualTo(KafkaStreams.State.REBALANCING);
    HttpResponse<String> replies = get("/health/ready/replies");
    assertThat(replies.statusCode()).isEqualTo(503);
    assertThat(replies.body())
        .isEqualTo("{\"name\":\"replies\",\"ready\":false,\"state\":\"REBALANCING\"}");
    HttpResponse<String> ingestReady = get("/health/ready/ingest");
    assertThat(ingestReady.statusCode()).isEqualTo(200);
    assertThat(ingestReady.body())
        .isEqualTo("{\"name\":\"ingest\",\"ready\":true,\"state\":\"RUNNING\"}");
    HttpResponse<String> signup = post("/v1/signups", SIGNUP);
    assertThat(signup.statusCode()).as(signup.body()).isEqualTo(202);
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    // And once its stores are restored, the reply processor is ready too
    restoreAllowed.countDown();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> get("/health/ready/replies").statusCode() == 200);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  private RepliesService replies(Path stateDir) {
    RepliesService replies =
        new RepliesService(
            RepliesConfig.from(
                Settings.defaults(OptinSettings.CATALOGUE)
                    .with(
                        Map.of(
                            "kafka.bootstrap.servers",
                            broker.bootstrapServers(),
                            "streams.state.dir",
                            stateDir.toString(),
                            "public.base.url",
                            gateway.url().toString(),
                            "twilio.auth.token",
                            "test-auth-token"),
                        "test")),
            serdes,
            CODES,
            new SubjectKeys("test-subject-secret-of-at-least-32-bytes".getBytes(UTF_8)),
            StreamsService.Options.defaults().withMetrics(metrics));
    running.add(replies);
    return replies;
  }

  private Map<String, String> kafka() {
    return Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.url() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Holds the restoration of the first store until the test allows it. */
  private final class HeldRestore implements StateRestoreListener {
    @Override
    public void onRestoreStart(
        TopicPartition partition, String store, long startingOffset, long endingOffset) {
      restoring.countDown();
      try {
        restoreAllowed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void onBatchRestored(
        TopicPartition partition, String store, long batchEndOffset, long numRestored) {}

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {}
  }
}
