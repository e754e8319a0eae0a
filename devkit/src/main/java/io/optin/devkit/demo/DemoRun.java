package io.optin.devkit.demo;

import io.optin.avro.ChallengeOutcome;
import io.optin.devkit.demo.DemoSummary.Mismatch;
import io.optin.devkit.demo.DemoSummary.PathResult;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of {@code optin demo}: starts a fresh stack, drives the plan's subscribers through it
 * concurrently while a progress line runs, waits until every outcome is on the topics (or could no
 * longer come), and sums it up.
 */
public final class DemoRun {

  /**
   * optin's default {@code otp.expiry.grace}: an open challenge is closed EXPIRED this long after
   * its window.
   */
  static final Duration EXPIRY_GRACE = Duration.ofSeconds(5);

  /**
   * Beyond window and grace, time for the last closures to be committed and read before giving up
   * on them.
   */
  static final Duration SETTLE = Duration.ofSeconds(15);

  /**
   * Confirmations must stay as counted this long after the last outcome, so a duplicate would be
   * seen.
   */
  static final Duration QUIET = Duration.ofSeconds(2);

  private static final Duration LOOK_EVERY = Duration.ofMillis(100);
  private static final Duration MIN_WINDOW = Duration.ofSeconds(5);
  private static final Duration MAX_WINDOW = Duration.ofMinutes(60);

  /**
   * @param subscribers how many synthetic subscribers ({@link DemoPlan#MIN_SUBSCRIBERS} to {@link
   *     DemoPlan#MAX_SUBSCRIBERS})
   * @param concurrency HTTP calls in flight at once
   * @param window the demo's confirmation window
   */
  public record Options(int subscribers, int concurrency, Duration window) {
    public Options {
      DemoPlan.of(subscribers);
      if (concurrency < 1 || concurrency > 256) {
        throw new IllegalArgumentException(
            "concurrency must be between 1 and 256, got " + concurrency);
      }
      Objects.requireNonNull(window, "window");
      if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
        throw new IllegalArgumentException(
            "the window must be between 5s and 60m, got " + SummaryTable.duration(window));
      }
    }
  }

  private final Options options;
  private final DemoStack.Starter starter;
  private final AuditCheck auditCheck;
  private final PrintWriter out;
  private final boolean terminal;
  private final Clock clock = Clock.systemUTC();

  /**
   * @param terminal whether {@code out} is a terminal (the progress line is then rewritten in
   *     place)
   */
  public DemoRun(
      Options options,
      DemoStack.Starter starter,
      AuditCheck auditCheck,
      PrintWriter out,
      boolean terminal) {
    this.options = options;
    this.starter = starter;
    this.auditCheck = auditCheck;
    this.out = out;
    this.terminal = terminal;
  }

  public DemoSummary run() throws InterruptedException {
    long startedAt = System.nanoTime();
    DemoPlan plan = DemoPlan.of(options.subscribers());
    say(
        "optin demo: %d synthetic subscribers on %d paths, %d HTTP calls at a time, confirmation window %s "
            + "(demo only: otp.expiry is 1 to 60 min).",
        plan.size(),
        DemoPath.values().length,
        options.concurrency(),
        SummaryTable.duration(options.window()));
    say("Starting the embedded stack on free ports with a fresh data directory...");
    try (DemoStack stack = starter.start(options.window())) {
      Duration startup = Duration.ofNanos(System.nanoTime() - startedAt);
      say(
          "Ready in %s: HTTP %s, Twilio sandbox %s/, Kafka %s",
          SummaryTable.duration(startup),
          stack.gatewayUrl(),
          stack.sandbox().baseUrl(),
          stack.bootstrapServers());
      return drive(stack, plan, startup, startedAt);
    }
  }

  private DemoSummary drive(DemoStack stack, DemoPlan plan, Duration startup, long startedAt)
      throws InterruptedException {
    LatencyRecorder signupToSms = new LatencyRecorder("signup accepted -> SMS at phone");
    LatencyRecorder answerToConfirmation = new LatencyRecorder("answer sent -> confirmation");
    List<DrivenSubscriber> driven = plan.subscribers().stream().map(DrivenSubscriber::new).toList();
    long drivingAt = System.nanoTime();
    try (OutcomeObserver observer =
            new OutcomeObserver(
                stack.bootstrapServers(), stack.serdes(), plan, answerToConfirmation, clock);
        SmsInbox inbox = new SmsInbox(stack.sandbox(), clock);
        DemoDriver driver =
            new DemoDriver(
                new GatewayClient(stack.gatewayUrl()),
                stack.sandbox(),
                inbox,
                observer,
                options.window(),
                options.concurrency(),
                signupToSms,
                clock)) {
      try (ProgressLine progress =
          new ProgressLine(out, terminal, () -> progress(driven, driver, observer, drivingAt))) {
        awaitDriven(driver.drive(driven));
        awaitOutcomes(driven, observer);
      }
      List<Mismatch> mismatches = new ArrayList<>();
      List<PathResult> paths = new ArrayList<>();
      for (DemoPath path : DemoPath.values()) {
        int matched = 0;
        List<DrivenSubscriber> onPath =
            driven.stream().filter(d -> d.subscriber().path() == path).toList();
        for (DrivenSubscriber d : onPath) {
          Observed seen = observer.of(d.subscriber());
          if (OutcomeJudge.matches(d, seen)) {
            matched++;
          } else {
            mismatches.add(new Mismatch(d.subscriber(), OutcomeJudge.describe(d, seen)));
          }
        }
        paths.add(new PathResult(path, onPath.size(), matched));
      }
      mismatches.sort(Comparator.comparingInt(m -> m.subscriber().number()));
      AuditCheck.Verdict ledger = auditCheck.verify(stack);
      if (!ledger.broken()) {
        driven.stream()
            .filter(d -> !observer.of(d.subscriber()).confirmations().isEmpty())
            .findFirst()
            .ifPresent(d -> say("%s", DemoCertificate.issue(stack, d.subscriber())));
      }
      return new DemoSummary(
          paths,
          mismatches,
          signupToSms.percentiles(),
          answerToConfirmation.percentiles(),
          observer.auditCounts(),
          ledger,
          observer.unplannedConfirmations(),
          observer.deadLetters(),
          options.window(),
          startup,
          Duration.ofNanos(System.nanoTime() - startedAt));
    }
  }

  /**
   * Every script ends within a few windows (the last one answers a window late, STOP waits for its
   * opt-out).
   */
  private void awaitDriven(CompletableFuture<Void> scripts) throws InterruptedException {
    try {
      scripts.get(
          options.window().multipliedBy(3).plus(Duration.ofMinutes(2)).toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a subscriber script failed unexpectedly", e.getCause());
    } catch (TimeoutException e) {
      // The summary shows the subscribers that did not finish.
    }
  }

  /**
   * Waits until every subscriber ended as its path requires, or until the last signup's window, the
   * expiry grace and {@link #SETTLE} have passed, after which nothing more is owed; then for {@link
   * #QUIET}, to catch duplicates.
   */
  private void awaitOutcomes(List<DrivenSubscriber> driven, OutcomeObserver observer)
      throws InterruptedException {
    Instant lastAccepted =
        driven.stream()
            .map(DrivenSubscriber::signupAcceptedAt)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(clock.instant());
    Instant deadline = lastAccepted.plus(options.window()).plus(EXPIRY_GRACE).plus(SETTLE);
    while (clock.instant().isBefore(deadline)
        && !driven.stream().allMatch(d -> OutcomeJudge.matches(d, observer.of(d.subscriber())))) {
      Thread.sleep(LOOK_EVERY.toMillis());
    }
    Thread.sleep(QUIET.toMillis());
  }

  private static String progress(
      List<DrivenSubscriber> driven, DemoDriver driver, OutcomeObserver observer, long drivingAt) {
    int signedUp = 0;
    int sms = 0;
    int confirmed = 0;
    int expired = 0;
    int optedOut = 0;
    int settled = 0;
    for (DrivenSubscriber d : driven) {
      Observed seen = observer.of(d.subscriber());
      signedUp += d.signupStatus() != null ? 1 : 0;
      sms += d.smsArrivedAt() != null ? 1 : 0;
      confirmed += seen.confirmations().isEmpty() ? 0 : 1;
      expired += seen.closed() == ChallengeOutcome.EXPIRED ? 1 : 0;
      optedOut += seen.closed() == ChallengeOutcome.REJECTED ? 1 : 0;
      settled += OutcomeJudge.matches(d, seen) ? 1 : 0;
    }
    return String.format(
        Locale.ROOT,
        "%5.1f s  signups %d/%d  codes %d  SMS %d  answers %d  confirmed %d  "
            + "opted out %d  expired %d  as expected %d/%d",
        (System.nanoTime() - drivingAt) / 1e9,
        signedUp,
        driven.size(),
        observer.issued(),
        sms,
        driver.answersSent(),
        confirmed,
        optedOut,
        expired,
        settled,
        driven.size());
  }

  private void say(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }
}
