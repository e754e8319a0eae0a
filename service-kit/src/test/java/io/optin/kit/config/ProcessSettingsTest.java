package io.optin.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optin.kit.streams.BoundedRocksDbMemory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
}
