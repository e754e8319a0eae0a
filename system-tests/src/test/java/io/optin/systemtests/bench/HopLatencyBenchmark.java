package io.optin.systemtests.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.avro.ChallengeEvent;
import io.optin.avro.ChallengeEventType;
import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import io.optin.avro.SubscriberConfirmed;
import io.optin.devkit.DevSettings;
import io.optin.devkit.EmbeddedOptin;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.kit.config.Settings;
import io.optin.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the time of a flow goes on the embedded stack, per hop, at fixed signup rates (open loop):
 * signup accepted (202) → challenge and SMS command committed (as a {@code read_committed} consumer
 * sees them) → SMS at the provider (the sandbox's accept) and YES posted (signed inbound webhook,
 * the moment the SMS arrives) → {@code SubscriberConfirmed} committed. Beside it, from the same run
 * and broker, a plain idempotent produce → {@code read_committed} consume round trip at the same
 * rate. Prints p50/p95/p99/max per hop; asserts only that every flow completed.
 *
 * <p>{@code -Dbench.rates=50,500} (signups/s), {@code -Dbench.seconds=15} per rate, {@code
 * -Dbench.warmup.seconds=5}, {@code -Dbench.drain.seconds=120}. Run: {@code mvn -o -B -pl
 * system-tests -am test -Dtest=HopLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class HopLatencyBenchmark {

  private static final List<Integer> RATES =
      List.of(System.getProperty("bench.rates", "50,500").split(",")).stream()
          .map(String::trim)
          .map(Integer::parseInt)
          .toList();
  private static final int SECONDS = Integer.getInteger("bench.seconds", 15);
  private static final int DRAIN_SECONDS = Integer.getInteger("bench.drain.seconds", 120);
  private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup.seconds", 5);
  private static final String[] AREA_CODES = {
    "415", "212", "310", "312", "617", "646", "202", "206", "303", "404", "512", "602"
  };
  private static final String ROUND_TRIP_TOPIC = "bench-round-trip";

  @TempDir Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger nextPhone = new AtomicInteger();

  /** What one flow saw, in {@link System#nanoTime()}; 0 until seen. */
  private static final class Flow {
    volatile long posted;
    volatile long accepted;
    volatile long challengeSeen;
    volatile long commandSeen;
    volatile long smsArrived;
    volatile long yesPosted;
    volatile long confirmedSeen;
  }

  @Test
  void shouldPrintPerHopLatencyAtFixedSignupRates() throws Exception {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("OPTIN_DEV_BROKER_PORT", "0");
    environment.put("OPTIN_DEV_REGISTRY_PORT", "0");
    environment.put("OPTIN_DEV_SANDBOX_PORT", "0");
    environment.put("OPTIN_HTTP_PORT", "0");
    environment.put("OPTIN_DEV_DATA_DIR", dataDir.toString());
    // A load test raises the limits and the SMS rate, nothing else: every other setting is the
    // default under test.
    environment.put("OPTIN_LIMITS_IP_PER_HOUR", "1000000");
    environment.put("OPTIN_LIMITS_PREFIX_PER_HOUR", "1000000");
    environment.put("OPTIN_LIMITS_COUNTRY_PER_HOUR", "10000000");
    environment.put("OPTIN_LIMITS_PUMPING_MIN_CONFIRM_PERCENT", "0");
    environment.put("OPTIN_SMS_RATE_PER_SECOND", "5000");
    environment.put("OPTIN_SMS_MAX_CONCURRENCY", "16");
    System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith("bench.env."))
        .forEach(
            name ->
                environment.put(name.substring("bench.env.".length()), System.getProperty(name)));
    Map<String, Flow> flows = new ConcurrentHashMap<>();
    ExecutorService phones = Executors.newFixedThreadPool(32);
    AtomicBoolean tailing = new AtomicBoolean(true);
    try (EmbeddedOptin optin =
        EmbeddedOptin.start(Settings.load(DevSettings.CATALOGUE, Optional.empty(), environment))) {
      await().atMost(Duration.ofSeconds(120)).until(optin::isReady);
      TwilioSandbox sandbox = optin.sandbox().orElseThrow();
      sandbox.onReceived(
          sms -> {
            long now = System.nanoTime();
            Flow flow = flows.get(sms.to());
            if (flow == null || flow.smsArrived != 0) {
              return; // the confirmation SMS that follows the YES
            }
            flow.smsArrived = now;
            phones.submit(
                () -> {
                  flow.yesPosted = System.nanoTime();
                  sandbox.reply(sms.to(), sms.from(), "YES");
                });
          });
      Thread tail = new Thread(() -> tail(optin, flows, tailing), "bench-tail");
      tail.start();

      System.out.printf(
          Locale.ROOT,
          "HOP LATENCY: settings %s%n",
          environment.entrySet().stream()
              .filter(e -> e.getKey().startsWith("OPTIN_KAFKA"))
              .toList());
      drive(optin, flows, 50, WARMUP_SECONDS);
      flows.clear();
      for (int rate : RATES) {
        double[] roundTrip = roundTrip(optin.bootstrapServers(), rate, Math.min(SECONDS, 10));
        Map<String, Flow> phase = new ConcurrentHashMap<>();
        Map<String, Flow> all = flows;
        long start = System.nanoTime();
        List<String> posted = drive(optin, all, rate, SECONDS);
        double sentSeconds = (System.nanoTime() - start) / 1e9;
        // A saturated stack may not drain: what completed is reported, and how many did not.
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        while (System.nanoTime() < drainDeadline
            && !posted.stream().allMatch(phone -> all.get(phone).confirmedSeen != 0)) {
          TimeUnit.MILLISECONDS.sleep(200);
        }
        posted.forEach(phone -> phase.put(phone, all.get(phone)));
        long incomplete = phase.values().stream().filter(flow -> flow.confirmedSeen == 0).count();
        report(rate, posted.size(), sentSeconds, phase, roundTrip);
        System.out.printf(
            Locale.ROOT,
            "  %d of %d accepted signups not confirmed within %d s of the last one%n",
            incomplete,
            posted.size(),
            DRAIN_SECONDS);
        flows.clear();
        assertThat(phase).hasSize(posted.size());
      }
      tailing.set(false);
      tail.join(10_000);
    } finally {
      phones.shutdownNow();
    }
  }

  /** Posts signups open loop at {@code rate}/s for {@code seconds}; returns their phones. */
  private List<String> drive(EmbeddedOptin optin, Map<String, Flow> flows, int rate, int seconds)
      throws Exception {
    URI signups = URI.create(optin.gatewayUrl() + "/v1/signups");
    List<String> phones = new ArrayList<>();
    int total = rate * seconds;
    for (int i = 0; i < total; i++) {
      phones.add(phone(nextPhone.getAndIncrement()));
    }
    Map<String, Integer> refused = new ConcurrentHashMap<>();
    AtomicInteger answered = new AtomicInteger();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger index = new AtomicInteger();
    long periodNanos = 1_000_000_000L / rate;
    ticker.scheduleAtFixedRate(
        () -> {
          int i = index.getAndIncrement();
          if (i >= total) {
            return;
          }
          String phone = phones.get(i);
          Flow flow = new Flow();
          flows.put(phone, flow);
          flow.posted = System.nanoTime();
          http.sendAsync(signup(signups, phone), HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (response, failure) -> {
                    flow.accepted = System.nanoTime();
                    if (failure != null || response.statusCode() != 202) {
                      refused.merge(
                          failure != null
                              ? failure.getClass().getSimpleName()
                              : Integer.toString(response.statusCode()),
                          1,
                          Integer::sum);
                      flows.remove(phone);
                    }
                    answered.incrementAndGet();
                  });
        },
        0,
        periodNanos,
        TimeUnit.NANOSECONDS);
    await()
        .atMost(Duration.ofSeconds(seconds + 120L))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> answered.get() >= total);
    ticker.shutdownNow();
    if (!refused.isEmpty()) {
      System.out.printf(Locale.ROOT, "HOP LATENCY: signups refused at %d/s: %s%n", rate, refused);
    }
    return phones.stream().filter(flows::containsKey).toList();
  }

  /** Follows the challenges, the SMS commands and the confirmations as committed. */
  private static void tail(EmbeddedOptin optin, Map<String, Flow> flows, AtomicBoolean tailing) {
    Deserializer<ChallengeEvent> challenges =
        optin.serdes().forTopic(Topics.CHALLENGES).deserializer();
    Deserializer<SmsSendRequested> commands =
        optin.serdes().forTopic(Topics.SMS_OUTBOUND).deserializer();
    Deserializer<SubscriberConfirmed> confirmed =
        optin.serdes().forTopic(Topics.CONFIRMED_SUBSCRIBERS).deserializer();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            readCommitted(optin.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(
          List.of(
              Topics.CHALLENGES.name(),
              Topics.SMS_OUTBOUND.name(),
              Topics.CONFIRMED_SUBSCRIBERS.name()));
      while (tailing.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          String topic = record.topic();
          if (topic.equals(Topics.CHALLENGES.name())) {
            ChallengeEvent event = challenges.deserialize(topic, record.value());
            Flow flow = flows.get(event.getPhone());
            if (flow != null
                && event.getType() == ChallengeEventType.ISSUED
                && flow.challengeSeen == 0) {
              flow.challengeSeen = now;
            }
          } else if (topic.equals(Topics.SMS_OUTBOUND.name())) {
            SmsSendRequested command = commands.deserialize(topic, record.value());
            Flow flow = flows.get(command.getPhone());
            if (flow != null
                && command.getKind() == SmsKind.CONFIRMATION_CODE
                && flow.commandSeen == 0) {
              flow.commandSeen = now;
            }
          } else {
            SubscriberConfirmed event = confirmed.deserialize(topic, record.value());
            Flow flow = flows.get(event.getPhone());
            if (flow != null && flow.confirmedSeen == 0) {
              flow.confirmedSeen = now;
            }
          }
        }
      }
    }
  }

  /**
   * The broker's own floor: an idempotent {@code acks=all} producer (default linger) to a {@code
   * read_committed} consumer, at {@code rate}/s; returns p50, p95, p99, max in ms.
   */
  private static double[] roundTrip(String bootstrap, int rate, int seconds) throws Exception {
    String topic = ROUND_TRIP_TOPIC + "-" + rate;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    int total = rate * seconds;
    AtomicLong received = new AtomicLong();
    AtomicBoolean reading = new AtomicBoolean(true);
    Thread reader =
        new Thread(
            () -> {
              try (KafkaConsumer<byte[], byte[]> consumer =
                  new KafkaConsumer<>(
                      readCommitted(bootstrap),
                      new ByteArrayDeserializer(),
                      new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (reading.get()) {
                  for (ConsumerRecord<byte[], byte[]> record :
                      consumer.poll(Duration.ofMillis(50))) {
                    long sent = ByteBuffer.wrap(record.value()).getLong();
                    synchronized (histogram) {
                      histogram.recordValue(
                          Math.min(
                              histogram.getHighestTrackableValue(),
                              Math.max(0, (System.nanoTime() - sent) / 1_000)));
                    }
                    received.incrementAndGet();
                  }
                }
              }
            },
            "bench-round-trip");
    reader.start();
    Map<String, Object> producerConfig = new LinkedHashMap<>();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      // The consumer's assignment first: records sent before it would measure the join.
      producer
          .send(
              new ProducerRecord<>(
                  topic, ByteBuffer.allocate(8).putLong(System.nanoTime()).array()))
          .get();
      await().atMost(Duration.ofSeconds(60)).until(() -> received.get() >= 1);
      synchronized (histogram) {
        histogram.reset();
      }
      received.set(0);
      long periodNanos = 1_000_000_000L / rate;
      long next = System.nanoTime();
      for (int i = 0; i < total; i++) {
        while (System.nanoTime() < next) {
          TimeUnit.MICROSECONDS.sleep(200);
        }
        next += periodNanos;
        producer.send(
            new ProducerRecord<>(topic, ByteBuffer.allocate(8).putLong(System.nanoTime()).array()));
      }
      producer.flush();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> received.get() >= total);
    reading.set(false);
    reader.join(10_000);
    synchronized (histogram) {
      return percentiles(histogram);
    }
  }

  private static Map<String, Object> readCommitted(String bootstrap) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  private static void report(
      int rate, int signups, double sentSeconds, Map<String, Flow> flows, double[] roundTrip) {
    Histogram accept = histogram();
    Histogram toChallenge = histogram();
    Histogram toCommand = histogram();
    Histogram commandToSms = histogram();
    Histogram toSms = histogram();
    Histogram yesToConfirmed = histogram();
    for (Flow flow : flows.values()) {
      record(accept, flow.posted, flow.accepted);
      record(toChallenge, flow.accepted, flow.challengeSeen);
      record(toCommand, flow.accepted, flow.commandSeen);
      record(commandToSms, flow.commandSeen, flow.smsArrived);
      record(toSms, flow.accepted, flow.smsArrived);
      record(yesToConfirmed, flow.yesPosted, flow.confirmedSeen);
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "HOP LATENCY at %d signups/s: %d signups posted in %.1f s (%.0f/s), load average %s;"
                + " ms p50 / p95 / p99 / max%n",
            rate,
            signups,
            sentSeconds,
            signups / sentSeconds,
            loadAverage()));
    line(out, "POST /v1/signups answered", percentiles(accept));
    line(out, "accepted -> challenge committed", percentiles(toChallenge));
    line(out, "accepted -> SMS command committed", percentiles(toCommand));
    line(out, "SMS command committed -> SMS at provider", percentiles(commandToSms));
    line(out, "accepted -> SMS at provider", percentiles(toSms));
    line(out, "YES posted -> SubscriberConfirmed committed", percentiles(yesToConfirmed));
    line(out, "baseline produce -> read_committed consume", roundTrip);
    System.out.print(out);
  }

  /** The machine's load (1, 5, 15 min): the figures mean little when it is far above the cores. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void line(StringBuilder out, String hop, double[] p) {
    out.append(
        String.format(
            Locale.ROOT, "  %-45s %8.1f %8.1f %8.1f %8.1f%n", hop, p[0], p[1], p[2], p[3]));
  }

  private static Histogram histogram() {
    return new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
  }

  private static void record(Histogram histogram, long from, long to) {
    if (from != 0 && to != 0) {
      histogram.recordValue(
          Math.min(histogram.getHighestTrackableValue(), Math.max(0, (to - from) / 1_000)));
    }
  }

  private static double[] percentiles(Histogram histogram) {
    return new double[] {
      histogram.getValueAtPercentile(50) / 1_000.0,
      histogram.getValueAtPercentile(95) / 1_000.0,
      histogram.getValueAtPercentile(99) / 1_000.0,
      histogram.getMaxValue() / 1_000.0
    };
  }

  private static String phone(int i) {
    return "+1"
        + AREA_CODES[i / 10_000 % AREA_CODES.length]
        + "555"
        + String.format("%04d", i % 10_000);
  }

  private static HttpRequest signup(URI signups, String phone) {
    String json =
        "{\"phone\":\""
            + phone
            + "\",\"programId\":\"bench\",\"consentText\":\"Yes, text me offers. Reply STOP to"
            + " opt out.\",\"source\":{\"channel\":\"web_form\",\"ip\":\"203.0.113.7\"},"
            + "\"locale\":\"en-US\"}";
    return HttpRequest.newBuilder(signups)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }
}
