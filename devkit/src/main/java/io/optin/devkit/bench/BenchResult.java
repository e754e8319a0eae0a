package io.optin.devkit.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, as result.json and report.html show it.
 *
 * @param command the command line, as typed
 * @param target "embedded" or the running optin's URL
 * @param settings the settings the run changed from optin's defaults (embedded only)
 * @param baseline the pass-through baseline, or null when skipped or failed
 * @param failures why the run failed (lost, duplicated, refused or unfinished flows); empty when
 *     every flow completed exactly once
 */
public record BenchResult(
    String command,
    Instant startedAt,
    String target,
    Map<String, Object> options,
    Map<String, String> settings,
    Counts counts,
    List<LatencySummary> hops,
    Throughput throughput,
    Baseline baseline,
    Usage process,
    List<String> failures) {

  public BenchResult {
    options = Map.copyOf(options);
    settings = Map.copyOf(settings);
    hops = List.copyOf(hops);
    failures = List.copyOf(failures);
  }

  public boolean passed() {
    return failures.isEmpty();
  }

  /** Ratio of complete flows/s to pass-through records/s, or null without a baseline. */
  Double ratio() {
    if (baseline == null || baseline.recordsPerSecond() <= 0) {
      return null;
    }
    return throughput.completeFlowsPerSecond() / baseline.recordsPerSecond();
  }

  /**
   * How the flows ended.
   *
   * @param flows flows the run started
   * @param accepted signups answered 202 (or acknowledged by Kafka)
   * @param refused signups answered anything else, or failed (timed out, connection refused)
   * @param sms flows whose code SMS reached the provider
   * @param answered flows whose YES webhook was answered
   * @param confirmed flows with a SubscriberConfirmed
   * @param complete flows with a SubscriberConfirmed and their CONFIRMED ledger record
   * @param unfinished flows not complete (their signup not even answered, or accepted and not
   *     further) when the drain ended while the pipeline was still moving (a backlog: the run
   *     saturated optin)
   * @param lost accepted flows not complete when the pipeline had gone quiet
   * @param duplicateConfirmations SubscriberConfirmed records beyond the first of a flow
   * @param duplicateSms code SMS beyond the first of a flow's phone, counted at the provider
   * @param duplicateLedger CONFIRMED ledger records beyond the first of a flow
   * @param stuck unfinished and lost flows by the step they stopped before
   * @param refusedBy refused signups by HTTP status, or by the error when there was no answer
   * @param otherSms SMS to a flow's phone carrying no code (such as a welcome message)
   * @param foreign SMS and confirmations of phones of no flow of this run
   */
  record Counts(
      int flows,
      int accepted,
      int refused,
      int sms,
      int answered,
      int confirmed,
      int complete,
      int unfinished,
      int lost,
      int duplicateConfirmations,
      int duplicateSms,
      int duplicateLedger,
      Map<String, Integer> stuck,
      Map<String, Integer> refusedBy,
      int otherSms,
      int foreign) {
    Counts {
      stuck = Map.copyOf(stuck);
      refusedBy = Map.copyOf(refusedBy);
    }
  }

  /**
   * @param driveSeconds from the first signup's intended time to the last's
   * @param completionSeconds from the first signup's intended time to the last flow completed
   * @param offeredPerSecond signups sent per second of the drive
   * @param completeFlowsPerSecond complete flows ÷ completion seconds
   * @param drainEnd why waiting for the last flows stopped
   * @param timeline per second from the first signup
   */
  record Throughput(
      double driveSeconds,
      double completionSeconds,
      double offeredPerSecond,
      double completeFlowsPerSecond,
      String drainEnd,
      List<Second> timeline) {
    Throughput {
      timeline = List.copyOf(timeline);
    }
  }

  /** What happened in one second of the run; CPU and RSS are of the whole bench process. */
  record Second(
      int second,
      int sent,
      int accepted,
      int sms,
      int confirmed,
      int complete,
      double cpuPercent,
      double rssMiB) {}

  /**
   * The raw exactly_once_v2 pass-through on the same broker.
   *
   * @param seconds from the application RUNNING to its committed offsets at the end of the input
   */
  record Baseline(
      String inputTopic,
      int partitions,
      int records,
      int recordBytes,
      double seconds,
      double recordsPerSecond) {}

  /**
   * The bench's own process (with the embedded stack: broker, registry, services, sandbox and
   * driver together).
   *
   * @param cpuSeconds CPU time of every thread, from the first signup to the end of the drain
   * @param rssMiB resident memory at the end
   * @param peakRssMiB the largest resident memory of the process's life
   */
  record Usage(
      double cpuSeconds,
      double cpuSecondsPerThousandFlows,
      double rssMiB,
      double peakRssMiB,
      int cpus,
      boolean includesOptin) {}
}
