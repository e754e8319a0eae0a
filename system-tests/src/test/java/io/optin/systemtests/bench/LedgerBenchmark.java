package io.optin.systemtests.bench;

import io.optin.audit.AuditSettings;
import io.optin.audit.ConsentAuditTopology;
import io.optin.audit.ConsentAuditTopologyConfig;
import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.LedgerKeys;
import io.optin.audit.crypto.MasterKey;
import io.optin.audit.ledger.CheckpointPolicy;
import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.ChallengeOutcome;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.DeliveryStatus;
import io.optin.avro.InboundSms;
import io.optin.avro.ReplyIntent;
import io.optin.avro.ReportSource;
import io.optin.avro.SignupRequested;
import io.optin.avro.SmsDeliveryReport;
import io.optin.avro.SourceChannel;
import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.domain.otp.SubjectKeys;
import io.optin.domain.screening.ConsentTextHash;
import io.optin.kit.config.Settings;
import io.optin.kit.kafka.TopicReader;
import io.optin.kit.streams.StreamsConfigs;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ledger write throughput on the embedded broker with exactly-once, in one run: a plain
 * pass-through of the same input (Avro decode and encode, no state), the ledger without personal
 * data (chaining, stores, checkpoints, no encryption), and the ledger as shipped (plus AES-GCM
 * sealing under per-subject data keys). Each variant is a fresh Streams application reading the
 * same 50,000 input records; it is timed from RUNNING until its committed offsets reach the end of
 * every input. Prints records/s and bytes per record; asserts no timing.
 *
 * <p>Not in the default build (tagged "bench"): {@code mvn -B verify -Psystem} runs it with the
 * other heavy tests; alone, {@code mvn -o -pl system-tests -am test -Dtest=LedgerBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LedgerBenchmark {

  private static final int SUBSCRIBERS = Integer.getInteger("bench.subscribers", 10_000);
  private static final int PARTITIONS = 2;
  // Recent: the input topics keep 30 days, and the broker would delete older records under the
  // benchmark.
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minusSeconds(3600);
  private static final List<Topic<? extends SpecificRecord>> INPUTS =
      List.of(Topics.SIGNUP_REQUESTS, Topics.SMS_DELIVERY, Topics.SMS_INBOUND, Topics.CHALLENGES);
  private static final String CONSENT =
      "Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.";

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
  private final SubjectKeys subjects =
      new SubjectKeys("bench-subject-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private final LedgerKeys keys =
      new LedgerKeys(MasterKey.generate(), CheckpointSigningKey.generate());

  private record Result(
      String variant,
      long records,
      double seconds,
      List<String> outputs,
      double valueBytes,
      double diskBytes) {}

  @Test
  void shouldPrintLedgerThroughputBesideAPassThrough() throws Exception {
    Path dir = Files.createTempDirectory("optin-ledger-bench");
    try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.builder().port(0).dataDir(dir.resolve("kafka")).build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (Topic<?> topic : Topics.all()) {
        topics.add(new NewTopic(topic.name(), PARTITIONS, (short) 1).configs(topic.configs()));
      }
      for (Topic<?> topic : INPUTS) {
        topics.add(new NewTopic(passThroughTopic(topic), PARTITIONS, (short) 1));
      }
      admin.createTopics(topics).all().get();
      long inputs = produceInputs(broker.bootstrapServers());
      ConsentAuditTopologyConfig cfg =
          ConsentAuditTopologyConfig.of(
              subjects, 6, keys, CheckpointPolicy.from(Settings.defaults(AuditSettings.CATALOGUE)));
      List<String> passOutputs = INPUTS.stream().map(LedgerBenchmark::passThroughTopic).toList();
      List<String> ledger = List.of(Topics.CONSENT_AUDIT.name());
      List<Result> results = new ArrayList<>();
      // Two rounds in opposite orders, so neither warm-up nor a neighbour's load favours one
      // variant.
      for (int round = 0; round < 2; round++) {
        List<Runnable> runs =
            new ArrayList<>(
                List.of(
                    () ->
                        results.add(
                            run(
                                broker,
                                admin,
                                dir,
                                "pass-through (Avro in, Avro out)",
                                this::passThrough,
                                inputs,
                                passOutputs)),
                    () ->
                        results.add(
                            run(
                                broker,
                                admin,
                                dir,
                                "ledger, chained, no personal data",
                                () ->
                                    ConsentAuditTopology.buildWithoutPersonalDataForBenchmark(
                                        cfg, serdes),
                                inputs,
                                ledger)),
                    () ->
                        results.add(
                            run(
                                broker,
                                admin,
                                dir,
                                "ledger, chained + AES-GCM sealed",
                                () -> ConsentAuditTopology.build(cfg, serdes),
                                inputs,
                                ledger))));
        if (round == 1) {
          java.util.Collections.reverse(runs);
        }
        runs.forEach(Runnable::run);
      }
      print(results, inputs);
    }
  }

  private Result run(
      EmbeddedKafkaBroker broker,
      Admin admin,
      Path dir,
      String variant,
      Supplier<Topology> topology,
      long inputs,
      List<String> outputs) {
    Result result = attempt(broker, admin, dir, variant, topology.get(), inputs, outputs);
    if (result == null) {
      throw new IllegalStateException(variant + " made no progress in 60 s");
    }
    return result;
  }

  private Result attempt(
      EmbeddedKafkaBroker broker,
      Admin admin,
      Path dir,
      String variant,
      Topology topology,
      long inputs,
      List<String> outputs) {
    String appId = "bench-" + UUID.randomUUID();
    Map<String, String> settings =
        Map.of(
            "bootstrap.servers",
            broker.bootstrapServers(),
            StreamsConfig.STATE_DIR_CONFIG,
            dir.resolve("state-" + appId).toString());
    KafkaStreams streams =
        new KafkaStreams(topology, StreamsConfigs.forApplication(appId, settings));
    try {
      Map<TopicPartition, Long> outputStart = endOffsets(admin, outputs);
      long diskBefore = diskBytes(admin, outputs);
      streams.start();
      await(
          () -> streams.state() == KafkaStreams.State.RUNNING,
          Duration.ofSeconds(60),
          variant + " RUNNING");
      long start = System.nanoTime();
      Map<TopicPartition, Long> inputEnds =
          endOffsets(admin, INPUTS.stream().map(Topic::name).toList());
      long total = inputEnds.values().stream().mapToLong(Long::longValue).sum();
      if (!await(() -> behind(admin, appId, inputEnds) < total, Duration.ofSeconds(60))) {
        return null;
      }
      if (!await(() -> behind(admin, appId, inputEnds) <= 0, Duration.ofMinutes(10))) {
        throw new IllegalStateException(variant + " did not finish within 10 minutes");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long[] written = valueBytes(broker, outputStart);
      long diskAfter = diskBytes(admin, outputs);
      return new Result(
          variant,
          inputs,
          seconds,
          outputs,
          (double) written[1] / written[0],
          (double) (diskAfter - diskBefore) / written[0]);
    } catch (Exception e) {
      throw new IllegalStateException(variant + " failed", e);
    } finally {
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
    }
  }

  private static void print(List<Result> results, long inputs) {
    System.out.printf(
        Locale.ROOT,
        "%nLedger write throughput, embedded broker, exactly_once_v2, %d partitions, %d"
            + " input records (%d subscribers x signup, sent, delivered, reply, confirmed), default checkpoints%n",
        PARTITIONS,
        inputs,
        SUBSCRIBERS);
    System.out.printf(
        Locale.ROOT,
        "%-36s %10s %10s %12s %16s %16s%n",
        "variant",
        "records",
        "seconds",
        "records/s",
        "value B/record",
        "on-disk B/record");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-36s %10d %10.2f %12.0f %16.1f %16.1f%n",
          r.variant(),
          r.records(),
          r.seconds(),
          r.records() / r.seconds(),
          r.valueBytes(),
          r.diskBytes());
    }
  }

  private static String passThroughTopic(Topic<?> topic) {
    return "bench.pass-through." + topic.name();
  }

  /** Each input topic straight to its own output topic, through the same Avro serdes, no state. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Topology passThrough() {
    Topology topology = new Topology();
    for (Topic<? extends SpecificRecord> topic : INPUTS) {
      topology.addSource(
          topic.name() + "-in",
          Serdes.String().deserializer(),
          serdes.forTopic(topic).deserializer(),
          topic.name());
      topology.addSink(
          topic.name() + "-out",
          passThroughTopic(topic),
          Serdes.String().serializer(),
          (Serializer) serdes.forTopic(topic).serializer(),
          topic.name() + "-in");
    }
    return topology;
  }

  private long produceInputs(String bootstrap) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
    long count = 0;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < SUBSCRIBERS; i++) {
        String phone = "+1415" + String.format(Locale.ROOT, "%07d", i);
        Instant at = T0.plusMillis(i * 10L);
        String sid = "SM" + String.format(Locale.ROOT, "%032d", i);
        String challengeId =
            UUID.nameUUIDFromBytes(("c" + phone).getBytes(StandardCharsets.UTF_8)).toString();
        send(
            producer,
            Topics.SIGNUP_REQUESTS,
            phone,
            at,
            SignupRequested.newBuilder()
                .setSignupId(
                    UUID.nameUUIDFromBytes(phone.getBytes(StandardCharsets.UTF_8)).toString())
                .setProgramId("acme-deals")
                .setPhone(phone)
                .setOccurredAt(at)
                .setEvidence(
                    ConsentEvidence.newBuilder()
                        .setConsentText(CONSENT)
                        .setConsentTextVersion("v3")
                        .setConsentTextSha256(ConsentTextHash.of(CONSENT))
                        .setChannel(SourceChannel.WEB_FORM)
                        .setPageUrl("https://acme.example/signup?utm_source=footer")
                        .setIp("203.0.113." + (i % 250))
                        .setUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)")
                        .setLocale("en-US")
                        .build())
                .build());
        send(
            producer,
            Topics.SMS_DELIVERY,
            phone,
            at.plusSeconds(1),
            report(
                phone,
                sid,
                challengeId,
                DeliveryStatus.SENT,
                ReportSource.SENDER,
                at.plusSeconds(1)));
        send(
            producer,
            Topics.SMS_DELIVERY,
            phone,
            at.plusSeconds(3),
            report(
                phone,
                sid,
                challengeId,
                DeliveryStatus.DELIVERED,
                ReportSource.STATUS_CALLBACK,
                at.plusSeconds(3)));
        send(
            producer,
            Topics.SMS_INBOUND,
            phone,
            at.plusSeconds(30),
            InboundSms.newBuilder()
                .setMessageSid("SMi" + i)
                .setPhone(phone)
                .setToNumber("+15005550006")
                .setIntent(ReplyIntent.CONFIRM)
                .setMaskedBody("YES")
                .setReceivedAt(at.plusSeconds(30))
                .build());
        send(
            producer,
            Topics.CHALLENGES,
            phone,
            at.plusSeconds(31),
            ChallengeEvent.newBuilder()
                .setChallengeId(challengeId)
                .setType(ChallengeEventType.CLOSED)
                .setProgramId("acme-deals")
                .setPhone(phone)
                .setSignupId(
                    UUID.nameUUIDFromBytes(phone.getBytes(StandardCharsets.UTF_8)).toString())
                .setIssuedAt(at)
                .setExpiresAt(at.plusSeconds(600))
                .setOutcome(ChallengeOutcome.CONFIRMED)
                .setChannel(SourceChannel.WEB_FORM)
                .setOccurredAt(at.plusSeconds(31))
                .build());
        count += 5;
      }
      producer.flush();
    }
    return count;
  }

  private static SmsDeliveryReport report(
      String phone,
      String sid,
      String challengeId,
      DeliveryStatus status,
      ReportSource source,
      Instant at) {
    return SmsDeliveryReport.newBuilder()
        .setReportId(UUID.randomUUID().toString())
        .setCommandId("cmd-" + sid)
        .setChallengeId(challengeId)
        .setProgramId("acme-deals")
        .setPhone(phone)
        .setMessageSid(sid)
        .setStatus(status)
        .setAttempts(1)
        .setSource(source)
        .setOccurredAt(at)
        .setMaskedBody(
            status == DeliveryStatus.SENT
                ? "Acme: your code is ******. It expires in 10 min. Msg & data rates may apply. Reply STOP to opt out."
                : null)
        .build();
  }

  @SuppressWarnings("unchecked")
  private <V extends SpecificRecord> void send(
      KafkaProducer<String, byte[]> producer,
      Topic<V> topic,
      String key,
      Instant at,
      SpecificRecord value) {
    byte[] bytes = serdes.forTopic(topic).serializer().serialize(topic.name(), (V) value);
    producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key, bytes));
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics)
      throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (String topic : topics) {
      for (int p = 0; p < PARTITIONS; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** Input records the application has not committed yet. */
  private static long behind(Admin admin, String group, Map<TopicPartition, Long> ends)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return ends.entrySet().stream()
        .mapToLong(
            end ->
                end.getValue()
                    - (offsets.get(end.getKey()) == null ? 0 : offsets.get(end.getKey()).offset()))
        .sum();
  }

  /** Records and value bytes written to the outputs since {@code from}, read committed. */
  private static long[] valueBytes(EmbeddedKafkaBroker broker, Map<TopicPartition, Long> from)
      throws Exception {
    long[] recordsAndBytes = new long[2];
    new TopicReader(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            Duration.ofMinutes(5))
        .readFrom(
            from,
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer(),
            record -> {
              recordsAndBytes[0]++;
              recordsAndBytes[1] += record.serializedValueSize();
            });
    return recordsAndBytes;
  }

  private static long diskBytes(Admin admin, List<String> topics) throws Exception {
    long total = 0;
    for (var dir : admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1).values()) {
      for (var replica : dir.replicaInfos().entrySet()) {
        if (topics.contains(replica.getKey().topic())) {
          total += replica.getValue().size();
        }
      }
    }
    return total;
  }

  private interface Check {
    boolean done() throws Exception;
  }

  private static boolean await(Check check, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private static void await(Check check, Duration timeout, String what) throws Exception {
    if (!await(check, timeout)) {
      throw new IllegalStateException("timed out waiting for " + what);
    }
  }
}
