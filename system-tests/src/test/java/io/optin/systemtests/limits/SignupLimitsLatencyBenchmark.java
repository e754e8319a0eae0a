package io.optin.systemtests.limits;

import static io.optin.systemtests.limits.IngestInstance.signup;

import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.schemas.Topics;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import io.optin.server.topics.TopicProvisioner;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the cluster-wide limits cost on the signup path, in one run on one embedded broker: two
 * ingest instances side by side, one judging limits and idempotency keys alone ({@code
 * ingest.limits.cluster.wide=false}), one through {@code optin.intake-claims.v1}; the same
 * sequential signups (each with its own phone and idempotency key) alternate between them. Prints
 * p50, p99 and p99.9 of {@code POST /v1/signups} for each; asserts no timing.
 *
 * <p>Not in the default build (tagged "bench"); alone: {@code mvn -o -B -pl system-tests -am test
 * -Dtest=SignupLimitsLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SignupLimitsLatencyBenchmark {

  private static final int WARMUP = 300;
  private static final int SIGNUPS = Integer.getInteger("bench.signups", 2_000);
  private static final Map<String, String> LIMITS_OUT_OF_THE_WAY =
      Map.of(
          "limits.phone.per.hour", "1000",
          "limits.ip.per.hour", "1000000",
          "limits.prefix.per.hour", "1000000",
          "limits.country.per.hour", "10000000");

  @Test
  void shouldPrintSignupLatencyWithLocalAndClusterWideLimits() throws Exception {
    Path dir = Files.createTempDirectory("optin-limits-bench");
    AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().port(0).dataDir(dir.resolve("kafka")).build().start()) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        new TopicProvisioner(admin, 2, 1, Duration.ofSeconds(30)).provision(Topics.all());
      }
      Map<String, String> local = new HashMap<>(LIMITS_OUT_OF_THE_WAY);
      local.put("ingest.limits.cluster.wide", "false");
      Map<String, String> shared = new HashMap<>(LIMITS_OUT_OF_THE_WAY);
      shared.put("ingest.limits.cluster.wide", "true");
      try (IngestInstance alone =
              IngestInstance.start("local", broker.bootstrapServers(), serdes, local);
          IngestInstance cluster =
              IngestInstance.start("cluster", broker.bootstrapServers(), serdes, shared)) {
        Histogram localTimes = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
        Histogram clusterTimes = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
        int n = 0;
        for (int i = 0; i < WARMUP + SIGNUPS; i++) {
          boolean measured = i >= WARMUP;
          // Alternate which goes first, so neither is favoured by the other's warm caches.
          IngestInstance first = i % 2 == 0 ? alone : cluster;
          IngestInstance second = first == alone ? cluster : alone;
          for (IngestInstance to : new IngestInstance[] {first, second}) {
            String phone = "+1415555" + String.format("%04d", n % 10_000);
            String ip = "198.51.100." + (1 + n % 250);
            long start = System.nanoTime();
            HttpResponse<String> answer = to.post(signup(phone, ip, "bench-" + n));
            long micros = (System.nanoTime() - start) / 1_000;
            n++;
            if (answer.statusCode() != 202) {
              throw new AssertionError("signup " + n + " answered " + answer.body());
            }
            if (measured) {
              (to == alone ? localTimes : clusterTimes).recordValue(micros);
            }
          }
        }
        System.out.printf(
            "%nPOST /v1/signups, %d sequential signups each, one embedded broker, same run:%n",
            SIGNUPS);
        print("limits per instance (ingest.limits.cluster.wide=false)", localTimes);
        print("limits cluster-wide (optin.intake-claims.v1)", clusterTimes);
        System.out.printf(
            "added by the claim: p50 %+.2f ms, p99 %+.2f ms%n%n",
            (clusterTimes.getValueAtPercentile(50) - localTimes.getValueAtPercentile(50)) / 1e3,
            (clusterTimes.getValueAtPercentile(99) - localTimes.getValueAtPercentile(99)) / 1e3);
      }
    }
  }

  private static void print(String variant, Histogram times) {
    System.out.printf(
        "  %-58s p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  max %6.2f ms%n",
        variant,
        times.getValueAtPercentile(50) / 1e3,
        times.getValueAtPercentile(99) / 1e3,
        times.getValueAtPercentile(99.9) / 1e3,
        times.getMaxValue() / 1e3);
  }
}
