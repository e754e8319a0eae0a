package io.optin.systemtests.bench;

import io.optin.avro.SmsKind;
import io.optin.avro.SmsSendRequested;
import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.devkit.sandbox.TwilioSandbox;
import io.optin.dispatcher.DispatcherSettings;
import io.optin.dispatcher.message.MessageTemplates;
import io.optin.dispatcher.sender.SenderConfig;
import io.optin.dispatcher.sender.SenderService;
import io.optin.dispatcher.sms.RetryPolicy;
import io.optin.dispatcher.sms.TwilioClientSettings;
import io.optin.dispatcher.sms.TwilioCredentials;
import io.optin.dispatcher.sms.TwilioSmsGateway;
import io.optin.domain.otp.OtpCodes;
import io.optin.schemas.Topic;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SMS/s of one sender instance on the embedded broker and the Twilio sandbox, with a provider that
 * answers at once and one that answers after 300 ms: N commands are put in the outbox at once, and
 * the run is timed from the first command produced until the sandbox has received the last SMS;
 * per-command latency is command produced → SMS received by the sandbox (the N commands are
 * produced at once, a burst: the latency includes their wait in the outbox). Prints figures;
 * asserts only that every command was texted exactly once.
 *
 * <p>Not in the default build (tagged "bench"). Alone: {@code mvn -o -pl system-tests -am test
 * -Dtest=SenderThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; a larger run with
 * {@code -Dbench.sender.commands=5000}, other latencies with {@code
 * -Dbench.sender.latencies=0,300,600} (ms), other settings with {@code -Dbench.sender.concurrency}
 * and {@code -Dbench.sender.partitions}; {@code -Dbench.sender.warmup} commands (500) are sent
 * untimed first. {@code -Dbench.sender.rate=200} produces the commands open loop at that rate
 * instead of at once, for the latency of a sender that keeps up.
 *
 * <p>CPU over the timed run: of the whole process (the broker, the sandbox and the producer of the
 * commands run in it too) and of the send loop's thread alone.
 */
@Tag("bench")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SenderThroughputBenchmark {

  private static final int COMMANDS = Integer.getInteger("bench.sender.commands", 2_000);
  private static final int WARM_UP = Integer.getInteger("bench.sender.warmup", 500);
  private static final double RATE =
      Double.parseDouble(System.getProperty("bench.sender.rate", "0"));
  private static final int PARTITIONS = Integer.getInteger("bench.sender.partitions", 2);
  private static final int CONCURRENCY =
      Integer.getInteger(
          "bench.sender.concurrency",
          DispatcherSettings.SMS_MAX_CONCURRENCY.defaultValue().orElseThrow());
  private static final String LATENCIES = System.getProperty("bench.sender.latencies", "0,300");
  private static final String AUTH_TOKEN = "bench-auth-token";
  private static final String FROM = "+15005550006";
  private static final OtpCodes CODES =
      OtpCodes.fromSettings("bench-otp-secret-of-at-least-32-bytes!", 6);
  private static final Duration RUN_LIMIT = Duration.ofMinutes(10);

  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);

  private record Result(
      long latencyMs,
      int commands,
      double seconds,
      long[] latenciesMs,
      int duplicates,
      double processCpuSeconds,
      double loopCpuSeconds) {}

  /** The send loop's thread, named by {@code SenderService} after the instance id "bench". */
  private static final String LOOP_THREAD = "optin-sms-sender-bench";

  @Test
  void shouldPrintSmsPerSecondOfOneSender() throws Exception {
    List<Result> results = new ArrayList<>();
    for (String latency : LATENCIES.split(",")) {
      results.add(run(Long.parseLong(latency.strip())));
    }
    System.out.printf(
        Locale.ROOT,
        "%nSMS sender, one instance, %d partition(s), sms.max.concurrency=%d, %d commands %s%n",
        PARTITIONS,
        CONCURRENCY,
        COMMANDS,
        RATE > 0 ? String.format(Locale.ROOT, "produced at %.0f/s", RATE) : "produced at once");
    System.out.printf(
        Locale.ROOT,
        "%-18s %10s %9s %9s %9s %9s %9s %6s %8s %8s %8s%n",
        "provider latency",
        "SMS/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "p99.9 ms",
        "max ms",
        "dups",
        "run s",
        "cpu s",
        "loop s");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-18s %10.1f %9d %9d %9d %9d %9d %6d %8.2f %8.2f %8.2f%n",
          r.latencyMs() + " ms",
          r.commands() / r.seconds(),
          percentile(r.latenciesMs(), 50),
          percentile(r.latenciesMs(), 95),
          percentile(r.latenciesMs(), 99),
          percentile(r.latenciesMs(), 99.9),
          r.latenciesMs()[r.latenciesMs().length - 1],
          r.duplicates(),
          r.seconds(),
          r.processCpuSeconds(),
          r.loopCpuSeconds());
    }
    for (Result r : results) {
      if (r.duplicates() != 0 || r.latenciesMs().length != r.commands()) {
        throw new AssertionError(
            "expected each command texted once at "
                + r.latencyMs()
                + " ms: "
                + r.latenciesMs().length
                + " texted, "
                + r.duplicates()
                + " duplicate(s)");
      }
    }
  }

  private Result run(long latencyMs) throws Exception {
    Path dir = Files.createTempDirectory("optin-sender-bench");
    Map<String, Long> producedAt = new ConcurrentHashMap<>();
    Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.builder().port(0).dataDir(dir.resolve("kafka")).build().start();
        TwilioSandbox sandbox =
            new TwilioSandbox("127.0.0.1", 0, "AC" + "0".repeat(32), AUTH_TOKEN)
                .callbackDelay(Duration.ofHours(1))
                .onReceived(
                    message -> {
                      if (!message.inbound()
                          && receivedAt.putIfAbsent(message.to(), System.currentTimeMillis())
                              != null) {
                        duplicates.incrementAndGet();
                      }
                    })
                .start();
        TwilioSmsGateway gateway =
            TwilioSmsGateway.create(
                TwilioClientSettings.of(
                        TwilioCredentials.authToken(sandbox.accountSid(), AUTH_TOKEN))
                    .withApiBaseUrl(sandbox.baseUrl()))) {
      sandbox.apiAnswerDelay(Duration.ofMillis(latencyMs));
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?> topic : Topics.all()) {
          topics.add(new NewTopic(topic.name(), PARTITIONS, (short) 1).configs(topic.configs()));
        }
        admin.createTopics(topics).all().get();
      }
      SenderConfig config =
          new SenderConfig(
              "bench",
              FROM,
              null,
              null,
              CONCURRENCY,
              10_000.0,
              RetryPolicy.backoff(3),
              Duration.ofDays(7));
      try (SenderService sender =
          new SenderService(
              config,
              Map.of("bootstrap.servers", broker.bootstrapServers()),
              serdes,
              new MessageTemplates(Map.of()),
              CODES,
              gateway)) {
        sender.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (sender.senderState() != SenderService.State.RUNNING) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("the sender did not start: " + sender.senderState());
          }
          TimeUnit.MILLISECONDS.sleep(20);
        }
        // Warm-up commands (clients, connections, the JIT) outside the timed run: without them the
        // first variant of a run pays for the whole JVM's warm-up.
        List<SmsSendRequested> warmUp = new ArrayList<>();
        for (int i = 0; i < Math.max(1, WARM_UP); i++) {
          warmUp.add(command(String.format(Locale.ROOT, "+1999%07d", i), "warm-up-" + i));
        }
        produce(broker, warmUp, producedAt, 0);
        awaitReceived(receivedAt, warmUp.size(), RUN_LIMIT);
        receivedAt.clear();
        producedAt.clear();
        List<SmsSendRequested> commands = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
          commands.add(command(String.format(Locale.ROOT, "+1415%07d", i), "bench-" + i));
        }
        long loopThread = loopThreadId();
        long processCpuBefore = processCpuNanos();
        long loopCpuBefore = THREADS.getThreadCpuTime(loopThread);
        long start = System.currentTimeMillis();
        produce(broker, commands, producedAt, RATE);
        long last = awaitReceived(receivedAt, COMMANDS, RUN_LIMIT);
        double processCpu = (processCpuNanos() - processCpuBefore) / 1e9;
        double loopCpu = (THREADS.getThreadCpuTime(loopThread) - loopCpuBefore) / 1e9;
        double seconds = Math.max(1, last - start) / 1000.0;
        long[] latencies =
            receivedAt.entrySet().stream()
                .mapToLong(e -> e.getValue() - producedAt.getOrDefault(e.getKey(), start))
                .sorted()
                .toArray();
        return new Result(
            latencyMs, COMMANDS, seconds, latencies, duplicates.get(), processCpu, loopCpu);
      }
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long loopThreadId() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals(LOOP_THREAD))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no thread " + LOOP_THREAD))
        .getId();
  }

  /** Waits until {@code count} phones got their SMS; the time the last one arrived. */
  private static long awaitReceived(Map<String, Long> receivedAt, int count, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (receivedAt.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "only " + receivedAt.size() + " of " + count + " SMS arrived within " + limit);
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
    return receivedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
  }

  /** At once when {@code rate} is 0, else open loop at {@code rate} commands per second. */
  private void produce(
      EmbeddedKafkaBroker broker,
      List<SmsSendRequested> commands,
      Map<String, Long> producedAt,
      double rate)
      throws Exception {
    Serializer<SmsSendRequested> values = serdes.forTopic(Topics.SMS_OUTBOUND).serializer();
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            rate > 0 ? 0 : 5);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      long begin = System.nanoTime();
      for (int i = 0; i < commands.size(); i++) {
        SmsSendRequested command = commands.get(i);
        if (rate > 0) {
          long due = begin + (long) (i * 1_000_000_000d / rate);
          for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        producedAt.put(command.getPhone(), System.currentTimeMillis());
        producer.send(
            new ProducerRecord<>(
                Topics.SMS_OUTBOUND.name(),
                command.getPhone().getBytes(StandardCharsets.UTF_8),
                values.serialize(Topics.SMS_OUTBOUND.name(), command)));
      }
      producer.flush();
    }
  }

  private static SmsSendRequested command(String phone, String challengeId) {
    Instant now = Instant.now();
    return SmsSendRequested.newBuilder()
        .setCommandId("cmd-" + challengeId)
        .setKind(SmsKind.CONFIRMATION_CODE)
        .setChallengeId(challengeId)
        .setProgramId("acme-deals")
        .setPhone(phone)
        .setFromNumber(null)
        .setLocale("en-US")
        .setExpiresAt(now.plus(Duration.ofMinutes(30)))
        .setRequestedAt(now)
        .build();
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
