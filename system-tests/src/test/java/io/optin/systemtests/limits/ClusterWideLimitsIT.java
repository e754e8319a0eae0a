package io.optin.systemtests.limits;

import static io.optin.systemtests.limits.IngestInstance.fieldOf;
import static io.optin.systemtests.limits.IngestInstance.signup;
import static io.optin.systemtests.limits.IngestInstance.signupIdOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ClaimKind;
import io.optin.avro.IntakeClaim;
import io.optin.avro.SignupRequested;
import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.ingest.KafkaSignupLog;
import io.optin.ingest.SoughtSignup;
import io.optin.kit.kafka.KafkaRecordPublisher;
import io.optin.schemas.SampleRecords;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.server.topics.TopicProvisioner;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingest instances on one broker enforce each velocity limit once and answer each idempotency
 * key alike, whichever instance a request lands on, concurrently and across a restart.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterWideLimitsIT {

  /** 5 per phone, 20 per IP, 30 per prefix an hour; the country limit out of the way. */
  private static final Map<String, String> LIMITS =
      Map.of(
          "limits.phone.per.hour", "5",
          "limits.ip.per.hour", "20",
          "limits.prefix.per.hour", "30",
          "limits.country.per.hour", "10000000");

  @TempDir static Path dataDir;

  private static EmbeddedKafkaBroker broker;
  private static final AvroSerdes SERDES = new AvroSerdes(new InMemorySchemaRegistryClient(), true);

  private final List<IngestInstance> instances = new ArrayList<>();
  private final ExecutorService clients = Executors.newFixedThreadPool(16);

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafkaBroker.builder().port(0).dataDir(dataDir).build().start();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      new TopicProvisioner(admin, 2, 1, Duration.ofSeconds(30)).provision(Topics.all());
    }
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @AfterEach
  void stopInstances() {
    clients.shutdownNow();
    instances.forEach(IngestInstance::close);
  }

  private IngestInstance start(String name, Map<String, String> settings) {
    IngestInstance instance =
        IngestInstance.start(name, broker.bootstrapServers(), SERDES, settings);
    instances.add(instance);
    return instance;
  }

  @Test
  void shouldTellWhetherASignupWhoseDeliveryTimedOutIsInTheLog() throws Exception {
    // Given signups of several phones in the log, one of them the one looked for
    Map<String, String> client = Map.of("bootstrap.servers", broker.bootstrapServers());
    SignupRequested written = SampleRecords.signupRequested();
    try (KafkaRecordPublisher publisher =
        KafkaRecordPublisher.create("signup-log-it", client, SERDES, Duration.ofSeconds(30))) {
      for (int i = 0; i < 20; i++) {
        SignupRequested other =
            SignupRequested.newBuilder(written).setSignupId("other-" + i).build();
        other.setPhone("+1415555" + String.format("%04d", 2000 + i));
        publisher.publish(Topics.SIGNUP_REQUESTS, other.getPhone(), other, null);
      }
      publisher.publish(Topics.SIGNUP_REQUESTS, written.getPhone(), written, null);
    }
    KafkaSignupLog log =
        new KafkaSignupLog(
            client,
            SERDES.forTopic(Topics.SIGNUP_REQUESTS).deserializer(),
            Duration.ZERO,
            Clock.systemUTC());

    // When the log is asked for it, and for another signup of the same phone never written
    boolean found = log.holds(SoughtSignup.of(written, Instant.now())).get(60, TimeUnit.SECONDS);
    boolean foundNever =
        log.holds(
                SoughtSignup.of(
                    SignupRequested.newBuilder(written).setSignupId("never-written").build(),
                    Instant.now()))
            .get(60, TimeUnit.SECONDS);

    // Then the written one is found under its phone's partition, the other is not
    assertThat(found).isTrue();
    assertThat(foundNever).isFalse();
  }

  @Test
  void shouldAcceptExactlyEachLimitOnceAcrossTwoInstancesUnderConcurrentBursts() throws Exception {
    // Given two instances on one broker
    IngestInstance a = start("a", LIMITS);
    IngestInstance b = start("b", LIMITS);

    // When three bursts are sent at once, round-robin over both: 30 signups of one phone (each
    // from its own IP), 60 from one IP (each phone in its own prefix), 80 in one prefix (each
    // phone and IP its own)
    List<Callable<HttpResponse<String>>> phoneBurst = new ArrayList<>();
    List<Callable<HttpResponse<String>>> ipBurst = new ArrayList<>();
    List<Callable<HttpResponse<String>>> prefixBurst = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      IngestInstance to = i % 2 == 0 ? a : b;
      String ip = "192.0.2." + (i + 1);
      phoneBurst.add(() -> to.post(signup("+16175550100", ip, null)));
    }
    for (int i = 0; i < 60; i++) {
      IngestInstance to = i % 2 == 0 ? a : b;
      // +1 212 N X 5 0101: prefix +1212NX, one per i.
      String phone = "+1212" + (2 + i / 10) + (i % 10) + "50101";
      ipBurst.add(() -> to.post(signup(phone, "198.51.100.77", null)));
    }
    for (int i = 0; i < 80; i++) {
      IngestInstance to = i % 2 == 0 ? a : b;
      String phone = "+1312555" + String.format("%04d", 1000 + i);
      String ip = "203.0.113." + (i + 1);
      prefixBurst.add(() -> to.post(signup(phone, ip, null)));
    }
    List<Future<HttpResponse<String>>> phones = submitAll(phoneBurst);
    List<Future<HttpResponse<String>>> ips = submitAll(ipBurst);
    List<Future<HttpResponse<String>>> prefixes = submitAll(prefixBurst);

    // Then each limit let exactly its count through, cluster-wide; the rest are 429 naming the
    // limit's field; and exactly the accepted signups are on the topic
    assertThat(statuses(phones)).containsOnlyKeys(202, 429).containsEntry(202, 5);
    assertThat(statuses(ips)).containsOnlyKeys(202, 429).containsEntry(202, 20);
    assertThat(statuses(prefixes)).containsOnlyKeys(202, 429).containsEntry(202, 30);
    assertThat(fieldsOf429(ips)).containsOnly("source.ip");
    assertThat(fieldsOf429(phones)).containsOnly("phone");
    List<SignupRequested> published = signupsOnTopic();
    assertThat(published).filteredOn(s -> s.getPhone().equals("+16175550100")).hasSize(5);
    assertThat(published)
        .filteredOn(s -> "198.51.100.77".equals(s.getEvidence().getIp()))
        .hasSize(20);
    assertThat(published).filteredOn(s -> s.getPhone().startsWith("+1312555")).hasSize(30);
  }

  @Test
  void shouldPublishOneSignupPerIdempotencyKeySentToBothInstancesAtOnce() throws Exception {
    // Given two instances
    IngestInstance a = start("a", LIMITS);
    IngestInstance b = start("b", LIMITS);

    // When each of 40 keys is posted to both instances at the same time
    List<Future<HttpResponse<String>>> toA = new ArrayList<>();
    List<Future<HttpResponse<String>>> toB = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // Each key's phone in its own prefix (+1646NX), so no limit trips.
      String phone = "+1646" + (2 + i / 10) + (i % 10) + "50199";
      String ip = "192.0.2." + (100 + i);
      String key = "both-" + i;
      toA.add(clients.submit(() -> a.post(signup(phone, ip, key))));
      toB.add(clients.submit(() -> b.post(signup(phone, ip, key))));
    }

    // Then both answers of each key are the same 202 with the same signupId, and the topic holds
    // exactly one signup per key, that one
    for (int i = 0; i < 40; i++) {
      toA.get(i).get();
      toB.get(i).get();
    }
    List<SignupRequested> published = signupsOnTopic();
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> fromA = toA.get(i).get();
      HttpResponse<String> fromB = toB.get(i).get();
      assertThat(fromA.statusCode()).as("key %d on a: %s", i, fromA.body()).isEqualTo(202);
      assertThat(fromB.statusCode()).as("key %d on b: %s", i, fromB.body()).isEqualTo(202);
      assertThat(signupIdOf(fromB)).isEqualTo(signupIdOf(fromA));
      String key = "both-" + i;
      assertThat(published)
          .filteredOn(s -> key.equals(s.getIdempotencyKey()))
          .extracting(SignupRequested::getSignupId)
          .containsExactly(signupIdOf(fromA));
    }
  }

  @Test
  void shouldKeepEnforcingLimitsAndKeysAfterAnInstanceRestarts() throws Exception {
    // Given a phone that spent 4 of its 5 tokens over both instances, and a key answered by a
    IngestInstance a = start("a", LIMITS);
    IngestInstance b = start("b", LIMITS);
    String phone = "+17185550142";
    for (int i = 0; i < 4; i++) {
      assertThat((i % 2 == 0 ? a : b).post(signup(phone, "192.0.2.200", null)).statusCode())
          .isEqualTo(202);
    }
    HttpResponse<String> keyed = a.post(signup(phone, "192.0.2.200", "restart-1"));
    assertThat(keyed.statusCode()).isEqualTo(202);

    // When a is stopped and started again (it reads the claims back before it is ready)
    a.close();
    instances.remove(a);
    IngestInstance restarted = start("a2", LIMITS);

    // Then the restarted instance replays the key and refuses the sixth signup of the phone, like
    // b does
    HttpResponse<String> replay = restarted.post(signup(phone, "192.0.2.200", "restart-1"));
    HttpResponse<String> sixth = restarted.post(signup(phone, "192.0.2.201", null));
    HttpResponse<String> seventh = b.post(signup(phone, "192.0.2.202", null));
    assertThat(replay.statusCode()).isEqualTo(202);
    assertThat(signupIdOf(replay)).isEqualTo(signupIdOf(keyed));
    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(fieldOf(sixth)).isEqualTo("phone");
    assertThat(sixth.headers().firstValue("Retry-After")).isPresent();
    assertThat(seventh.statusCode()).isEqualTo(429);
    assertThat(signupsOnTopic()).filteredOn(s -> s.getPhone().equals(phone)).hasSize(5);
  }

  @Test
  void shouldSettleTheKeyOfAClaimerThatDiedBetweenPublishingAndSayingSo() throws Exception {
    // Given what an instance killed mid-signup leaves: two keys claimed a minute ago and never
    // settled, one whose signup it had written, one whose signup it had not
    String written = "+19175550171";
    String unwritten = "+19175550172";
    try (KafkaRecordPublisher dead =
        KafkaRecordPublisher.create(
            "dead-instance",
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            SERDES,
            Duration.ofSeconds(30))) {
      Instant aMinuteAgo = Instant.now().minus(Duration.ofMinutes(1));
      dead.publish(
          Topics.INTAKE_CLAIMS,
          "claims",
          deadClaim("dead-1", written, "left-1", aMinuteAgo),
          aMinuteAgo);
      dead.publish(
          Topics.INTAKE_CLAIMS,
          "claims",
          deadClaim("dead-2", unwritten, "left-2", aMinuteAgo),
          aMinuteAgo);
      SignupRequested leftInTheLog =
          SignupRequested.newBuilder(SampleRecords.signupRequested())
              .setSignupId("left-1")
              .setProgramId("acme-deals")
              .setPhone(written)
              .setIdempotencyKey("dead-1")
              .setOccurredAt(aMinuteAgo)
              .build();
      dead.publish(Topics.SIGNUP_REQUESTS, written, leftInTheLog, null);
    }
    IngestInstance a = start("a", LIMITS);
    IngestInstance b = start("b", LIMITS);

    // When the platform retries both keys, on a, then once more on b
    HttpResponse<String> retryWritten = a.post(signup(written, "192.0.2.71", "dead-1"));
    HttpResponse<String> retryUnwritten = a.post(signup(unwritten, "192.0.2.72", "dead-2"));
    HttpResponse<String> againWritten = b.post(signup(written, "192.0.2.71", "dead-1"));
    HttpResponse<String> againUnwritten = b.post(signup(unwritten, "192.0.2.72", "dead-2"));

    // Then the written signup is answered, not published twice; the unwritten one is published
    // now, once; and the other instance answers both alike
    assertThat(retryWritten.statusCode()).as(retryWritten.body()).isEqualTo(202);
    assertThat(signupIdOf(retryWritten)).isEqualTo("left-1");
    assertThat(retryUnwritten.statusCode()).as(retryUnwritten.body()).isEqualTo(202);
    assertThat(signupIdOf(retryUnwritten)).isNotEqualTo("left-2");
    assertThat(againWritten.statusCode()).isEqualTo(202);
    assertThat(signupIdOf(againWritten)).isEqualTo("left-1");
    assertThat(againUnwritten.statusCode()).isEqualTo(202);
    assertThat(signupIdOf(againUnwritten)).isEqualTo(signupIdOf(retryUnwritten));
    List<SignupRequested> published = signupsOnTopic();
    assertThat(published)
        .filteredOn(s -> s.getPhone().equals(written))
        .extracting(SignupRequested::getSignupId)
        .containsExactly("left-1");
    assertThat(published)
        .filteredOn(s -> s.getPhone().equals(unwritten))
        .extracting(SignupRequested::getSignupId)
        .containsExactly(signupIdOf(retryUnwritten));
  }

  /** The claim an instance makes for a keyed signup to {@code acme-deals} (limits of its own). */
  private static IntakeClaim deadClaim(String key, String phone, String signupId, Instant at)
      throws Exception {
    return IntakeClaim.newBuilder()
        .setClaimId("dead-" + signupId)
        .setKind(ClaimKind.CLAIM)
        .setSignupId(signupId)
        .setProgramId("acme-deals")
        .setPhone(phone)
        .setPrefix(phone.substring(0, 8))
        .setCountry("US")
        .setIdempotencyKeySha256(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(("acme-deals\u0000" + key).getBytes(StandardCharsets.UTF_8))))
        .setClaimedAt(at)
        .build();
  }

  private List<Future<HttpResponse<String>>> submitAll(List<Callable<HttpResponse<String>>> calls) {
    return calls.stream().map(clients::submit).toList();
  }

  private static Map<Integer, Integer> statuses(List<Future<HttpResponse<String>>> answers)
      throws Exception {
    Map<Integer, Integer> counts = new HashMap<>();
    for (Future<HttpResponse<String>> answer : answers) {
      counts.merge(answer.get().statusCode(), 1, Integer::sum);
    }
    return counts;
  }

  private static List<String> fieldsOf429(List<Future<HttpResponse<String>>> answers)
      throws Exception {
    List<String> fields = new ArrayList<>();
    for (Future<HttpResponse<String>> answer : answers) {
      if (answer.get().statusCode() == 429) {
        fields.add(fieldOf(answer.get()));
      }
    }
    return fields;
  }

  /** Every signup on the signup topic, read to its end. */
  private static List<SignupRequested> signupsOnTopic() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<SignupRequested> signups = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.SIGNUP_REQUESTS.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Predicate<TopicPartition> behind = tp -> consumer.position(tp) < ends.get(tp);
      while (partitions.stream().anyMatch(behind)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          signups.add(
              SERDES
                  .forTopic(Topics.SIGNUP_REQUESTS)
                  .deserializer()
                  .deserialize(record.topic(), record.value()));
        }
      }
    }
    return signups;
  }
}
