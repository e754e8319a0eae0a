package io.optin.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * When a number prefix looks like SMS pumping: at least {@code minSends} codes sent to it in the
 * last hour, of which fewer than {@code minConfirmPercent} percent were confirmed; it is then
 * blocked for {@code block}.
 *
 * @param minSends codes sent in the hour before the rate is judged ({@code
 *     limits.pumping.min.sends})
 * @param minConfirmPercent the confirmed share below which the prefix is blocked, 0 to 100; 0 never
 *     blocks ({@code limits.pumping.min.confirm.percent})
 * @param block how long a blocked prefix stays blocked ({@code limits.pumping.block})
 */
public record PumpingRule(int minSends, int minConfirmPercent, Duration block) {

  public PumpingRule {
    Objects.requireNonNull(block, "block");
  }

  /**
   * Whether these counts of one hour call for a block; in whole numbers, so 10 % of 50 is exactly
   * 5.
   */
  public boolean isPumping(long sends, long confirmed) {
    return sends >= minSends && confirmed * 100 < (long) minConfirmPercent * sends;
  }
}
