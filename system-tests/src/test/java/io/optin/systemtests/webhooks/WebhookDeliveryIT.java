package io.optin.systemtests.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.avro.DeadLetter;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.SmsDeliveryReport;
import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.kit.config.Settings;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.schemas.serde.AvroTrust;
import io.optin.webhooks.WebhookConfig;
import io.optin.webhooks.WebhookEvent;
import io.optin.webhooks.WebhookSettings;
import io.optin.webhooks.WebhookSignature;
import io.optin.webhooks.WebhooksService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhooks service on a real broker, POSTing to real local endpoints: every event arrives
 * signed, in order per phone, retried with growing pauses under the same id, dead-lettered after
 * the last attempt without holding back the other endpoint, and a restart redelivers nothing
 * acknowledged and misses nothing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WebhookDeliveryIT {

  private static final String SECRET = "it-webhook-secret-of-at-least-32-chars";
  private static final String ALICE = "+14155550101";
  private static final String BOB = "+14155550102";
  private static final WebhookSignature SIGNATURE =
      new WebhookSignature(SECRET.getBytes(StandardCharsets.UTF_8));

  @TempDir Path dataDir;

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final List<WebhooksService> services = new ArrayList<>();
  private final List<WebhookReceiver> receivers = new ArrayList<>();
  private EmbeddedKafkaBroker broker;
  private KafkaProducer<String, SmsDeliveryReport> producer;

  @BeforeAll
  static void trustTheGeneratedRecords() {
    AvroTrust.install();
  }

  @BeforeEach
  void startBroker() throws Exception {
    broker = EmbeddedKafkaBroker.builder().port(0).dataDir(dataDir).build().start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(Topics.CONFIRMED_SUBSCRIBERS.name(), 2, (short) 1),
                  new NewTopic(Topics.SUBSCRIBER_STATUS.name(), 2, (short) 1),
                  new NewTopic(Topics.CHALLENGES.name(), 2, (short) 1),
                  new NewTopic(Topics.SMS_DELIVERY.name(), 2, (short) 1),
                  new NewTopic(Topics.DEAD_LETTERS.name(), 1, (short) 1)))
          .all()
          .get();
    }
    producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
            new StringSerializer(),
            serdes.forTopic(Topics.SMS_DELIVERY).serializer());
  }

  @AfterEach
  void stopEverything() {
    services.forEach(WebhooksService::close);
    receivers.forEach(WebhookReceiver::close);
    if (producer != null) {
      producer.close();
    }
    broker.close();
  }

  @Test
  void shouldRetryWithGrowingPausesUnderOneIdKeepOrderPerPhoneAndDeadLetterWhatNeverSucceeds()
      throws Exception {
    // Given an endpoint failing the first two attempts of each event, and one always failing
    WebhookReceiver flaky = receiver("/flaky", (id, attempt) -> attempt <= 2 ? 500 : 204);
    WebhookReceiver broken = receiver("/broken", (id, attempt) -> 503);
    start(
        Map.of(
            "OPTIN_WEBHOOKS_ENDPOINTS", flaky.url("/flaky") + "," + broken.url("/broken"),
            "OPTIN_WEBHOOKS_MAX_ATTEMPTS", "4",
            "OPTIN_WEBHOOKS_BACKOFF_INITIAL", "200ms",
            "OPTIN_WEBHOOKS_BACKOFF_MAX", "5s"));

    // When four failures of Alice's and four of Bob's are reported, interleaved
    List<String> ids = new ArrayList<>();
    Map<String, List<String>> reportsByPhone = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      for (String phone : List.of(ALICE, BOB)) {
        String reportId = phone + "-" + i;
        ids.add(report(phone, reportId));
        reportsByPhone.computeIfAbsent(phone, key -> new ArrayList<>()).add(reportId);
      }
    }

    // Then the flaky endpoint acknowledges every event on its third attempt, before the broken
    // endpoint has given up on all of them
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ids.stream().allMatch(id -> flaky.of(id).size() == 3));
    assertThat(deadLetters()).hasSizeLessThan(ids.size());
    for (String id : ids) {
      List<WebhookReceiver.Received> attempts = flaky.of(id);
      // the same signed body each time, pauses growing: ~[100, 200] ms, then ~[200, 400] ms
      assertThat(attempts).extracting(WebhookReceiver.Received::id).containsOnly(id);
      assertThat(attempts).allSatisfy(WebhookDeliveryIT::assertSigned);
      long first = attempts.get(1).receivedAtMillis() - attempts.get(0).receivedAtMillis();
      long second = attempts.get(2).receivedAtMillis() - attempts.get(1).receivedAtMillis();
      assertThat(first).isGreaterThanOrEqualTo(100);
      assertThat(second).isGreaterThanOrEqualTo(200).isGreaterThanOrEqualTo(first - 50);
    }
    // and each phone's events reached it in the order they were reported
    for (Map.Entry<String, List<String>> phone : reportsByPhone.entrySet()) {
      assertThat(acknowledgedReports(flaky, phone.getKey())).isEqualTo(phone.getValue());
    }

    // And the broken endpoint's events are each dead-lettered after 4 attempts, then committed
    await().atMost(Duration.ofSeconds(90)).until(() -> deadLetters().size() == ids.size());
    assertThat(deadLetters())
        .allSatisfy(
            letter -> {
              assertThat(letter.getApplication()).isEqualTo("optin-webhooks");
              assertThat(letter.getSourceTopic()).isEqualTo(Topics.SMS_DELIVERY.name());
              assertThat(letter.getReason())
                  .contains(broken.url("/broken"))
                  .contains("failed 4 attempts, last: HTTP 503");
            });
    assertThat(ids).allMatch(id -> broken.of(id).size() == 4);
    await().atMost(Duration.ofSeconds(30)).until(this::everythingCommitted);
  }

  @Test
  void shouldRedeliverNothingAcknowledgedAndMissNothingAcrossRestartsAndAKill() throws Exception {
    // Given a running service and an endpoint acknowledging everything
    WebhookReceiver platform = receiver("/hook", (id, attempt) -> 200);
    Map<String, String> environment = Map.of("OPTIN_WEBHOOKS_ENDPOINTS", platform.url("/hook"));
    WebhooksService first = start(environment);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(report(i % 2 == 0 ? ALICE : BOB, "before-" + i));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> distinctIds(platform).containsAll(ids));
    await().atMost(Duration.ofSeconds(30)).until(this::everythingCommitted);

    // When it is stopped, more events come, and it starts again
    first.close();
    for (int i = 0; i < 6; i++) {
      ids.add(report(i % 2 == 0 ? ALICE : BOB, "while-stopped-" + i));
    }
    WebhooksService second = start(environment);

    // Then it delivers the new events, each once, and none of the acknowledged ones again
    await().atMost(Duration.ofSeconds(60)).until(() -> distinctIds(platform).containsAll(ids));
    await().atMost(Duration.ofSeconds(30)).until(this::everythingCommitted);
    assertThat(platform.received())
        .extracting(WebhookReceiver.Received::id)
        .doesNotHaveDuplicates();

    // When it is killed (no last commit) right after more events, and started again
    for (int i = 0; i < 6; i++) {
      ids.add(report(i % 2 == 0 ? ALICE : BOB, "before-kill-" + i));
    }
    second.abandon();
    services.remove(second);
    for (int i = 0; i < 4; i++) {
      ids.add(report(i % 2 == 0 ? ALICE : BOB, "after-kill-" + i));
    }
    start(environment);

    // Then every event arrived, and only events of the killed run arrived twice, same id
    await().atMost(Duration.ofSeconds(60)).until(() -> distinctIds(platform).containsAll(ids));
    await().atMost(Duration.ofSeconds(30)).until(this::everythingCommitted);
    assertThat(distinctIds(platform)).containsExactlyInAnyOrderElementsOf(ids);
    List<String> received = platform.received().stream().map(WebhookReceiver.Received::id).toList();
    Set<String> twice = new LinkedHashSet<>();
    Set<String> seen = new LinkedHashSet<>();
    received.forEach(id -> (seen.add(id) ? seen : twice).add(id));
    assertThat(twice).isSubsetOf(ids.subList(12, 18));
    assertThat(platform.received()).allSatisfy(WebhookDeliveryIT::assertSigned);
  }

  private WebhookReceiver receiver(
      String path, java.util.function.ToIntBiFunction<String, Integer> script) throws Exception {
    WebhookReceiver receiver = new WebhookReceiver(path, script);
    receivers.add(receiver);
    return receiver;
  }

  private WebhooksService start(Map<String, String> environment) {
    Map<String, String> all = new HashMap<>(environment);
    all.put("OPTIN_WEBHOOKS_SECRET", SECRET);
    Settings settings = Settings.load(WebhookSettings.CATALOGUE, Optional.empty(), all);
    WebhooksService service =
        new WebhooksService(
            WebhookConfig.from(settings),
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            serdes,
            Clock.systemUTC());
    services.add(service);
    service.start();
    await().atMost(Duration.ofSeconds(60)).until(service::ready);
    return service;
  }

  /** Reports a failed SMS and returns the id of the event it tells. */
  private String report(String phone, String reportId) throws Exception {
    SmsDeliveryReport report =
        SmsDeliveryReport.newBuilder(SampleRecords.smsDeliveryReport())
            .setReportId(reportId)
            .setPhone(phone)
            .setStatus(DeliveryStatus.FAILED)
            .setOccurredAt(Instant.now())
            .build();
    RecordMetadata sent =
        producer.send(new ProducerRecord<>(Topics.SMS_DELIVERY.name(), phone, report)).get();
    return WebhookEvent.idOf(sent.topic(), sent.partition(), sent.offset());
  }

  private static void assertSigned(WebhookReceiver.Received request) {
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(request.eventId()).isEqualTo(request.id());
    assertThat(
            SIGNATURE.verifies(
                request.signature(), request.body(), Instant.now().getEpochSecond(), 300))
        .as(request.signature())
        .isTrue();
  }

  private static List<String> acknowledgedReports(WebhookReceiver receiver, String phone) {
    List<String> reports = new ArrayList<>();
    for (WebhookReceiver.Received request : receiver.received()) {
      var data = request.json().get("data");
      if (data.get("phone").asText().equals(phone)
          && receiver.of(request.id()).indexOf(request) == 2) {
        reports.add(data.get("reportId").asText());
      }
    }
    return reports;
  }

  private static Set<String> distinctIds(WebhookReceiver receiver) {
    Set<String> ids = new LinkedHashSet<>();
    receiver.received().forEach(request -> ids.add(request.id()));
    return ids;
  }

  private List<DeadLetter> deadLetters() {
    var values = serdes.forTopic(Topics.DEAD_LETTERS).deserializer();
    try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer()) {
      TopicPartition partition = new TopicPartition(Topics.DEAD_LETTERS.name(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      List<DeadLetter> letters = new ArrayList<>();
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          letters.add(values.deserialize(record.topic(), record.value()));
        }
      }
      return letters;
    }
  }

  /** Whether the group committed the end of every partition of the delivery reports. */
  private boolean everythingCommitted() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets("optin-webhooks").partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < 2; p++) {
        latest.put(new TopicPartition(Topics.SMS_DELIVERY.name(), p), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get();
      return ends.entrySet().stream()
          .allMatch(
              end ->
                  committed.get(end.getKey()) != null
                      && committed.get(end.getKey()).offset() == end.getValue().offset());
    }
  }

  private KafkaConsumer<byte[], byte[]> rawConsumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
