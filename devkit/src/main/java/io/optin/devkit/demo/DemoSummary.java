package io.optin.devkit.demo;

import io.optin.avro.ConsentEventType;
import io.optin.devkit.demo.LatencyRecorder.Percentiles;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The result of a demo run, ready to render: per path how many subscribers were driven and how many
 * ended as expected, the ones that did not, latencies, the consent audit and timings.
 *
 * @param mismatches every subscriber whose observed outcome differs from its path's, in plan order
 * @param unplannedConfirmations SubscriberConfirmed records of no subscriber of the plan (must be
 *     0)
 * @param audit records of the consent audit topic per event type (empty when the audit sink wrote
 *     none)
 * @param auditChain what the audit chain check said
 */
public record DemoSummary(
    List<PathResult> paths,
    List<Mismatch> mismatches,
    Percentiles signupToSms,
    Percentiles answerToConfirmation,
    Map<ConsentEventType, Integer> audit,
    AuditCheck.Verdict auditChain,
    int unplannedConfirmations,
    int deadLetters,
    Duration window,
    Duration startup,
    Duration wall) {

  public DemoSummary {
    paths = List.copyOf(paths);
    mismatches = List.copyOf(mismatches);
    audit = Map.copyOf(audit);
  }

  /**
   * One row: the subscribers driven on a path and how many ended as {@link DemoPath#expected()}.
   */
  public record PathResult(DemoPath path, int driven, int matched) {
    public boolean ok() {
      return matched == driven;
    }
  }

  /** A subscriber that did not end as its path requires, and what was observed instead. */
  public record Mismatch(DemoSubscriber subscriber, String observed) {}

  public int driven() {
    return paths.stream().mapToInt(PathResult::driven).sum();
  }

  public int matched() {
    return paths.stream().mapToInt(PathResult::matched).sum();
  }

  /**
   * Every outcome as driven, no confirmation of anyone else, and an audit chain that is not broken.
   */
  public boolean passed() {
    return paths.stream().allMatch(PathResult::ok)
        && unplannedConfirmations == 0
        && !auditChain.broken();
  }
}
