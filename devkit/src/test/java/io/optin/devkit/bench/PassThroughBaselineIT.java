package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.devkit.embedded.EmbeddedKafkaBroker;
import io.optin.devkit.embedded.SharedBroker;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedBroker.class)
class PassThroughBaselineIT {

  private static final String SIGNUPS = "pass-through-baseline-it.signups";

  @Test
  void shouldCopyEveryRecordExactlyOnceAndLeaveNothingBehind(EmbeddedKafkaBroker broker)
      throws Exception {
    // Given a signup topic of 3 partitions
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(SIGNUPS, Optional.of(3), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);

      // When the baseline copies 3,000 records of 300 bytes
      BenchResult.Baseline baseline =
          PassThroughBaseline.run(broker.bootstrapServers(), SIGNUPS, 3_000, 300);

      // Then it copied them all, on as many partitions, and measured a rate
      assertThat(baseline.partitions()).isEqualTo(3);
      assertThat(baseline.records()).isEqualTo(3_000);
      assertThat(baseline.recordBytes()).isEqualTo(300);
      assertThat(baseline.seconds()).isPositive();
      assertThat(baseline.recordsPerSecond()).isEqualTo(3_000 / baseline.seconds());
      assertThat(baseline.inputTopic()).startsWith("optin-bench.pass-through-in.");
      // and deleted its topics
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .noneMatch(name -> name.startsWith("optin-bench.pass-through-"));
    }
  }
}
