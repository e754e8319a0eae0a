package io.optin.devkit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Turns the flows of a finished run into its counts, hop percentiles and timeline. */
final class Tally {

  /** Why the wait for the last flows stopped. */
  enum DrainEnd {
    ALL_COMPLETE("every flow completed"),
    QUIET("nothing moved for the quiet period: unfinished flows are lost"),
    DEADLINE(
        "the drain time ran out while the pipeline was still moving: unfinished flows were"
            + " in a backlog");

    final String meaning;

    DrainEnd(String meaning) {
      this.meaning = meaning;
    }
  }

  /** CPU and RSS at one moment. */
  record Sample(long nanos, long cpuNanos, long rssBytes) {}

  private Tally() {}

  static BenchResult.Counts counts(
      List<Flow.Snapshot> flows, DrainEnd end, int otherSms, int foreign) {
    int accepted = 0;
    int sms = 0;
    int answered = 0;
    int confirmed = 0;
    int complete = 0;
    int notDone = 0;
    int duplicateConfirmations = 0;
    int duplicateSms = 0;
    int duplicateLedger = 0;
    Map<String, Integer> stuck = new TreeMap<>();
    Map<String, Integer> refusedBy = new TreeMap<>();
    for (Flow.Snapshot f : flows) {
      accepted += f.accepted() ? 1 : 0;
      sms += f.codeSms() > 0 ? 1 : 0;
      answered += f.replyAnsweredNanos() != 0 ? 1 : 0;
      confirmed += f.confirmations() > 0 ? 1 : 0;
      complete += f.complete() ? 1 : 0;
      duplicateConfirmations += Math.max(0, f.confirmations() - 1);
      duplicateSms += Math.max(0, f.codeSms() - 1);
      duplicateLedger += Math.max(0, f.ledgerRecords() - 1);
      if (f.acceptedNanos() == 0) {
        // Still waiting for its answer (in the bench's queue or at optin's door): a backlog.
        notDone++;
        stuck.merge(Flow.Snapshot.NOT_ANSWERED, 1, Integer::sum);
      } else if (!f.accepted()) {
        refusedBy.merge(f.refusal(), 1, Integer::sum);
      } else if (!f.complete()) {
        notDone++;
        stuck.merge(f.stuckAt(), 1, Integer::sum);
      }
    }
    int unanswered = stuck.getOrDefault(Flow.Snapshot.NOT_ANSWERED, 0);
    int refused = flows.size() - accepted - unanswered;
    boolean backlog = end == DrainEnd.DEADLINE;
    return new BenchResult.Counts(
        flows.size(),
        accepted,
        refused,
        sms,
        answered,
        confirmed,
        complete,
        backlog ? notDone : 0,
        backlog ? 0 : notDone,
        duplicateConfirmations,
        duplicateSms,
        duplicateLedger,
        stuck,
        refusedBy,
        otherSms,
        foreign);
  }

  static List<LatencySummary> hops(List<Flow.Snapshot> flows) {
    List<LatencySummary> hops = new ArrayList<>();
    for (Hop hop : Hop.values()) {
      Histogram micros = LatencySummary.newHistogram();
      for (Flow.Snapshot f : flows) {
        long nanos = hop.nanos(f);
        if (nanos >= 0) {
          micros.recordValue(Math.min(nanos / 1000, micros.getHighestTrackableValue()));
        }
      }
      hops.add(LatencySummary.of(hop.id, hop.label, micros));
    }
    return hops;
  }

  static BenchResult.Throughput throughput(
      List<Flow.Snapshot> flows, DrainEnd end, List<Sample> samples) {
    if (flows.isEmpty()) {
      return new BenchResult.Throughput(0, 0, 0, 0, end.name(), List.of());
    }
    long first = Long.MAX_VALUE;
    long lastIntended = Long.MIN_VALUE;
    long lastComplete = Long.MIN_VALUE;
    int complete = 0;
    for (Flow.Snapshot f : flows) {
      first = Math.min(first, f.intendedNanos());
      lastIntended = Math.max(lastIntended, f.intendedNanos());
      if (f.complete()) {
        complete++;
        lastComplete = Math.max(lastComplete, f.ledgerNanos());
      }
    }
    double driveSeconds = (lastIntended - first) / 1e9;
    double completionSeconds = complete == 0 ? 0 : (lastComplete - first) / 1e9;
    int seconds = (int) ((Math.max(lastIntended, lastComplete) - first) / 1_000_000_000L) + 1;
    if (!samples.isEmpty()) {
      seconds =
          Math.max(seconds, (int) ((samples.get(samples.size() - 1).nanos() - first) / 1e9) + 1);
    }
    int[] sent = new int[seconds];
    int[] acceptedAt = new int[seconds];
    int[] smsAt = new int[seconds];
    int[] confirmedAt = new int[seconds];
    int[] completeAt = new int[seconds];
    for (Flow.Snapshot f : flows) {
      count(sent, first, f.intendedNanos());
      count(acceptedAt, first, f.accepted() ? f.acceptedNanos() : 0);
      count(smsAt, first, f.smsNanos());
      count(confirmedAt, first, f.confirmedNanos());
      count(completeAt, first, f.complete() ? f.ledgerNanos() : 0);
    }
    double[] cpu = new double[seconds];
    double[] rss = new double[seconds];
    boolean[] sampled = new boolean[seconds];
    for (int i = 1; i < samples.size(); i++) {
      Sample before = samples.get(i - 1);
      Sample now = samples.get(i);
      int second = (int) Math.floorDiv(now.nanos() - first, 1_000_000_000L);
      if (second >= 0 && second < seconds && now.nanos() > before.nanos()) {
        cpu[second] = 100.0 * (now.cpuNanos() - before.cpuNanos()) / (now.nanos() - before.nanos());
        rss[second] = now.rssBytes() / 1048576.0;
        sampled[second] = true;
      }
    }
    // A sample a little late leaves its second empty and fills the next: an empty second carries
    // the figures of the one before, rather than a drop to zero.
    for (int second = 1; second < seconds; second++) {
      if (!sampled[second] && sampled[second - 1]) {
        cpu[second] = cpu[second - 1];
        rss[second] = rss[second - 1];
        sampled[second] = true;
      }
    }
    List<BenchResult.Second> timeline = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      timeline.add(
          new BenchResult.Second(
              s, sent[s], acceptedAt[s], smsAt[s], confirmedAt[s], completeAt[s], cpu[s], rss[s]));
    }
    double offered = driveSeconds > 0 ? (flows.size() - 1) / driveSeconds : flows.size();
    return new BenchResult.Throughput(
        driveSeconds,
        completionSeconds,
        offered,
        completionSeconds > 0 ? complete / completionSeconds : 0,
        end.name(),
        timeline);
  }

  private static void count(int[] perSecond, long first, long nanos) {
    if (nanos == 0) {
      return;
    }
    int second = (int) Math.floorDiv(nanos - first, 1_000_000_000L);
    if (second >= 0 && second < perSecond.length) {
      perSecond[second]++;
    }
  }
}
