package io.optin.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class LedgerArchiverConfigTest {

  @Test
  void shouldReadCommittedRecordsWithoutAGroupAndNeverJumpPastAMissingPosition() {
    // Given client settings that name a group and ask for auto-commit and latest
    Map<String, Object> config =
        LedgerArchiver.consumerConfig(
            "files",
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092",
                ConsumerConfig.GROUP_ID_CONFIG, "someone-elses-group",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"));

    // Then the archiver's own rules win: its positions come from the archive only
    assertThat(config)
        .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG)
        .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none")
        .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "optin-archiver-files");
  }
}
