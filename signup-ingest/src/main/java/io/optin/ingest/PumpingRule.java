package io.optin.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * When a number prefix looks like SMS pumping: at least {@code minSends} codes sent to it in the
 * last hour, of which fewer than {@code minConfirmPercent} percent were confirmed; it is then
 * blocked for {@code block}.
 *
 * @param minSends codes sent in the hour before the rate is judged ({@value
 *     IngestSettings#PUMPING_MIN_SENDS})
 * @param minConfirmPercent the confirmed share below which the prefix is blocked, 0 to 100; 0 never
 *     blocks ({@value IngestSettings#PUMPING_MIN_CONFIRM_PERCENT})
 * @param block how long a blocked prefix stays blocked ({@value IngestSettings#PUMPING_BLOCK})
 */
public record PumpingRule(int minSends, int minConfirmPercent, Duration block) {

  public PumpingRule {
    Objects.requireNonNull(block, "block");
    if (minSends < 1) {
      throw new IllegalArgumentException(
          IngestSettings.PUMPING_MIN_SENDS + " must be at least 1, got " + minSends);
    }
    if (minConfirmPercent < 0 || minConfirmPercent > 100) {
      throw new IllegalArgumentException(
          IngestSettings.PUMPING_MIN_CONFIRM_PERCENT
              + " must be 0 to 100, got "
              + minConfirmPercent);
    }
    if (block.isNegative() || block.isZero()) {
      throw new IllegalArgumentException(
          IngestSettings.PUMPING_BLOCK + " must be positive, got " + block);
    }
  }

  /** 50 sends, 10 %, 1 hour: the defaults of the settings catalogue. */
  public static PumpingRule defaults() {
    return new PumpingRule(50, 10, Duration.ofHours(1));
  }

  /**
   * Whether these counts of one hour call for a block; in whole numbers, so 10 % of 50 is exactly
   * 5.
   */
  public boolean isPumping(long sends, long confirmed) {
    return sends >= minSends && confirmed * 100 < (long) minConfirmPercent * sends;
  }
}
