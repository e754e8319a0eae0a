package io.optin.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.audit.tools.ErasureReceipt;
import io.optin.audit.tools.LedgerEraser;
import io.optin.audit.tools.LedgerTopics;
import io.optin.avro.ConsentAuditRecord;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.kit.http.ContractCheckedHttpClient;
import io.optin.schemas.PrivacyTable;
import io.optin.schemas.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * After {@code optin audit erase}, the phone's status and confirmation keys end in tombstones, and
 * the phone's bytes are found only in the topics docs/privacy.md lists (each bounded there by
 * retention or compaction): every partition of every topic of the broker is read raw, aborted
 * records included.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ErasureEverywhereIT {

  private static final String PHONE = "+14155550142";
  private static final String OTHER_PHONE = "+14155550143";
  private static final String PROGRAM = "acme-deals";
  private static final String OTHER_PROGRAM = "acme-news";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Path PRIVACY = Path.of("..", "docs", "privacy.md");

  @TempDir Path dataDir;

  // Every answer is checked against docs/openapi.yaml: the document cannot drift from the services.
  private final ContractCheckedHttpClient http = ContractCheckedHttpClient.newClient();
  private EmbeddedOptin optin;
  private TwilioSandbox sandbox;

  @BeforeEach
  void startEverything() {
    optin = ReadyOptin.start(dataDir, Map.of("OPTIN_PROGRAMS_BRANDS", PROGRAM + "=Acme"));
    sandbox = optin.sandbox().orElseThrow();
  }

  @AfterEach
  void stopEverything() {
    System.out.printf(
        "%s: %d answers validated against docs/openapi.yaml%n",
        "ErasureEverywhereIT", http.validated());
    if (optin != null) {
      optin.close();
    }
  }

  @Test
  void shouldLeaveThePhoneOnlyWherePrivacyMdSaysAndTombstoneItsStatusAndConfirmation()
      throws Exception {
    // Given the phone confirmed by reply in one program and by code entry in another, a second
    // phone confirmed
    assertThat(post("/v1/signups", signup(PHONE, PROGRAM)).statusCode()).isEqualTo(202);
    awaitCode(PHONE, 1);
    assertThat(sandbox.reply(PHONE, from(), "YES").status()).isEqualTo(200);
    assertThat(post("/v1/signups", signup(PHONE, OTHER_PROGRAM)).statusCode()).isEqualTo(202);
    String code = awaitCode(PHONE, 2);
    assertThat(post("/v1/verifications", verification(PHONE, OTHER_PROGRAM, code)).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/signups", signup(OTHER_PHONE, PROGRAM)).statusCode()).isEqualTo(202);
    awaitCode(OTHER_PHONE, 1);
    assertThat(sandbox.reply(OTHER_PHONE, from(), "YES").status()).isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(latest(Topics.CONFIRMED_SUBSCRIBERS.name()).keySet())
                    .contains(PHONE, OTHER_PHONE));
    await()
        .atMost(PATIENCE)
        .until(() -> get("/v1/subscribers/" + PHONE).body().contains(OTHER_PROGRAM));
    Set<String> before = topicsContaining(PHONE);
    assertThat(before)
        .contains(
            Topics.SIGNUP_REQUESTS.name(),
            Topics.CHALLENGES.name(),
            Topics.SMS_OUTBOUND.name(),
            Topics.SMS_INBOUND.name(),
            Topics.VERIFICATION_ATTEMPTS.name(),
            Topics.CONFIRMED_SUBSCRIBERS.name(),
            Topics.SUBSCRIBER_STATUS.name());

    // When it is erased, as `optin audit erase` does
    Map<String, Object> kafka = Map.of("bootstrap.servers", optin.bootstrapServers());
    LedgerTopics ledger = new LedgerTopics(kafka, optin.serdes(), Duration.ofSeconds(30));
    LedgerEraser eraser = new LedgerEraser(kafka, optin.serdes(), optin.subjectKeys());
    ErasureReceipt receipt = eraser.erase(PHONE, "dpo", "ticket 4411", Instant.now(), ledger);
    Optional<ConsentAuditRecord> erased = eraser.awaitErased(receipt, PHONE, ledger, PATIENCE);
    assertThat(erased).isPresent();

    // Then its status keys and its confirmation key end in a tombstone; the other phone's do not
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              Map<String, byte[]> statuses = latest(Topics.SUBSCRIBER_STATUS.name());
              assertThat(statuses)
                  .containsEntry(PROGRAM + ":" + PHONE, null)
                  .containsEntry(OTHER_PROGRAM + ":" + PHONE, null);
              assertThat(statuses.get(PROGRAM + ":" + OTHER_PHONE)).isNotNull();
              Map<String, byte[]> confirmations = latest(Topics.CONFIRMED_SUBSCRIBERS.name());
              assertThat(confirmations).containsEntry(PHONE, null);
              assertThat(confirmations.get(OTHER_PHONE)).isNotNull();
            });
    // And the reply processor no longer knows the phone; it still knows the other one
    await().atMost(PATIENCE).until(() -> get("/v1/subscribers/" + PHONE).statusCode() == 404);
    assertThat(get("/v1/subscribers/" + OTHER_PHONE).statusCode()).isEqualTo(200);

    // And the phone's bytes are only in topics docs/privacy.md lists, never in the ledger's
    Set<String> listed = PrivacyTable.rows(Files.readString(PRIVACY)).keySet();
    Set<String> after = topicsContaining(PHONE);
    assertThat(after)
        .isSubsetOf(listed)
        .doesNotContain(
            Topics.CONSENT_AUDIT.name(),
            Topics.CONSENT_KEYS.name(),
            Topics.CONSENT_CHECKPOINTS.name(),
            Topics.CONSENT_ERASURES.name());
    // And each changelog holding it is compacted within the bounds the page gives
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", optin.bootstrapServers()))) {
      for (String changelog : after.stream().filter(t -> t.endsWith("-changelog")).toList()) {
        Config config =
            admin
                .describeConfigs(Set.of(new ConfigResource(ConfigResource.Type.TOPIC, changelog)))
                .all()
                .get()
                .values()
                .iterator()
                .next();
        Topics.ERASABLE_COMPACTION.forEach(
            (name, value) ->
                assertThat(config.get(name).value()).as(changelog + " " + name).isEqualTo(value));
      }
    }
    System.out.println("Topics holding " + PHONE + " after its erasure: " + after);
  }

  /** Every topic of the broker (Kafka's own included) where the phone's UTF-8 bytes appear. */
  private Set<String> topicsContaining(String phone) throws Exception {
    byte[] needle = phone.getBytes(StandardCharsets.UTF_8);
    Set<String> found = new TreeSet<>();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", optin.bootstrapServers()))) {
      Set<String> names =
          admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
      Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
      List<TopicPartition> partitions = new ArrayList<>();
      topics
          .values()
          .forEach(
              topic ->
                  topic
                      .partitions()
                      .forEach(
                          p -> partitions.add(new TopicPartition(topic.name(), p.partition()))));
      for (ConsumerRecord<byte[], byte[]> record : readAll(partitions)) {
        if (contains(record.key(), needle) || contains(record.value(), needle)) {
          found.add(record.topic());
        }
        for (Header header : record.headers()) {
          if (contains(header.value(), needle)) {
            found.add(record.topic());
          }
        }
      }
    }
    return found;
  }

  /** The latest value of each key of a topic (null for a tombstone), committed records only. */
  private Map<String, byte[]> latest(String topic) throws Exception {
    List<TopicPartition> partitions = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", optin.bootstrapServers()))) {
      admin
          .describeTopics(Set.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    Map<String, byte[]> latest = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : read(partitions, "read_committed")) {
      latest.put(new String(record.key(), StandardCharsets.UTF_8), record.value());
    }
    return latest;
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(List<TopicPartition> partitions) {
    // read_uncommitted: the bytes of aborted transactions are on disk too
    return read(partitions, "read_uncommitted");
  }

  private List<ConsumerRecord<byte[], byte[]>> read(
      List<TopicPartition> partitions, String isolation) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            optin.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            isolation,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = new TreeMap<>(this::compare);
      ends.putAll(consumer.endOffsets(partitions));
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        assertThat(System.nanoTime()).as("read every partition to its end").isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private int compare(TopicPartition a, TopicPartition b) {
    int byTopic = a.topic().compareTo(b.topic());
    return byTopic != 0 ? byTopic : Integer.compare(a.partition(), b.partition());
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    if (haystack == null) {
      return false;
    }
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private String from() {
    return optin.fromNumber().orElseThrow();
  }

  private String awaitCode(String phone, int nth) {
    return SandboxFlow.awaitCode(sandbox, phone, nth);
  }

  private static String signup(String phone, String program) {
    return SandboxFlow.webSignup(phone, program);
  }

  private static String verification(String phone, String program, String code) {
    return "{\"phone\":\""
        + phone
        + "\",\"programId\":\""
        + program
        + "\",\"code\":\""
        + code
        + "\"}";
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        SandboxFlow.jsonPost(optin.gatewayUrl(), path, json), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(optin.gatewayUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
