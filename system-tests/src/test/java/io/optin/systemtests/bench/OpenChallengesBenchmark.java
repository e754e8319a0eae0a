package io.optin.systemtests.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.optin.audit.crypto.CheckpointSigningKey;
import io.optin.audit.crypto.MasterKey;
import io.optin.avro.ConsentEvidence;
import io.optin.avro.SignupRequested;
import io.optin.avro.SourceChannel;
import io.optin.devkit.DevSettings;
import io.optin.devkit.DevStack;
import io.optin.dispatcher.challenge.ChallengeTopology;
import io.optin.domain.screening.ConsentTextHash;
import io.optin.kit.config.Settings;
import io.optin.replies.matching.ReplyTopology;
import io.optin.schemas.Topics;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.server.OptinCommand;
import io.optin.systemtests.CommittedRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory of open challenges: N signups (default 50,000; {@code -Dchallenges=1000000}) go through
 * the real dispatcher and reply topologies, run by {@code optin run dispatcher replies} in a JVM of
 * its own with the launcher's default {@code -Xmx512m}, on an embedded broker in the test's JVM;
 * once both applications have committed every input, each of the N challenges is open in the
 * dispatcher's and the reply processor's RocksDB stores. Prints the services' RSS (VmRSS and its
 * peak VmHWM, from /proc), their heap, the RocksDB memory bound in force and the stores' size on
 * disk; the broker's JVM (this one) is reported apart. Asserts only that every challenge was
 * issued.
 *
 * <p>Run: {@code mvn -o -B -pl system-tests -am test -Dtest=OpenChallengesBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dchallenges=1000000}.
 */
@Tag("bench")
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class OpenChallengesBenchmark {

  private static final int CHALLENGES = Integer.getInteger("challenges", 50_000);
  private static final String CONSENT =
      "Yes, text me Acme deals. Msg & data rates may apply. Reply STOP to opt out.";

  @TempDir Path dir;

  @Test
  void shouldPrintTheMemoryOfTheServicesHoldingEveryChallengeOpen() throws Exception {
    try (DevStack stack =
        DevStack.start(
            Settings.load(
                DevSettings.CATALOGUE,
                Optional.empty(),
                Map.of(
                    "OPTIN_DEV_BROKER_PORT",
                    "0",
                    "OPTIN_DEV_REGISTRY_PORT",
                    "0",
                    "OPTIN_DEV_DATA_DIR",
                    dir.resolve("broker").toString())))) {
      Path state = dir.resolve("state");
      Path config = Files.writeString(dir.resolve("optin.properties"), settings(stack, state));
      Path log = Path.of("target", "open-challenges-services.log").toAbsolutePath();
      Process services = launch(config, log);
      try {
        long started = System.nanoTime();
        produceSignups(stack, state);
        double produced = (System.nanoTime() - started) / 1e9;
        CommittedRecords topics =
            new CommittedRecords(stack.bootstrapServers(), stack.registryUrl());
        await("every signup and challenge committed, log in " + log)
            .atMost(Duration.ofMinutes(50))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () -> {
                  if (!services.isAlive()) {
                    throw new IllegalStateException("optin run exited, see " + log);
                  }
                  return topics.caughtUp(ChallengeTopology.APPLICATION_ID, Topics.SIGNUP_REQUESTS)
                      && topics.caughtUp(ReplyTopology.APPLICATION_ID, Topics.CHALLENGES);
                });
        double loaded = (System.nanoTime() - started) / 1e9;
        long pid = services.pid();
        String rss = status(Path.of("/proc", Long.toString(pid), "status"));
        String heap = jcmd(pid, "GC.heap_info");
        System.out.printf(
            Locale.ROOT,
            "OPEN CHALLENGES: %,d signups produced in %.1f s, all challenges issued and read by"
                + " the reply processor %.1f s after the first%n"
                + "  services (optin run dispatcher replies, pid %d, -Xmx512m): %s%n"
                + "  heap: %s%n"
                + "  state stores on disk: %s%n"
                + "  broker and registry (the test JVM): %s%n"
                + "  RocksDB: %s%n",
            CHALLENGES,
            produced,
            loaded,
            pid,
            rss,
            heap,
            storeSizes(state),
            status(Path.of("/proc/self/status")),
            rocksDbLine(log));
        assertThat(committedRecords(stack.bootstrapServers(), Topics.CHALLENGES.name()))
            .as("challenges issued")
            .isEqualTo(CHALLENGES);
      } finally {
        services.destroy();
        if (!services.waitFor(60, TimeUnit.SECONDS)) {
          services.destroyForcibly();
        }
      }
    }
  }

  /**
   * Records committed on the topic, counted without decoding them: with no reply and no expiry yet,
   * each one of the challenges topic is an ISSUED challenge.
   */
  private static long committedRecords(String bootstrap, String topic) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long count = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(500)).count();
      }
      return count;
    }
  }

  private static void produceSignups(DevStack stack, Path state) throws Exception {
    AvroSerdes serdes = AvroSerdes.fromConfig(Map.of("schema.registry.url", stack.registryUrl()));
    Map<String, Object> props = new LinkedHashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Not idempotent: under this load the single-node broker sometimes answers an idempotent
    // producer OUT_OF_ORDER_SEQUENCE_NUMBER for good (KAFKA-18202), which dropped signups after
    // the delivery timeout. One request in flight keeps the order a retry could otherwise swap.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    AtomicReference<Exception> failed = new AtomicReference<>();
    var serializer = serdes.forTopic(Topics.SIGNUP_REQUESTS).serializer();
    Instant now = Instant.now();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < CHALLENGES; i++) {
        String phone = phone(i);
        SignupRequested signup =
            SignupRequested.newBuilder()
                .setSignupId(UUID.randomUUID().toString())
                .setProgramId("acme-deals")
                .setPhone(phone)
                .setEvidence(
                    ConsentEvidence.newBuilder()
                        .setConsentText(CONSENT)
                        .setConsentTextVersion(null)
                        .setConsentTextSha256(ConsentTextHash.of(CONSENT))
                        .setChannel(SourceChannel.WEB_FORM)
                        .setPageUrl(null)
                        .setIp("203.0.113.7")
                        .setUserAgent(null)
                        .setLocale("en-US")
                        .build())
                .setOccurredAt(now)
                .setIdempotencyKey(null)
                .build();
        producer.send(
            new ProducerRecord<>(
                Topics.SIGNUP_REQUESTS.name(),
                null,
                now.toEpochMilli(),
                phone,
                serializer.serialize(Topics.SIGNUP_REQUESTS.name(), signup)),
            (metadata, e) -> {
              if (e != null) {
                failed.compareAndSet(null, e);
              }
            });
      }
      producer.flush();
    }
    if (failed.get() != null) {
      throw new IllegalStateException("a signup could not be produced", failed.get());
    }
  }

  /** Distinct valid US mobile-looking numbers: 415 and an exchange from 200, skipping N11. */
  private static String phone(int i) {
    int exchange = 200 + i / 10_000;
    if (exchange % 100 == 11) {
      exchange += 100;
    }
    return String.format(Locale.ROOT, "+1415%03d%04d", exchange, i % 10_000);
  }

  private static Process launch(Path config, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(OptinCommand.class.getName());
    command.addAll(List.of("run", "dispatcher", "replies", "--config", config.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(Redirect.to(log.toFile()));
    builder.environment().keySet().removeIf(name -> name.startsWith("OPTIN_"));
    return builder.start();
  }

  private static String settings(DevStack stack, Path state) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("kafka.bootstrap.servers", stack.bootstrapServers());
    settings.put("schema.registry.url", stack.registryUrl());
    settings.put("http.port", Integer.toString(freePort()));
    settings.put("api.tokens", "bench-api-token");
    settings.put("otp.secret", "bench-otp-secret-of-at-least-32-bytes!!");
    settings.put("audit.master.key", MasterKey.generate().toBase64());
    settings.put("audit.signing.key", CheckpointSigningKey.generate().toBase64());
    // Held open for the whole run: none expires while the memory is read.
    settings.put("twilio.from", "+15005550006");
    settings.put("twilio.account.sid", "AC" + "0".repeat(32));
    settings.put("twilio.auth.token", "bench-auth-token");
    settings.put("otp.expiry", "60m");
    settings.put("streams.state.dir", state.toString());
    System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith("bench.setting."))
        .forEach(
            name ->
                settings.put(name.substring("bench.setting.".length()), System.getProperty(name)));
    return settings.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static String status(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .filter(line -> line.startsWith("VmRSS") || line.startsWith("VmHWM"))
        .map(line -> line.replaceAll("\\s+", " "))
        .collect(Collectors.joining(", "));
  }

  private static String jcmd(long pid, String command) {
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(pid),
                  command)
              .redirectErrorStream(true)
              .start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor(30, TimeUnit.SECONDS);
      return out.lines()
          .filter(line -> line.contains("total") || line.contains("used"))
          .map(String::trim)
          .findFirst()
          .orElse(out.replace('\n', ' '));
    } catch (IOException e) {
      return "jcmd unavailable: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Size on disk of each application's state directory. */
  private static String storeSizes(Path state) throws IOException {
    if (!Files.isDirectory(state)) {
      return "none";
    }
    try (Stream<Path> apps = Files.list(state)) {
      return apps.filter(Files::isDirectory)
          .map(app -> app.getFileName() + " " + (size(app) >> 20) + " MiB")
          .collect(Collectors.joining(", "));
    }
  }

  private static long size(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              file -> {
                try {
                  return Files.size(file);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the services logged of their RocksDB memory bound, or Kafka Streams' default. */
  private static String rocksDbLine(Path log) throws IOException {
    return Files.readAllLines(log).stream()
        .filter(line -> line.contains("RocksDB memory"))
        .findFirst()
        .orElse(
            "Kafka Streams' default per store and partition (block cache 50 MiB, 3 memtables of 16"
                + " MiB), no bound");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
