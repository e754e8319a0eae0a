package io.optin.server.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.server.topics.ProvisioningReport.Outcome;
import io.optin.server.topics.ProvisioningReport.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvisioningReportTest {

  @Test
  void shouldPrintOneAlignedLinePerTopic() {
    // Given
    ProvisioningReport report =
        new ProvisioningReport(
            List.of(
                new Outcome("optin.a.v1", Result.CREATED, 6, 1, "delete, retention 30d"),
                new Outcome("optin.longer-name.v1", Result.EXISTS, 6, 3, "compact")));

    // When
    List<String> lines = report.table().lines().toList();

    // Then
    assertThat(lines)
        .containsExactly(
            "TOPIC                 PARTITIONS  REPLICAS  RESULT       DETAIL",
            "optin.a.v1                     6         1  created      delete, retention 30d",
            "optin.longer-name.v1           6         3  exists       compact");
    assertThat(report.succeeded()).isTrue();
  }

  @Test
  void shouldFailWhenAnyTopicIsInError() {
    // Given
    ProvisioningReport report =
        new ProvisioningReport(
            List.of(
                new Outcome("optin.a.v1", Result.ERROR, 3, 1, "has 3 partitions"),
                new Outcome("optin.b.v1", Result.SKIPPED, 0, 0, "missing")));

    // Then
    assertThat(report.succeeded()).isFalse();
    assertThat(report.withResult(Result.SKIPPED))
        .extracting(Outcome::topic)
        .containsExactly("optin.b.v1");
    assertThat(report.table()).contains("optin.b.v1", "-         -  not created");
  }
}
