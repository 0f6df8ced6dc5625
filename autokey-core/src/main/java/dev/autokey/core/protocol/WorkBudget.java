package dev.autokey.core.protocol;

import com.google.common.base.Preconditions;

/**
 * The server's budget for expensive work (signing, cookie encryption, identity responses, SIGN):
 * a token bucket of {@code burst} operations refilled at {@code perSecond} operations per
 * (virtual) second. Over budget, a request is answered with ntpd's empty or error response
 * instead of the expensive field — never queued. Plain MAC-verify-and-reply is not metered.
 *
 * @param perSecond refill rate, 1..1,000,000 operations per second
 * @param burst bucket size, 1..1,000,000 operations
 */
public record WorkBudget(int perSecond, int burst) {
  /** Default: 200 expensive operations per second, bursts of 50. */
  public static final int DEFAULT_PER_SECOND = 200;
  /** Default burst. */
  public static final int DEFAULT_BURST = 50;

  /** Validates the components. */
  public WorkBudget {
    Preconditions.checkArgument(perSecond >= 1 && perSecond <= 1_000_000,
        "perSecond %s not in 1..1000000", perSecond);
    Preconditions.checkArgument(burst >= 1 && burst <= 1_000_000, "burst %s not in 1..1000000",
        burst);
  }

  /** The default budget. */
  public static WorkBudget defaults() {
    return new WorkBudget(DEFAULT_PER_SECOND, DEFAULT_BURST);
  }
}
