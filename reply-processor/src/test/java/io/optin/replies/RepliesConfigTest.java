package io.optin.replies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.avro.ReplyIntent;
import io.optin.kit.config.ProcessSettings;
import io.optin.kit.config.Settings;
import io.optin.kit.config.SettingsException;
import io.optin.replies.matching.ReplyTopologyConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepliesConfigTest {

  @TempDir Path dir;

  @Test
  void shouldReadTheReplySettingsAndKeywordsFromTheFile() throws Exception {
    // Given
    Path file = dir.resolve("optin.properties");
    Files.writeString(
        file,
        "twilio.auth.token=test-auth-token\notp.max.attempts=3\notp.expiry.grace=2s\n"
            + "replies.answer.wait=1s\nreplies.publish.timeout=2s\nreplies.dedupe.retention=2d\n"
            + "replies.outcome.retention=30m\nreplies.closed.retention=3d\n"
            + "replies.keywords.confirm.*.fr=D'ACCORD\nkafka.bootstrap.servers=broker:9092\n"
            + "public.base.url=https://optin.example.com\nprograms.allowed=acme,news\n"
            + "instance.id=replies-1\nstreams.rocksdb.memory.mb=64\n"
            + "streams.state.dir="
            + dir.resolve("state")
            + "\n");

    // When
    RepliesConfig replies =
        RepliesConfig.from(Settings.load(RepliesSettings.CATALOGUE, Optional.of(file), Map.of()));

    // Then
    assertThat(replies.topology())
        .isEqualTo(
            new ReplyTopologyConfig(
                3,
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                Duration.ofDays(2),
                Duration.ofMinutes(30),
                Duration.ofDays(3),
                Duration.ofMinutes(1)));
    assertThat(replies.kafkaClientSettings())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "bootstrap.servers",
                "broker:9092",
                "state.dir",
                dir.resolve("state").toString(),
                "group.instance.id",
                "replies-1",
                "optin.rocksdb.memory.bytes",
                Long.toString(64L << 20)));
    assertThat(replies.publicBaseUrl()).isEqualTo("https://optin.example.com");
    assertThat(replies.twilioAuthToken()).isEqualTo("test-auth-token");
    assertThat(replies.answerWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(replies.publishTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(replies.recentIdCapacity()).isEqualTo(RepliesConfig.RECENT_ID_CAPACITY);
    assertThat(replies.allowedPrograms()).containsExactlyInAnyOrder("acme", "news");
    assertThat(replies.keywords().words(ReplyIntent.CONFIRM, "acme", "fr-CA"))
        .contains("DACCORD", "YES");
  }

  @Test
  void shouldTakeTheDocumentedDefaultsWhenOnlyTheTokenIsSet() {
    // When
    RepliesConfig replies = RepliesConfig.from(settings(Map.of()));

    // Then
    assertThat(replies.topology())
        .isEqualTo(
            new ReplyTopologyConfig(
                5,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofDays(7),
                Duration.ofHours(1),
                Duration.ofDays(7),
                Duration.ofMinutes(1)));
    assertThat(replies.publicBaseUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(replies.answerWait()).isEqualTo(Duration.ofSeconds(3));
    assertThat(replies.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(replies.allowedPrograms()).isEmpty();
    assertThat(replies.kafkaClientSettings())
        .containsOnlyKeys("state.dir", "group.instance.id", "optin.rocksdb.memory.bytes")
        .containsEntry("state.dir", Path.of(".optin/state").toAbsolutePath().toString())
        .containsEntry(
            "group.instance.id",
            ProcessSettings.instanceId(Settings.defaults(RepliesSettings.CATALOGUE)))
        .containsEntry("optin.rocksdb.memory.bytes", Long.toString(128L << 20));
  }

  @Test
  void shouldLetHalfTheWebhookLaneOfTheConfiguredPortWaitForOutcomes() {
    // Given the default port (32 threads, a webhook lane of 4 × 32) and larger and smallest ones
    // When / Then
    assertThat(RepliesConfig.from(settings(Map.of())).maxWaitingAnswers()).isEqualTo(64);
    assertThat(RepliesConfig.from(settings(Map.of("http.threads", "100"))).maxWaitingAnswers())
        .isEqualTo(200);
    assertThat(RepliesConfig.from(settings(Map.of("http.threads", "16"))).maxWaitingAnswers())
        .isEqualTo(32);
    assertThat(RepliesConfig.from(settings(Map.of("http.threads", "100"))).toString())
        .endsWith(", maxWaitingAnswers=200]");
  }

  @Test
  void shouldRouteQueriesOnlyWithAnAdvertisedUrlAndSendTheFirstTokenToPeers() {
    // Given no advertised URL: one instance, every query answered locally
    RepliesConfig alone = RepliesConfig.from(settings(Map.of()));
    assertThat(alone.advertisedUrl()).isEmpty();
    assertThat(alone.peerToken()).isEmpty();

    // When the process advertises its address and has tokens
    RepliesConfig routed =
        RepliesConfig.from(
            settings(
                Map.of(
                    "http.advertised.url",
                    "http://replies-1.internal:8080",
                    "api.tokens",
                    " first-token ,second-token")));

    // Then
    assertThat(routed.advertisedUrl()).contains(URI.create("http://replies-1.internal:8080"));
    assertThat(routed.peerToken()).contains("first-token");
    assertThat(routed.toString())
        .contains("advertisedUrl=http://replies-1.internal:8080, peerToken=<redacted>")
        .doesNotContain("first-token");
  }

  @Test
  void shouldRefuseAnAdvertisedUrlOtherInstancesCouldNotCall() {
    for (String bad :
        List.of("replies-1:8080", "https://replies-1:8443", "http://replies-1", "http://r:1/x")) {
      assertThatThrownBy(() -> settings(Map.of("http.advertised.url", bad)))
          .as(bad)
          .isInstanceOf(SettingsException.class)
          .hasMessageEndingWith(
              "must be http://host:port, with no path (the instances call each other over plain "
                  + "HTTP on their own network)");
    }
  }

  @Test
  void shouldRefuseRepliesWithoutTheTokenThatSignsWebhooks() {
    assertThatThrownBy(() -> RepliesConfig.from(Settings.defaults(RepliesSettings.CATALOGUE)))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "twilio.auth.token is not set: set it in the --config file or with the environment "
                + "variable OPTIN_TWILIO_AUTH_TOKEN");
  }

  @Test
  void shouldReadTheStopScopeAllByDefaultOrProgram() {
    assertThat(RepliesConfig.from(settings(Map.of())).topology().stopScope())
        .isEqualTo(ReplyTopologyConfig.StopScope.ALL);
    assertThat(
            RepliesConfig.from(settings(Map.of("replies.stop.scope", "program")))
                .topology()
                .stopScope())
        .isEqualTo(ReplyTopologyConfig.StopScope.PROGRAM);
  }

  @Test
  void shouldRefuseBadValuesNamingTheSetting() {
    assertThatThrownBy(() -> settings(Map.of("otp.max.attempts", "0")))
        .isInstanceOf(SettingsException.class)
        .hasMessage("otp.max.attempts=0 from test: must be between 1 and 20");
    assertThatThrownBy(() -> settings(Map.of("replies.stop.scope", "phone")))
        .isInstanceOf(SettingsException.class)
        .hasMessage("replies.stop.scope=phone from test: must be all or program");
    assertThatThrownBy(() -> settings(Map.of("replies.answer.wait", "11s")))
        .isInstanceOf(SettingsException.class)
        .hasMessage("replies.answer.wait=11s from test: must be between 0s and 10s");
    assertThatThrownBy(
            () -> RepliesConfig.from(settings(Map.of("replies.keywords.confirm.fr", "OUI"))))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("replies.keywords.confirm.fr: expected replies.keywords.");
    assertThatThrownBy(() -> settings(Map.of("programs.allowed", "acme,acme:deals")))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "programs.allowed=acme,acme:deals from test: must be program ids: visible ASCII "
                + "without ':', at most 128 characters (not [acme:deals])");
  }

  private static Settings settings(Map<String, String> values) {
    return Settings.defaults(RepliesSettings.CATALOGUE)
        .with(Map.of("twilio.auth.token", "test-auth-token"), "test")
        .with(values, "test");
  }
}
