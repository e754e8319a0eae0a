package io.optin.kit.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The latency and memory defaults of every Streams app, and what a setting may change of them. */
class StreamsConfigsTest {

  @Test
  void shouldCommitEvery50MsPollEvery20MsAndBoundRocksDbByDefault() {
    Properties props = StreamsConfigs.forApplication("optin-test", Map.of());

    assertThat(props)
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50")
        .containsEntry(StreamsConfig.POLL_MS_CONFIG, "20")
        .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class)
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
  }

  @Test
  void shouldLetSettingsOverrideTheLatencyDefaultsButNeverExactlyOnce() {
    Properties props =
        StreamsConfigs.forApplication(
            "optin-test",
            Map.of(
                "commit.interval.ms", "200",
                "poll.ms", "100",
                "processing.guarantee", "at_least_once"));

    assertThat(props)
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200")
        .containsEntry(StreamsConfig.POLL_MS_CONFIG, "100")
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
  }

  @Test
  void shouldReadTheRocksDbBudgetInBytesWithA128MiBDefault() {
    assertThat(BoundedRocksDbMemory.memoryBytes(Map.of())).isEqualTo(128L << 20);
    assertThat(
            BoundedRocksDbMemory.memoryBytes(
                Map.of(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, Long.toString(64L << 20))))
        .isEqualTo(64L << 20);
  }
}
