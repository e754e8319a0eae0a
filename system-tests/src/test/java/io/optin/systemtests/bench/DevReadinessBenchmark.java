package io.optin.systemtests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.DevSettings;
import io.optin.devkit.EmbeddedOptin;
import io.optin.kit.config.Settings;
import io.optin.kit.http.RunningService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the start-up time of {@code optin dev} goes (what {@code DevCommand} runs: {@link
 * EmbeddedOptin#start}, then every service ready): broker, topics, registry, then each service
 * ready, from the start; first on an empty data directory, then again on the one it left. Prints
 * the figures; asserts only that it became ready.
 *
 * <p>Run: {@code mvn -o -B -pl system-tests -am test -Dtest=DevReadinessBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DevReadinessBenchmark {

  @TempDir Path dataDir;

  @Test
  void shouldPrintWhereTheStartUpTimeOfOptinDevGoes() throws Exception {
    for (String run : new String[] {"empty data directory", "same data directory again"}) {
      Map<String, String> environment = new LinkedHashMap<>();
      environment.put("OPTIN_DEV_BROKER_PORT", "0");
      environment.put("OPTIN_DEV_REGISTRY_PORT", "0");
      environment.put("OPTIN_DEV_SANDBOX_PORT", "0");
      environment.put("OPTIN_HTTP_PORT", "0");
      environment.put("OPTIN_DEV_DATA_DIR", dataDir.toString());
      long start = System.nanoTime();
      try (EmbeddedOptin optin =
          EmbeddedOptin.start(
              Settings.load(DevSettings.CATALOGUE, Optional.empty(), environment))) {
        long started = System.nanoTime();
        Map<String, Long> readyAt = new LinkedHashMap<>();
        long deadline = started + TimeUnit.SECONDS.toNanos(120);
        while (readyAt.size() < optin.services().services().size()
            && System.nanoTime() < deadline) {
          for (RunningService service : optin.services().services()) {
            if (!readyAt.containsKey(service.name()) && service.ready()) {
              readyAt.put(service.name(), System.nanoTime());
            }
          }
          TimeUnit.MILLISECONDS.sleep(10);
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "DEV READINESS (%s):%n", run));
        Duration stack = Duration.ZERO;
        for (Map.Entry<String, Duration> phase : optin.devStack().startupPhases().entrySet()) {
          stack = stack.plus(phase.getValue());
          out.append(
              String.format(
                  Locale.ROOT, "  %-45s %6d ms%n", phase.getKey(), phase.getValue().toMillis()));
        }
        out.append(
            String.format(
                Locale.ROOT,
                "  %-45s %6d ms%n",
                "sandbox, HTTP port, services created",
                (started - start) / 1_000_000 - stack.toMillis()));
        readyAt.forEach(
            (service, at) ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %-45s %6d ms from the start%n",
                        service + " ready",
                        (at - start) / 1_000_000)));
        long ready = readyAt.values().stream().mapToLong(Long::longValue).max().orElse(start);
        out.append(String.format(Locale.ROOT, "  ready in %.2f s%n", (ready - start) / 1e9));
        System.out.print(out);
        assertThat(optin.isReady()).isTrue();
      }
    }
  }
}
