package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultJsonTest {

  @Test
  @SuppressWarnings("unchecked")
  void shouldWriteEveryFigureUnderItsDocumentedName() throws Exception {
    // Given
    BenchResult result = Results.sample("accepted → SMS", List.of("1 flows lost"));

    // When
    Map<String, Object> json = ResultJson.read(ResultJson.write(result));

    // Then
    assertThat(json)
        .containsEntry("format", 1)
        .containsEntry("command", "optin bench --flows 3")
        .containsEntry("startedAt", "2026-12-03T10:00:00Z")
        .containsEntry("target", "embedded")
        .containsEntry("passed", false)
        .containsEntry("failures", List.of("1 flows lost"))
        .containsEntry("options", Map.of("flows", 3, "via", "http"))
        .containsEntry("settings", Map.of("sms.rate.per.second", "10000"))
        .containsEntry("ratio", 0.5 / 2000.0);
    assertThat((Map<String, Object>) json.get("flows"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("started", 3),
                Map.entry("accepted", 3),
                Map.entry("refused", 0),
                Map.entry("smsAtProvider", 3),
                Map.entry("yesAnswered", 3),
                Map.entry("confirmed", 3),
                Map.entry("complete", 2),
                Map.entry("unfinished", 0),
                Map.entry("lost", 1),
                Map.entry("stuckAt", Map.of("not confirmed", 1)),
                Map.entry("refusedBy", Map.of())));
    assertThat((Map<String, Object>) json.get("duplicates"))
        .isEqualTo(Map.of("confirmations", 0, "sms", 0, "ledger", 0));
    List<Map<String, Object>> hops = (List<Map<String, Object>>) json.get("hops");
    assertThat(hops).extracting(h -> h.get("id")).containsExactly("accepted_to_sms", "end_to_end");
    Map<String, Object> hop = hops.get(0);
    assertThat(hop).containsEntry("label", "accepted → SMS").containsEntry("count", 1000);
    assertThat(
            List.of(
                (Double) hop.get("p50"),
                (Double) hop.get("p95"),
                (Double) hop.get("p99"),
                (Double) hop.get("p999"),
                (Double) hop.get("max")))
        .isSorted()
        .allMatch(ms -> ms > 0);
    assertThat((List<?>) hop.get("distribution")).hasSize(LatencySummary.CURVE.length);
    Map<String, Object> throughput = (Map<String, Object>) json.get("throughput");
    assertThat(throughput)
        .containsEntry("completeFlowsPerSecond", 0.5)
        .containsEntry("offeredPerSecond", 1.0)
        .containsEntry("drainEnd", "QUIET");
    assertThat((List<Map<String, Object>>) throughput.get("timeline"))
        .containsExactly(
            Map.of(
                "second",
                0,
                "sent",
                2,
                "accepted",
                2,
                "sms",
                1,
                "confirmed",
                0,
                "complete",
                0,
                "cpuPercent",
                150.0,
                "rssMiB",
                500.0),
            Map.of(
                "second",
                1,
                "sent",
                1,
                "accepted",
                1,
                "sms",
                2,
                "confirmed",
                2,
                "complete",
                2,
                "cpuPercent",
                90.0,
                "rssMiB",
                510.0));
    assertThat((Map<String, Object>) json.get("baseline"))
        .containsEntry("topology", "exactly_once_v2 pass-through")
        .containsEntry("partitions", 6)
        .containsEntry("records", 1000)
        .containsEntry("recordBytes", 296)
        .containsEntry("recordsPerSecond", 2000.0);
    assertThat((Map<String, Object>) json.get("process"))
        .containsEntry("cpuSeconds", 12.5)
        .containsEntry("peakRssMiB", 520.0)
        .containsEntry("includesOptin", true);
  }
}
