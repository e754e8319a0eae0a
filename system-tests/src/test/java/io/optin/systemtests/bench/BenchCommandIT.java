package io.optin.systemtests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.optin.devkit.DevkitCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code optin bench} run once, in-process, at a small size: every flow completes exactly once and
 * result.json and report.html hold every figure. It proves the command works; it asserts no timing.
 */
@Tag("bench")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BenchCommandIT {

  private static final String[] HOPS = {
    "signup_answered",
    "accepted_to_sms",
    "yes_answered",
    "yes_to_confirmed",
    "confirmed_to_ledger",
    "end_to_end"
  };

  @TempDir Path out;

  @Test
  void shouldCompleteEveryFlowOnceAndWriteTheFiguresAndTheReport() throws Exception {
    // Given the command line as main runs it, with an empty environment
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    CommandLine command =
        DevkitCommand.commandLine(Map.of())
            .setOut(new PrintWriter(stdout, true))
            .setErr(new PrintWriter(stderr, true));

    // When 50 signups a second for 4 s run open loop, with a small baseline (--verbose: leave the
    // JVM's log levels alone)
    int exit =
        command.execute(
            "bench",
            "--rate",
            "50",
            "--duration",
            "4s",
            "--baseline-records",
            "10000",
            "--out",
            out.toString(),
            "--verbose");

    // Then it passed, and says so
    String printed = stdout.toString();
    assertThat(exit).as(printed + stderr).isZero();
    assertThat(printed)
        .contains("PASSED: every flow completed exactly once.")
        .containsPattern("Complete flows/s: [\\d,.]+ \\(200 complete")
        .containsPattern("Pass-through baseline \\(exactly_once_v2, same broker, \\d+ partitions");

    // and result.json counts every flow complete, none lost or duplicated
    JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve("result.json")));
    assertThat(json.path("passed").asBoolean()).isTrue();
    assertThat(json.path("failures")).isEmpty();
    JsonNode flows = json.path("flows");
    assertThat(flows.path("started").asInt()).isEqualTo(200);
    for (String count :
        List.of("accepted", "smsAtProvider", "yesAnswered", "confirmed", "complete")) {
      assertThat(flows.path(count).asInt()).as(count).isEqualTo(200);
    }
    for (String count : List.of("refused", "unfinished", "lost")) {
      assertThat(flows.path(count).asInt()).as(count).isZero();
    }
    JsonNode duplicates = json.path("duplicates");
    assertThat(duplicates.path("confirmations").asInt()).isZero();
    assertThat(duplicates.path("sms").asInt()).isZero();
    assertThat(duplicates.path("ledger").asInt()).isZero();

    // with every hop timed for every flow, its percentiles present and in order
    List<String> hops = new ArrayList<>();
    for (JsonNode hop : json.path("hops")) {
      hops.add(hop.path("id").asText());
      assertThat(hop.path("count").asInt()).as(hop.path("id").asText()).isEqualTo(200);
      List<Double> percentiles =
          List.of(
              hop.path("p50").asDouble(),
              hop.path("p95").asDouble(),
              hop.path("p99").asDouble(),
              hop.path("p999").asDouble(),
              hop.path("max").asDouble());
      assertThat(percentiles).as(hop.path("id").asText()).isSorted().allMatch(ms -> ms >= 0);
      assertThat(hop.path("max").asDouble()).isPositive();
    }
    assertThat(hops).containsExactly(HOPS);

    // and throughput, the pass-through baseline, the ratio and the process's figures
    assertThat(json.path("throughput").path("completeFlowsPerSecond").asDouble()).isPositive();
    assertThat(json.path("throughput").path("drainEnd").asText()).isEqualTo("ALL_COMPLETE");
    assertThat(json.path("throughput").path("timeline")).isNotEmpty();
    assertThat(json.path("baseline").path("recordsPerSecond").asDouble()).isPositive();
    assertThat(json.path("baseline").path("records").asInt()).isEqualTo(10000);
    assertThat(json.path("ratio").asDouble()).isPositive();
    assertThat(json.path("process").path("cpuSeconds").asDouble()).isPositive();
    assertThat(json.path("process").path("peakRssMiB").asDouble()).isPositive();

    // and the report is there, self-contained
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("PASSED", "<svg")
        .doesNotContain("<script");
  }
}
