package io.optin.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.kit.http.HttpRoute;
import io.optin.server.OptinSettings;
import io.optin.server.stack.ServiceName;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Outside dev, no {@code /v1/*} route is served without {@code api.tokens}. */
class RunCommandTest {

  private static final HttpHandler NO_ANSWER = exchange -> exchange.close();

  private final Settings withoutTokens = Settings.defaults(OptinSettings.CATALOGUE);
  private final Settings withTokens =
      Settings.load(OptinSettings.CATALOGUE, Optional.empty(), Map.of("OPTIN_API_TOKENS", "t1"));

  @Test
  void shouldRequireTokensForEveryServiceServingTheApi() {
    // Given every service that mounts a /v1/ route
    for (ServiceName name : List.of(ServiceName.INGEST, ServiceName.REPLIES, ServiceName.AUDIT)) {
      // When it runs without tokens, Then it does not start
      assertThatThrownBy(() -> RunCommand.requireTokensForTheApi(withoutTokens, EnumSet.of(name)))
          .isInstanceOf(SettingsException.class)
          .hasMessageStartingWith("api.tokens must be set when " + name.word() + " runs: ");
      // When it runs with tokens, Then it starts
      assertThatCode(() -> RunCommand.requireTokensForTheApi(withTokens, EnumSet.of(name)))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void shouldNameEveryServiceThatServesTheApi() {
    assertThatThrownBy(
            () ->
                RunCommand.requireTokensForTheApi(withoutTokens, EnumSet.allOf(ServiceName.class)))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("api.tokens must be set when ingest, replies and audit run: ");
  }

  @Test
  void shouldRunTheWebhookServicesWithoutTokens() {
    // Given the dispatcher and the sender, which serve only signed webhooks
    assertThatCode(
            () ->
                RunCommand.requireTokensForTheApi(
                    withoutTokens, EnumSet.of(ServiceName.DISPATCHER, ServiceName.SENDER)))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                RunCommand.requireTokensForTheRoutes(
                    withoutTokens, List.of(new HttpRoute("/webhooks/twilio/status", NO_ANSWER))))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRefuseAnyStartedApiRouteWithoutTokens() {
    // Given routes as started, one under /v1/
    List<HttpRoute> routes =
        List.of(
            new HttpRoute("/webhooks/twilio/status", NO_ANSWER),
            new HttpRoute("/v1/consent/", NO_ANSWER));

    // Then they are refused without tokens and accepted with them
    assertThatThrownBy(() -> RunCommand.requireTokensForTheRoutes(withoutTokens, routes))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("api.tokens must be set when routes /v1/consent/ are served: ");
    assertThatCode(() -> RunCommand.requireTokensForTheRoutes(withTokens, routes))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRefuseAStartedInternalRouteWithoutTokens() {
    // Given the route other instances ask the owner of a phone on
    List<HttpRoute> routes = List.of(new HttpRoute("/internal/v1/statuses/", NO_ANSWER));

    // Then it is never open to whoever reaches the port
    assertThatThrownBy(() -> RunCommand.requireTokensForTheRoutes(withoutTokens, routes))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith(
            "api.tokens must be set when routes /internal/v1/statuses/ are served: ");
  }

  @Test
  void shouldKnowWhichServicesServeTheApi() {
    assertThat(EnumSet.allOf(ServiceName.class).stream().filter(ServiceName::servesApi))
        .containsExactly(ServiceName.INGEST, ServiceName.REPLIES, ServiceName.AUDIT);
  }
}
