package io.optin.server.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.kit.http.HttpGateway;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.metrics.Metrics;
import io.optin.kit.metrics.OptinMetrics;
import io.optin.kit.testing.TwilioSigner;
import io.optin.kit.twilio.TwilioSignatureCheck;
import io.optin.server.OptinSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender serves Twilio's status callbacks, checked against its own settings, before it reaches
 * any broker: nothing listens on the Kafka and registry ports given.
 */
class SenderStatusRouteTest {

  private static final String AUTH_TOKEN = "test-auth-token";
  private static final String PUBLIC_BASE = "https://optin.example.com";
  private static final String STATUS_PATH = "/webhooks/twilio/status";

  @TempDir Path dir;

  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void shouldServeTheStatusWebhookFromTheSenderWithItsSignatureCheck() throws Exception {
    // Given the sender alone, mounted on the process's port
    Metrics registry = new Metrics();
    try (OptinServices services =
            OptinServices.start(
                settings(Map.of("twilio.auth.token", AUTH_TOKEN)),
                EnumSet.of(ServiceName.SENDER),
                OptinMetrics.on(registry));
        HttpGateway gateway =
            HttpGateway.open("127.0.0.1", 0, 4, List.of(), registry).mount(services.services())) {

      // Then it is the one route of the process
      assertThat(services.routes()).extracting(HttpRoute::pathPrefix).containsExactly(STATUS_PATH);

      // When Twilio's callback comes signed with another token
      Map<String, String> form = callback();
      HttpResponse<String> forged =
          post(
              gateway,
              form,
              new TwilioSigner("not-our-token").sign(PUBLIC_BASE + STATUS_PATH, form));

      // Then it is refused and counted
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(registry.render())
          .contains("optin_webhooks_forged_total{webhook=\"status\"} 1.0\n");

      // When it comes signed with the sender's token, for the URL under public.base.url
      HttpResponse<String> signed =
          post(gateway, form, new TwilioSigner(AUTH_TOKEN).sign(PUBLIC_BASE + STATUS_PATH, form));

      // Then the signature passes, and only Kafka (unreachable here) keeps the status from being
      // written: Twilio is asked to retry
      assertThat(signed.statusCode()).isEqualTo(503);
      assertThat(signed.body()).isEqualTo("try again later");
    }
  }

  @Test
  void shouldRefuseToStartTheSenderWithoutTheTokenThatSignsItsCallbacks() throws Exception {
    // Given SMS sent with an API key, and no auth token
    Settings withApiKey =
        settings(Map.of("twilio.api.key.sid", "SK" + "0".repeat(32), "twilio.api.key.secret", "s"));

    // Then
    assertThatThrownBy(
            () ->
                OptinServices.start(
                    withApiKey, EnumSet.of(ServiceName.SENDER), OptinMetrics.unexposed()))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("twilio.auth.token");
  }

  private Settings settings(Map<String, String> extra) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("kafka.bootstrap.servers", "127.0.0.1:1");
    // The sender's transactional producer gives up at once on the missing broker.
    settings.put("kafka.max.block.ms", "1000");
    settings.put("schema.registry.url", "http://127.0.0.1:1");
    settings.put("public.base.url", PUBLIC_BASE);
    settings.put("twilio.account.sid", "AC" + "0".repeat(32));
    settings.put("twilio.from", "+15005550006");
    settings.put("otp.secret", "test-otp-secret-of-at-least-32-bytes!");
    settings.put("replies.publish.timeout", "1s");
    settings.put("streams.state.dir", dir.resolve("state").toString());
    settings.putAll(extra);
    Path file = dir.resolve("optin.properties");
    Files.writeString(
        file,
        settings.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n", "", "\n")));
    return Settings.load(OptinSettings.CATALOGUE, Optional.of(file), Map.of());
  }

  private static Map<String, String> callback() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", "SM1");
    form.put("To", "+14155550100");
    form.put("MessageStatus", "delivered");
    return form;
  }

  private HttpResponse<String> post(HttpGateway gateway, Map<String, String> form, String signature)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(gateway.url() + STATUS_PATH))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(TwilioSignatureCheck.HEADER, signature)
            .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.encode(form)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
