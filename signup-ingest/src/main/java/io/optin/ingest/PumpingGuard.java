package io.optin.ingest;

import io.optin.avro.OptInStatus;
import io.optin.avro.SubscriberStatus;
import io.optin.kit.metrics.OptinMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS pumping guard: a number prefix to which many codes were sent in the last hour but few
 * were confirmed ({@link PumpingRule}) is blocked for a while, so signups to it are refused before
 * they cost an SMS.
 *
 * <p>Fed with the transitions of {@code optin.subscriber-status.v1}: {@code PENDING} is a code sent
 * (the reply processor publishes it once per challenge issued), {@code CONFIRMED} a confirmation,
 * each at its own {@code updatedAt}. The prefix is judged at each code sent; a block starts then
 * and lasts {@code block}, logged once at WARN with the prefix masked. Memory is bounded: at most
 * {@code maxTracked} prefix windows of fixed size (the least recently fed is dropped first: a
 * pumped prefix is a busy one) and at most as many blocks.
 */
public final class PumpingGuard implements StatusTransitions {

  private static final Logger LOG = LoggerFactory.getLogger(PumpingGuard.class);
  static final int DEFAULT_MAX_TRACKED = 20_000;
  private static final Duration HOUR = Duration.ofHours(1);

  private final PumpingRule rule;
  private final PrefixRule prefixes;
  private final Clock clock;
  private final OptinMetrics metrics;
  private final int maxTracked;
  private final LinkedHashMap<String, SendWindow> windows = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Block> blocks = new HashMap<>();

  public PumpingGuard(PumpingRule rule, PrefixRule prefixes, Clock clock, OptinMetrics metrics) {
    this(rule, prefixes, clock, metrics, DEFAULT_MAX_TRACKED);
  }

  PumpingGuard(
      PumpingRule rule, PrefixRule prefixes, Clock clock, OptinMetrics metrics, int maxTracked) {
    this.rule = Objects.requireNonNull(rule, "rule");
    this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    if (maxTracked < 1) {
      throw new IllegalArgumentException("maxTracked must be at least 1, got " + maxTracked);
    }
    this.maxTracked = maxTracked;
  }

  /**
   * A blocked prefix.
   *
   * @param prefix {@code +} and the prefix digits
   * @param until when signups to it are accepted again
   * @param sends codes sent to it in the hour before the block
   * @param confirmed of which confirmed
   */
  public record Block(String prefix, Instant until, long sends, long confirmed) {}

  /**
   * One record of the status topic: {@code PENDING} counts as a code sent, {@code CONFIRMED} as a
   * confirmation.
   */
  @Override
  public void onStatus(SubscriberStatus status) {
    if (status.getStatus() == OptInStatus.PENDING) {
      codeSent(status.getPhone(), status.getUpdatedAt());
    } else if (status.getStatus() == OptInStatus.CONFIRMED) {
      confirmed(status.getPhone(), status.getUpdatedAt());
    }
  }

  /**
   * A code sent to {@code phone} at {@code at}; blocks its prefix when the last hour now looks like
   * pumping.
   */
  public synchronized void codeSent(String phone, Instant at) {
    Instant now = clock.instant();
    if (beforeTheHour(at, now)) {
      return;
    }
    String prefix = prefixes.prefixOf(phone);
    SendWindow window = windowOf(prefix, now);
    window.sent(at, now);
    if (blockOf(prefix, now).isPresent()) {
      return;
    }
    SendWindow.Counts counts = window.counts(now);
    if (rule.isPumping(counts.sends(), counts.confirmed())) {
      Instant until = now.plus(rule.block()).truncatedTo(ChronoUnit.MILLIS);
      block(new Block(prefix, until, counts.sends(), counts.confirmed()), phone, now);
    }
  }

  /** A code confirmed by {@code phone} at {@code at}. */
  public synchronized void confirmed(String phone, Instant at) {
    Instant now = clock.instant();
    if (beforeTheHour(at, now)) {
      return;
    }
    windowOf(prefixes.prefixOf(phone), now).confirmed(at, now);
  }

  /** The block of the phone's prefix, while it lasts. */
  public synchronized Optional<Block> blockOf(String phone) {
    return blockOf(prefixes.prefixOf(phone), clock.instant());
  }

  /** The prefixes blocked now, by prefix. */
  public synchronized List<Block> blocked() {
    Instant now = clock.instant();
    blocks.values().removeIf(block -> !block.until().isAfter(now));
    return blocks.values().stream().sorted(Comparator.comparing(Block::prefix)).toList();
  }

  /** Prefix windows currently held (for tests). */
  synchronized int tracked() {
    return windows.size();
  }

  /**
   * An event no window would count: a restarted instance replays the whole topic, so most are (no
   * window made).
   */
  private static boolean beforeTheHour(Instant at, Instant now) {
    return !at.isAfter(now.minus(HOUR));
  }

  private Optional<Block> blockOf(String prefix, Instant now) {
    Block block = blocks.get(prefix);
    if (block != null && !block.until().isAfter(now)) {
      blocks.remove(prefix);
      return Optional.empty();
    }
    return Optional.ofNullable(block);
  }

  private void block(Block block, String phone, Instant now) {
    if (blocks.size() >= maxTracked) {
      blocks.values().removeIf(b -> !b.until().isAfter(now));
    }
    if (blocks.size() >= maxTracked) {
      blocks.values().stream()
          .min(Comparator.comparing(Block::until))
          .ifPresent(soonest -> blocks.remove(soonest.prefix()));
    }
    blocks.put(block.prefix(), block);
    metrics.prefixBlocked();
    LOG.warn(
        "number prefix {} blocked until {}: {} codes sent in the last hour, {} confirmed (under {}%); possible "
            + "SMS pumping, signups to it are answered 429 for {}",
        prefixes.masked(phone),
        block.until(),
        block.sends(),
        block.confirmed(),
        rule.minConfirmPercent(),
        humane(rule.block()));
  }

  private SendWindow windowOf(String prefix, Instant now) {
    SendWindow window = windows.get(prefix);
    if (window == null) {
      if (windows.size() >= maxTracked) {
        shrink(now, maxTracked - 1);
      }
      window = new SendWindow();
      windows.put(prefix, window);
    }
    return window;
  }

  /**
   * Forgets windows with nothing in the last hour, then the least recently fed, down to {@code
   * size}.
   */
  private void shrink(Instant now, int size) {
    windows.values().removeIf(window -> window.isEmpty(now));
    Iterator<Map.Entry<String, SendWindow>> eldest = windows.entrySet().iterator();
    while (windows.size() > size && eldest.hasNext()) {
      eldest.next();
      eldest.remove();
    }
  }

  private static String humane(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
