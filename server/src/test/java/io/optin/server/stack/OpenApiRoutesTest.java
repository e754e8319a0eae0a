package io.optin.server.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.kit.config.Settings;
import io.optin.kit.http.HttpGateway;
import io.optin.kit.http.OpenApiContract;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.server.DevAuditSecrets;
import io.optin.server.OptinSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.yaml documents exactly the routes a process running every service answers: a route
 * added without its documentation, or documentation of a route that no longer exists, fails the
 * build.
 */
class OpenApiRoutesTest {

  @TempDir Path dir;

  @Test
  void shouldDocumentExactlyTheRoutesOfEveryService() throws Exception {
    // Given every service of a process, advertised to its peers (so its internal routes are
    // mounted), on one port; nothing listens on the Kafka and registry ports given
    Metrics registry = new Metrics();
    try (OptinServices services =
            OptinServices.start(
                settings(), EnumSet.allOf(ServiceName.class), OptinMetrics.on(registry));
        HttpGateway gateway =
            HttpGateway.open("127.0.0.1", 0, 4, List.of("t"), registry)
                .mount(services.services())) {

      // When the paths the port answers are compared with the document's
      Set<String> answered = prefixes(gateway.paths());
      Set<String> documented = prefixes(OpenApiContract.load().documentedPaths());

      // Then they are the same
      assertThat(documented).containsExactlyElementsOf(answered);
      assertThat(answered)
          .contains(
              "/v1/signups",
              "/v1/limits/blocked",
              "/v1/consent",
              "/internal/v1/outcomes",
              "/webhooks/twilio/status",
              "/webhooks/twilio/voice",
              "/openapi.json");
    }
  }

  /**
   * What routes by: the literal part of a path before its first parameter, without a trailing slash
   * ({@code /v1/subscribers/{phone}} and the route prefix {@code /v1/subscribers/} are both {@code
   * /v1/subscribers}).
   */
  private static Set<String> prefixes(List<String> paths) {
    return paths.stream()
        .map(path -> path.contains("{") ? path.substring(0, path.indexOf('{')) : path)
        .map(path -> path.endsWith("/") ? path.substring(0, path.length() - 1) : path)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private Settings settings() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("kafka.bootstrap.servers", "127.0.0.1:1");
    settings.put("kafka.max.block.ms", "1000");
    settings.put("schema.registry.url", "http://127.0.0.1:1");
    settings.put("public.base.url", "https://optin.example.com");
    settings.put("http.advertised.url", "http://127.0.0.1:1");
    settings.put("api.tokens", "t");
    settings.put("twilio.account.sid", "AC" + "0".repeat(32));
    settings.put("twilio.auth.token", "test-auth-token");
    settings.put("twilio.from", "+15005550006");
    settings.put("otp.secret", "test-otp-secret-of-at-least-32-bytes!");
    settings.put("streams.state.dir", dir.resolve("state").toString());
    Path file = dir.resolve("optin.properties");
    Files.writeString(
        file,
        settings.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n", "", "\n")));
    // The ledger's keys, generated as optin dev does.
    return DevAuditSecrets.loadOrCreate(
        Settings.load(OptinSettings.CATALOGUE, Optional.of(file), Map.of()), dir.resolve("keys"));
  }
}
