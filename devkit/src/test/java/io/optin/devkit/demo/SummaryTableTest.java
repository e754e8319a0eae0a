package io.optin.devkit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.optin.avro.ConsentEventType;
import io.optin.devkit.demo.DemoSummary.Mismatch;
import io.optin.devkit.demo.DemoSummary.PathResult;
import io.optin.devkit.demo.LatencyRecorder.Percentiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

  private static final Percentiles SMS =
      new Percentiles(
          6,
          Duration.ofMillis(41),
          Duration.ofMillis(120),
          Duration.ofMillis(180),
          Duration.ofMillis(1250));
  private static final AuditCheck.Verdict NOT_VERIFIED =
      new AuditCheck.Verdict(false, "not verified");

  @Test
  void shouldRenderOneRowPerPathThenTheTotalLatenciesAndAPass() {
    // Given every subscriber of a 10-subscriber run as expected
    DemoSummary summary = summary(allMatched(), List.of(), Map.of(), 0);

    // When
    List<String> lines = SummaryTable.render(summary).lines().toList();

    // Then
    assertThat(lines)
        .startsWith(
            "PATH                       DRIVEN  EXPECTED OUTCOME                                     OBSERVED  RESULT",
            "reply YES                       1  confirmed once by YES                                       1  OK",
            "reply the code                  1  confirmed once by code reply                                1  OK",
            "type the code                   1  confirmed once by code entry                                1  OK",
            "reply STOP                      1  closed REJECTED (opted out by STOP), new signup 409         1  OK",
            "never answer                    1  closed EXPIRED                                              1  OK",
            "answer late                     1  late YES answered expired, closed EXPIRED                   1  OK",
            "invalid number                  1  400 at signup, reject recorded                              1  OK",
            "number refused by carrier       1  SMS failed (21211), closed EXPIRED                          1  OK",
            "landline, press 1               1  SMS failed (30006), confirmed once by key 1 on call         1  OK",
            "filtered, YES on WhatsApp       1  SMS failed (30007), confirmed once by WhatsApp YES          1  OK",
            "TOTAL                          10                                                             10  OK",
            "",
            "LATENCY                          COUNT       P50       P95       P99       MAX",
            "signup accepted -> SMS at phone      6     41 ms    120 ms    180 ms     1.3 s",
            "answer sent -> confirmation          0         -         -         -         -",
            "");
    assertThat(lines)
        .endsWith(
            "Consent audit: no records. Audit chain: not verified.",
            "Confirmations of no demo subscriber: 0. Dead letters: 0.",
            "Confirmation window 20.0 s. Stack started in 4.2 s; wall time 43.0 s.",
            "PASSED: all 10 subscribers ended as their path requires.");
    assertThat(summary.passed()).isTrue();
  }

  @Test
  void shouldMarkAPathWithAnUnexpectedOutcomeAndSayWhatWasObserved() {
    // Given the "never answer" subscriber confirmed
    List<PathResult> paths = allMatched();
    paths.set(4, new PathResult(DemoPath.NO_ANSWER, 1, 0));
    DemoSubscriber neverAnswered = DemoPlan.of(10).on(DemoPath.NO_ANSWER).get(0);
    DemoSummary summary =
        summary(paths, List.of(new Mismatch(neverAnswered, "confirmed once by YES")), Map.of(), 0);

    // When
    String table = SummaryTable.render(summary);

    // Then
    assertThat(table.lines())
        .contains(
            "never answer                    1  closed EXPIRED                                              0  MISMATCH",
            "TOTAL                          10                                                              9  MISMATCH",
            "Not as expected:",
            "  #5 never answer, " + neverAnswered.phone() + " demo: confirmed once by YES",
            "FAILED: 1 of 10 subscribers did not end as their path requires.");
    assertThat(summary.passed()).isFalse();
  }

  @Test
  void shouldListTwentyMismatchesAndCountTheRest() {
    List<Mismatch> mismatches = new ArrayList<>();
    for (DemoSubscriber subscriber : DemoPlan.of(25).subscribers()) {
      mismatches.add(new Mismatch(subscriber, "still open"));
    }

    List<String> lines =
        SummaryTable.render(summary(allMatched(), mismatches, Map.of(), 0)).lines().toList();

    assertThat(lines.stream().filter(l -> l.endsWith(": still open"))).hasSize(20);
    assertThat(lines).contains("  ... and 5 more");
  }

  @Test
  void shouldFailAConfirmationOfSomeoneTheDemoNeverSignedUp() {
    DemoSummary summary = summary(allMatched(), List.of(), Map.of(), 2);

    assertThat(summary.passed()).isFalse();
    assertThat(SummaryTable.render(summary).lines())
        .contains(
            "Confirmations of no demo subscriber: 2. Dead letters: 0.",
            "FAILED: 0 of 10 subscribers did not end as their path requires; 2 confirmations of no demo subscriber.");
  }

  @Test
  void shouldCountTheConsentAuditPerEventTypeInTheEnumOrder() {
    DemoSummary summary =
        summary(
            allMatched(),
            List.of(),
            Map.of(
                ConsentEventType.SENT,
                6,
                ConsentEventType.REQUESTED,
                7,
                ConsentEventType.CONFIRMED,
                3),
            0);

    assertThat(SummaryTable.render(summary).lines())
        .contains(
            "Consent audit: 16 records (REQUESTED 7, SENT 6, CONFIRMED 3). Audit chain: not verified.");
  }

  @Test
  void shouldFailWhenTheAuditChainIsBroken() {
    DemoSummary summary =
        new DemoSummary(
            allMatched(),
            List.of(),
            SMS,
            Percentiles.NONE,
            Map.of(),
            new AuditCheck.Verdict(true, "broken at sequence 12"),
            0,
            0,
            Duration.ofSeconds(20),
            Duration.ofMillis(4200),
            Duration.ofSeconds(43));

    assertThat(summary.passed()).isFalse();
    assertThat(SummaryTable.render(summary))
        .contains("Audit chain: broken at sequence 12.")
        .contains(
            "FAILED: 0 of 10 subscribers did not end as their path requires; the audit chain is broken.");
  }

  @Test
  void shouldWriteShortDurationsInMillisecondsAndLongOnesInSeconds() {
    assertThat(SummaryTable.duration(Duration.ofNanos(999_999_999))).isEqualTo("999 ms");
    assertThat(SummaryTable.duration(Duration.ofMillis(1000))).isEqualTo("1.0 s");
    assertThat(SummaryTable.duration(Duration.ofMillis(61_260))).isEqualTo("61.3 s");
  }

  private static List<PathResult> allMatched() {
    List<PathResult> paths = new ArrayList<>();
    for (DemoPath path : DemoPath.values()) {
      paths.add(new PathResult(path, 1, 1));
    }
    return paths;
  }

  private static DemoSummary summary(
      List<PathResult> paths,
      List<Mismatch> mismatches,
      Map<ConsentEventType, Integer> audit,
      int unplanned) {
    return new DemoSummary(
        paths,
        mismatches,
        SMS,
        Percentiles.NONE,
        audit,
        NOT_VERIFIED,
        unplanned,
        0,
        Duration.ofSeconds(20),
        Duration.ofMillis(4200),
        Duration.ofSeconds(43));
  }
}
