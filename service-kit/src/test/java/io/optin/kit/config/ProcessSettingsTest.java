package io.optin.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.streams.BoundedRocksDbMemory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The Kafka client settings every Streams app and the sender's consumer are given. */
class ProcessSettingsTest {

  private static Settings load(Map<String, String> environment) {
    return Settings.load(ProcessSettings.CATALOGUE, Optional.empty(), environment);
  }

  @Test
  void shouldGiveTheStreamsAppsTheInstanceIdStateDirectoryAndRocksDbBudgetBesideTheKafkaKeys() {
    // Given an instance id, a state directory, a RocksDB budget and a Kafka key
    Settings settings =
        load(
            Map.of(
                "OPTIN_INSTANCE_ID", "optin-2",
                "OPTIN_STREAMS_STATE_DIR", "/var/lib/optin/state",
                "OPTIN_STREAMS_ROCKSDB_MEMORY_MB", "256",
                "OPTIN_KAFKA_COMMIT_INTERVAL_MS", "100"));

    // When the Streams client settings are built
    Map<String, String> clients = ProcessSettings.streamsClients(settings);

    // Then each is there under its Kafka name
    assertThat(clients)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "bootstrap.servers",
                "127.0.0.1:9092",
                "commit.interval.ms",
                "100",
                "state.dir",
                "/var/lib/optin/state",
                "group.instance.id",
                "optin-2",
                BoundedRocksDbMemory.MEMORY_BYTES_CONFIG,
                Long.toString(256L << 20)));
  }

  @Test
  void shouldLetAKafkaGroupInstanceIdWinOverTheInstanceId() {
    Settings settings =
        load(Map.of("OPTIN_INSTANCE_ID", "optin-2", "OPTIN_KAFKA_GROUP_INSTANCE_ID", "pod-7"));

    assertThat(ProcessSettings.streamsClients(settings))
        .containsEntry("group.instance.id", "pod-7");
    assertThat(ProcessSettings.staticMemberClients(settings, "optin-sender-a"))
        .containsEntry("group.instance.id", "pod-7");
  }

  @Test
  void shouldDeriveAStableInstanceIdThatDiffersByStateDirectoryWhenNoneIsSet() {
    // Given two installations on one host, each started twice
    Settings first = load(Map.of("OPTIN_STREAMS_STATE_DIR", "/srv/a/state"));
    Settings again = load(Map.of("OPTIN_STREAMS_STATE_DIR", "/srv/a/../a/state"));
    Settings other = load(Map.of("OPTIN_STREAMS_STATE_DIR", "/srv/b/state"));

    // Then a restart keeps its id and two state directories never share one
    String id = ProcessSettings.instanceId(first);
    assertThat(id).matches("[A-Za-z0-9._-]{1,100}");
    assertThat(ProcessSettings.instanceId(again)).isEqualTo(id);
    assertThat(ProcessSettings.instanceId(other)).isNotEqualTo(id);
    assertThat(ProcessSettings.stateDir(first)).isEqualTo(Path.of("/srv/a/state"));
  }

  @Test
  void shouldGiveAStaticMemberItsOwnIdAndTheKafkaKeys() {
    Settings settings = load(Map.of("OPTIN_KAFKA_SECURITY_PROTOCOL", "SSL"));

    assertThat(ProcessSettings.staticMemberClients(settings, "optin-sender-dev"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "security.protocol", "SSL",
                "group.instance.id", "optin-sender-dev"));
  }

  @Test
  void shouldRefuseAnInstanceIdKafkaWouldNot() {
    assertThatThrownBy(() -> load(Map.of("OPTIN_INSTANCE_ID", "two words")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("instance.id");
  }

  @Test
  void shouldHaveNoManagementPortUnlessOneIsSet() {
    // Given nothing set, then -1 set
    Settings unset = load(Map.of());
    Settings none = load(Map.of("OPTIN_HTTP_MANAGEMENT_PORT", "-1"));

    // Then health and metrics stay on the public port alone
    assertThat(unset.integer(ProcessSettings.HTTP_MANAGEMENT_PORT)).isEqualTo(-1);
    assertThat(ProcessSettings.managementPort(unset)).isEqualTo(OptionalInt.empty());
    assertThat(ProcessSettings.managementPort(none)).isEqualTo(OptionalInt.empty());
  }

  @Test
  void shouldGiveTheManagementPortWhenItDiffersFromTheHttpPortOrIsAnyFreePort() {
    assertThat(ProcessSettings.managementPort(load(Map.of("OPTIN_HTTP_MANAGEMENT_PORT", "9464"))))
        .isEqualTo(OptionalInt.of(9464));
    // Both any free port: two different ones are bound.
    assertThat(
            ProcessSettings.managementPort(
                load(Map.of("OPTIN_HTTP_PORT", "0", "OPTIN_HTTP_MANAGEMENT_PORT", "0"))))
        .isEqualTo(OptionalInt.of(0));
  }

  @Test
  void shouldRefuseAManagementPortThatIsTheHttpPort() {
    // Given the management port set to the public port
    Settings clash = load(Map.of("OPTIN_HTTP_PORT", "9000", "OPTIN_HTTP_MANAGEMENT_PORT", "9000"));

    // Then
    assertThatThrownBy(() -> ProcessSettings.managementPort(clash))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "http.management.port=9000 from environment variable OPTIN_HTTP_MANAGEMENT_PORT is "
                + "also http.port: the management port must be another port (or -1 for none, 0 "
                + "for any free port); set OPTIN_HTTP_MANAGEMENT_PORT=<port>");
    // And the default public port is caught too
    assertThatThrownBy(
            () ->
                ProcessSettings.managementPort(load(Map.of("OPTIN_HTTP_MANAGEMENT_PORT", "8080"))))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("http.management.port=8080 from environment variable");
  }

  @Test
  void shouldRefuseAManagementPortOutOfRange() {
    assertThatThrownBy(() -> load(Map.of("OPTIN_HTTP_MANAGEMENT_PORT", "-2")))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("http.management.port")
        .hasMessageContaining("must be between -1 and 65535");
  }
}
