package io.optin.replies;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.domain.otp.OtpCodes;
import io.optin.domain.otp.SubjectKeys;
import io.optin.kit.config.Settings;
import io.optin.kit.http.HttpRoute;
import io.optin.kit.testing.LocalHttpServer;
import io.optin.schemas.registry.InMemorySchemaRegistryClient;
import io.optin.schemas.serde.AvroSerdes;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's wiring, before it reaches any broker: its routes answer, and say so when stores are
 * not ready.
 */
class RepliesServiceTest {

  @TempDir Path stateDir;

  @Test
  void shouldMountItsFourRoutesAndAnswerBeforeTheStreamsRun() throws Exception {
    RepliesConfig config =
        RepliesConfig.from(
            Settings.defaults(RepliesSettings.CATALOGUE)
                .with(
                    Map.of(
                        "kafka.bootstrap.servers", "127.0.0.1:1",
                        "streams.state.dir", stateDir.toString(),
                        "public.base.url", "https://optin.example.com",
                        "twilio.auth.token", "test-auth-token"),
                    "test"));
    OtpCodes codes =
        new OtpCodes("test-otp-secret-not-for-production-use".getBytes(StandardCharsets.UTF_8), 6);

    try (RepliesService service =
            new RepliesService(
                config,
                new AvroSerdes(new InMemorySchemaRegistryClient(), true),
                codes,
                new SubjectKeys(
                    "test-subject-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8)));
        LocalHttpServer server = new LocalHttpServer(service.routes())) {

      assertThat(service.routes())
          .extracting(HttpRoute::pathPrefix)
          .containsExactly(
              "/webhooks/twilio/inbound",
              "/webhooks/twilio/voice",
              "/v1/verifications",
              "/v1/subscribers/");
      assertThat(service.streamsState()).isEqualTo(KafkaStreams.State.CREATED);
      assertThat(service.ready()).isFalse();
      assertThat(service.live()).isTrue();
      assertThat(
              server
                  .send(
                      HttpRequest.newBuilder(server.uri("/v1/subscribers/%2B14155550100"))
                          .GET()
                          .build())
                  .statusCode())
          .isEqualTo(503);
      assertThat(
              server
                  .send(
                      HttpRequest.newBuilder(server.uri("/webhooks/twilio/inbound"))
                          .header("Content-Type", "application/x-www-form-urlencoded")
                          .POST(
                              HttpRequest.BodyPublishers.ofString(
                                  "MessageSid=SM1&From=%2B14155550100&Body=YES"))
                          .build())
                  .statusCode())
          .isEqualTo(403);
    }
  }
}
