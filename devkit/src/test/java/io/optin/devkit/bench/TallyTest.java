package io.optin.devkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TallyTest {

  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  /** A flow that went through every step, each 10 ms after the previous, from {@code start}. */
  private static Flow complete(FlowBook book, int index, long start) {
    Flow flow = book.add(index, "+1415555" + (1000 + index), start);
    book.accepted(flow, 202, "signup-" + index, start + 10 * MS);
    flow.codeSmsAt(start + 20 * MS);
    flow.replySent(start + 30 * MS);
    flow.replyAnswered(200, start + 40 * MS);
    book.confirmed(flow.phone, "signup-" + index, start + 50 * MS);
    book.ledgerConfirmed("signup-" + index, start + 60 * MS);
    return flow;
  }

  @Test
  void shouldCountCompleteLostAndDuplicatedFlows() {
    // Given two complete flows, one confirmed twice and texted twice, and one never confirmed
    FlowBook book = new FlowBook();
    complete(book, 0, S);
    Flow twice = complete(book, 1, 2 * S);
    twice.codeSmsAt(2 * S + 25 * MS);
    book.confirmed(twice.phone, "signup-1", 2 * S + 70 * MS);
    Flow stuck = book.add(2, "+14155551002", 3 * S);
    book.accepted(stuck, 202, "signup-2", 3 * S + 10 * MS);
    stuck.codeSmsAt(3 * S + 20 * MS);
    stuck.replySent(3 * S + 30 * MS);
    stuck.replyAnswered(200, 3 * S + 40 * MS);
    Flow refused = book.add(3, "+14155551003", 4 * S);
    book.accepted(refused, 429, null, 4 * S + 5 * MS);
    List<Flow.Snapshot> flows = book.flows().stream().map(Flow::snapshot).toList();

    // When the pipeline went quiet
    BenchResult.Counts quiet = Tally.counts(flows, Tally.DrainEnd.QUIET, 0, 0);
    // or the drain time ran out while it was busy
    BenchResult.Counts busy = Tally.counts(flows, Tally.DrainEnd.DEADLINE, 0, 0);

    // Then
    assertThat(quiet)
        .isEqualTo(
            new BenchResult.Counts(
                4,
                3,
                1,
                3,
                3,
                2,
                2,
                0,
                1,
                1,
                1,
                0,
                Map.of("not confirmed", 1),
                Map.of("HTTP 429", 1),
                0,
                0));
    assertThat(busy.unfinished()).isEqualTo(1);
    assertThat(busy.lost()).isZero();
    assertThat(BenchRun.failures(quiet, Tally.DrainEnd.QUIET))
        .containsExactly(
            "1 flows lost: accepted, never completed, and the pipeline had gone quiet (1 not"
                + " confirmed)",
            "1 duplicate confirmations",
            "1 duplicate code SMS at the provider",
            "1 signups refused or unanswered (1 HTTP 429)");
  }

  @Test
  void shouldNameWhySignupsWereRefused() {
    // Given a signup answered 503, one that timed out, and one still unanswered (a backlog)
    FlowBook book = new FlowBook();
    book.accepted(book.add(0, "+14155551000", S), 503, null, S + MS);
    book.add(1, "+14155551001", S)
        .failed("java.net.http.HttpTimeoutException: request timed out", 2 * S);
    book.add(2, "+14155551002", S);
    List<Flow.Snapshot> flows = book.flows().stream().map(Flow::snapshot).toList();

    // When
    BenchResult.Counts counts = Tally.counts(flows, Tally.DrainEnd.DEADLINE, 0, 0);

    // Then
    assertThat(counts.refused()).isEqualTo(2);
    assertThat(counts.refusedBy()).isEqualTo(Map.of("HTTP 503", 1, "HttpTimeoutException", 1));
    assertThat(counts.unfinished()).isEqualTo(1);
    assertThat(counts.stuck()).isEqualTo(Map.of("signup not answered", 1));
  }

  @Test
  void shouldTimeEveryHopFromTheFlowsThatMadeIt() {
    // Given
    FlowBook book = new FlowBook();
    complete(book, 0, S);
    complete(book, 1, 2 * S);
    List<Flow.Snapshot> flows = book.flows().stream().map(Flow::snapshot).toList();

    // When
    List<LatencySummary> hops = Tally.hops(flows);

    // Then every hop but the whole flow took 10 ms, the whole flow 60 ms
    assertThat(hops)
        .extracting(LatencySummary::id)
        .containsExactly(
            "signup_answered",
            "accepted_to_sms",
            "yes_answered",
            "yes_to_confirmed",
            "confirmed_to_ledger",
            "end_to_end");
    assertThat(hops).allMatch(h -> h.count() == 2);
    assertThat(hops.get(0).p50()).isCloseTo(10, within(0.01));
    assertThat(hops.get(3).max()).isCloseTo(20, within(0.02));
    assertThat(hops.get(5).p99()).isCloseTo(60, within(0.06));
  }

  @Test
  void shouldCountCompleteFlowsPerSecondFromTheFirstSignupToTheLastCompletion() {
    // Given flows started at 1 s and 2 s, completed 60 ms later each
    FlowBook book = new FlowBook();
    complete(book, 0, S);
    complete(book, 1, 2 * S);
    List<Flow.Snapshot> flows = book.flows().stream().map(Flow::snapshot).toList();

    // When
    BenchResult.Throughput t =
        Tally.throughput(
            flows,
            Tally.DrainEnd.ALL_COMPLETE,
            List.of(new Tally.Sample(S, 0, 100 << 20), new Tally.Sample(2 * S, S / 2, 200 << 20)));

    // Then
    assertThat(t.driveSeconds()).isEqualTo(1.0);
    assertThat(t.completionSeconds()).isCloseTo(1.06, within(1e-9));
    assertThat(t.completeFlowsPerSecond()).isCloseTo(2 / 1.06, within(1e-9));
    assertThat(t.drainEnd()).isEqualTo("ALL_COMPLETE");
    assertThat(t.timeline())
        .containsExactly(
            new BenchResult.Second(0, 1, 1, 1, 1, 1, 0, 0),
            new BenchResult.Second(1, 1, 1, 1, 1, 1, 50.0, 200.0));
  }

  @Test
  void shouldCarryTheProcessFiguresOverASecondWithoutASample() {
    // Given samples at 1 s, 2 s and 4 s of a run that started at 1 s: none fell in its third second
    FlowBook book = new FlowBook();
    complete(book, 0, S);
    List<Flow.Snapshot> flows = book.flows().stream().map(Flow::snapshot).toList();

    // When
    BenchResult.Throughput t =
        Tally.throughput(
            flows,
            Tally.DrainEnd.ALL_COMPLETE,
            List.of(
                new Tally.Sample(S, 0, 100 << 20),
                new Tally.Sample(2 * S, S, 200 << 20),
                new Tally.Sample(4 * S, S + S, 300 << 20)));

    // Then the third second shows the second's figures, not zero
    assertThat(t.timeline())
        .extracting(BenchResult.Second::cpuPercent, BenchResult.Second::rssMiB)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0.0, 0.0),
            org.assertj.core.groups.Tuple.tuple(100.0, 200.0),
            org.assertj.core.groups.Tuple.tuple(100.0, 200.0),
            org.assertj.core.groups.Tuple.tuple(50.0, 300.0));
  }
}
