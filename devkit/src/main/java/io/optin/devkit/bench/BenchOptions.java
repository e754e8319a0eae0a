package io.optin.devkit.bench;

import io.optin.kit.config.DurationText;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@code optin bench} run does; every value is checked here, so a bad one is refused
 * before anything starts, with a message naming the option.
 *
 * @param load open loop at a rate for a duration, or closed loop for a number of flows
 * @param providerLatency how long the sandbox's Messages API holds its answer (a slow provider)
 * @param replyDelay how long after the SMS reaches the provider the phone answers YES
 * @param via how signups enter optin
 * @param concurrency signups in flight at once (HTTP calls, or producer sends)
 * @param drain after the last signup is sent, how long unfinished flows may still complete
 * @param baselineRecords records the pass-through baseline copies (0: no baseline)
 * @param out where result.json and report.html go
 * @param remote a running optin to drive instead of the embedded stack, or null
 */
public record BenchOptions(
    Load load,
    Duration providerLatency,
    Duration replyDelay,
    Via via,
    int concurrency,
    Duration drain,
    int baselineRecords,
    Path out,
    Remote remote) {

  static final int MAX_RATE = 20_000;
  static final int MAX_FLOWS = 1_000_000;
  static final Duration MAX_DURATION = Duration.ofHours(1);
  static final Duration MAX_PROVIDER_LATENCY = Duration.ofSeconds(30);
  static final Duration MAX_REPLY_DELAY = Duration.ofMinutes(10);
  static final int MAX_CONCURRENCY = 4_096;
  static final int MAX_BASELINE_RECORDS = 10_000_000;

  /** How signups enter optin. */
  public enum Via {
    /** {@code POST /v1/signups}, as a marketing platform does. */
    HTTP,
    /** SignupRequested records produced straight to {@code optin.signup-requests.v1}. */
    KAFKA
  }

  /** How many flows, at what pace. */
  public sealed interface Load {
    /** Flows the run starts. */
    int flows();

    String describe();
  }

  /**
   * Signups sent at {@code rate} a second for {@code duration}, each at its intended time whether
   * or not earlier ones were answered.
   */
  public record OpenLoop(double rate, Duration duration) implements Load {
    @Override
    public int flows() {
      return (int) Math.floor(rate * duration.toNanos() / 1e9);
    }

    @Override
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "open loop, %s signups/s for %s",
          Numbers.compact(rate),
          DurationText.format(duration));
    }
  }

  /** {@code flows} signups, at most {@code concurrency} in flight, each sent when one finishes. */
  public record ClosedLoop(int flows) implements Load {
    @Override
    public String describe() {
      return "closed loop, " + flows + " flows";
    }
  }

  /**
   * A running optin on this machine: its broker, registry, HTTP port and API token. The bench still
   * plays Twilio (its own sandbox on 127.0.0.1:{@code sandboxPort}, with that optin's account sid
   * and auth token), so that optin must send through it ({@code twilio.api.base.url}) and its
   * {@code public.base.url} must be {@code target}, the URL the replies are signed for.
   */
  public record Remote(
      String bootstrapServers,
      URI registry,
      URI target,
      String token,
      int sandboxPort,
      String accountSid,
      String authToken) {
    public Remote {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(accountSid, "accountSid");
      Objects.requireNonNull(authToken, "authToken");
    }
  }

  public BenchOptions {
    Objects.requireNonNull(load, "load");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(out, "out");
    if (load instanceof OpenLoop open) {
      if (!(open.rate() > 0) || open.rate() > MAX_RATE) {
        throw new IllegalArgumentException(
            "--rate must be above 0 and at most "
                + MAX_RATE
                + " signups/s, got "
                + Numbers.compact(open.rate()));
      }
      requireBetween("--duration", open.duration(), Duration.ofSeconds(1), MAX_DURATION);
      if (open.flows() < 1) {
        throw new IllegalArgumentException(
            "--rate × --duration must make at least one flow, got "
                + Numbers.compact(open.rate())
                + "/s for "
                + DurationText.format(open.duration()));
      }
      if (open.flows() > MAX_FLOWS) {
        throw new IllegalArgumentException(
            "--rate × --duration must make at most " + MAX_FLOWS + " flows, got " + open.flows());
      }
    } else if (load instanceof ClosedLoop closed
        && (closed.flows() < 1 || closed.flows() > MAX_FLOWS)) {
      throw new IllegalArgumentException(
          "--flows must be between 1 and " + MAX_FLOWS + ", got " + closed.flows());
    }
    requireBetween("--provider-latency", providerLatency, Duration.ZERO, MAX_PROVIDER_LATENCY);
    requireBetween("--reply-delay", replyDelay, Duration.ZERO, MAX_REPLY_DELAY);
    requireBetween("--drain", drain, Duration.ZERO, Duration.ofHours(1));
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "--concurrency must be between 1 and " + MAX_CONCURRENCY + ", got " + concurrency);
    }
    if (baselineRecords < 0 || baselineRecords > MAX_BASELINE_RECORDS) {
      throw new IllegalArgumentException(
          "--baseline-records must be between 0 and "
              + MAX_BASELINE_RECORDS
              + ", got "
              + baselineRecords);
    }
    if (remote != null && (remote.sandboxPort() < 0 || remote.sandboxPort() > 65_535)) {
      throw new IllegalArgumentException(
          "--sandbox-port must be between 0 and 65535, got " + remote.sandboxPort());
    }
  }

  /**
   * The load of the command line: {@code --rate} with {@code --duration}, or {@code --flows}, or
   * the default when none is given.
   *
   * @param rate null when not given
   * @param duration null when not given
   * @param flows null when not given
   */
  public static Load load(Double rate, Duration duration, Integer flows) {
    if (flows != null && (rate != null || duration != null)) {
      throw new IllegalArgumentException(
          "give either --flows (closed loop) or --rate with --duration (open loop), not both");
    }
    if (flows != null) {
      return new ClosedLoop(flows);
    }
    if (rate == null && duration == null) {
      return new OpenLoop(DEFAULT_RATE, DEFAULT_DURATION);
    }
    if (rate == null) {
      throw new IllegalArgumentException("--duration needs --rate (signups per second)");
    }
    if (duration == null) {
      throw new IllegalArgumentException("--rate needs --duration (how long to send at that rate)");
    }
    return new OpenLoop(rate, duration);
  }

  /**
   * A running optin's coordinates: all of {@code --bootstrap-servers}, {@code --registry} and
   * {@code --target}, or none (the embedded stack).
   *
   * @return null for the embedded stack
   */
  public static Remote remote(
      String bootstrapServers,
      URI registry,
      URI target,
      String token,
      int sandboxPort,
      String accountSid,
      String authToken) {
    boolean any =
        bootstrapServers != null
            || registry != null
            || target != null
            || token != null
            || accountSid != null
            || authToken != null;
    if (!any) {
      return null;
    }
    if (bootstrapServers == null || registry == null || target == null) {
      throw new IllegalArgumentException(
          "a running optin needs all of --bootstrap-servers, --registry and --target (missing: "
              + String.join(
                  ", ",
                  java.util.stream.Stream.of(
                          bootstrapServers == null ? "--bootstrap-servers" : null,
                          registry == null ? "--registry" : null,
                          target == null ? "--target" : null)
                      .filter(Objects::nonNull)
                      .toList())
              + ")");
    }
    if (accountSid == null || authToken == null) {
      throw new IllegalArgumentException(
          "a running optin needs --twilio-account-sid and --twilio-auth-token: the ones it runs"
              + " with, which the bench's Twilio sandbox then accepts and signs replies with");
    }
    for (URI uri : new URI[] {registry, target}) {
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL: " + uri);
      }
    }
    return new Remote(
        bootstrapServers, registry, target, token, sandboxPort, accountSid, authToken);
  }

  static final double DEFAULT_RATE = 100;
  static final Duration DEFAULT_DURATION = Duration.ofSeconds(20);

  private static void requireBetween(String option, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, option);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          option
              + " must be between "
              + DurationText.format(min)
              + " and "
              + DurationText.format(max)
              + ", got "
              + DurationText.format(value));
    }
  }
}
