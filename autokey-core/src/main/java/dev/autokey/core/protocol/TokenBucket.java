package dev.autokey.core.protocol;

/** A token bucket over NTP 64-bit time (package-private; the budget of {@link WorkBudget}). */
final class TokenBucket {
  private final long perSecond;
  private final long burst;
  private double tokens;
  private long last = -1;
  private long granted;
  private long refused;

  TokenBucket(WorkBudget b) {
    this.perSecond = b.perSecond();
    this.burst = b.burst();
    this.tokens = burst;
  }

  synchronized boolean tryTake(long now) {
    if (last == -1) {
      last = now;
    } else if (Long.compareUnsigned(now, last) > 0) {
      double dt = (double) (now - last) / 4_294_967_296.0;
      tokens = Math.min(burst, tokens + dt * perSecond);
      last = now;
    }
    if (tokens >= 1.0) {
      tokens -= 1.0;
      granted++;
      return true;
    }
    refused++;
    return false;
  }

  synchronized long granted() {
    return granted;
  }

  synchronized long refused() {
    return refused;
  }
}
