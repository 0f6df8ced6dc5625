package dev.autokey.core.protocol;

/**
 * The token buckets of a {@link WorkBudget} over NTP 64-bit time (package-private): one global
 * bucket and a fixed table of per-source buckets in front of it.
 *
 * <p>A source is identified by a 32-bit key that the caller derives secretly from the client's
 * address pair (the responder uses the server cookie, an MD5 of the addresses and the secret
 * private value, which it computes for every request anyway). The key selects two slots of the
 * table ({@link #SLOTS} slots, allocated once); an operation must be affordable in both and its
 * cost is taken from both. Another source shares a slot only by hash collision, and shares both
 * of its slots with a given flooder with probability about (2/{@value #SLOTS})<sup>2</sup>; the
 * key being secret, a flooder cannot pick addresses that collide with a victim's (except with
 * ntpd's constant private value, {@code AutokeyConfig.Builder.ntpdPrivateValue}, meant for replay
 * tests only). An operation is affordable in a bucket holding at least its cost, or holding a
 * full bucket when the cost exceeds the bucket size; the cost is then taken in full (the bucket
 * may go into debt, repaid by the refill), so over any interval the work granted never exceeds
 * the burst plus the refill plus one operation.
 */
final class TokenBucket {
  /** Number of per-source slots (a power of two). */
  static final int SLOTS = 1024;
  /** Source key of requests without a client address (a symmetric peer's queued answers). */
  static final long NO_SOURCE = -1;

  /** Outcome of {@link #tryTake}. */
  enum Grant {
    /** Granted: the cost was taken from the buckets. */
    GRANTED,
    /** Refused: the source's share is spent. */
    SOURCE_EXHAUSTED,
    /** Refused: the global budget is spent. */
    EXHAUSTED
  }

  private static final double NTP_UNIT = 4_294_967_296.0;

  private final double perSecond;
  private final double burst;
  private final double sourcePerSecond;
  private final double sourceBurst;
  private final boolean perSource;
  private double tokens;
  private long last = -1;
  private final double[] slotTokens;
  private final long[] slotLast;
  private long granted;
  private long refused;
  private double spent;

  TokenBucket(WorkBudget b) {
    this.perSecond = b.perSecond();
    this.burst = b.burst();
    this.sourcePerSecond = b.perSourcePerSecond();
    this.sourceBurst = b.perSourceBurst();
    this.perSource = b.shares() > 1;
    this.tokens = burst;
    this.slotTokens = new double[perSource ? SLOTS : 0];
    this.slotLast = new long[perSource ? SLOTS : 0];
    java.util.Arrays.fill(slotTokens, sourceBurst);
    java.util.Arrays.fill(slotLast, -1);
  }

  /**
   * Takes {@code cost} units for one operation of {@code source} if both its buckets and the
   * global bucket afford it; otherwise takes nothing.
   *
   * @param now NTP 64-bit time (a clock going backwards refills nothing)
   * @param cost work units, &ge; 0
   * @param source the source key as an unsigned 32-bit value, or {@link #NO_SOURCE}
   */
  synchronized Grant tryTake(long now, double cost, long source) {
    double c = Math.max(cost, 0.0);
    tokens = refill(tokens, last, now, perSecond, burst);
    last = advance(last, now);
    int s1 = -1;
    int s2 = -1;
    if (perSource && source != NO_SOURCE) {
      s1 = (int) (source & (SLOTS - 1));
      s2 = (int) ((source >>> 16) & (SLOTS - 1));
      if (s2 == s1) {
        s2 = s1 ^ 1;
      }
      refillSlot(s1, now);
      refillSlot(s2, now);
      if (!affords(slotTokens[s1], c, sourceBurst) || !affords(slotTokens[s2], c, sourceBurst)) {
        refused++;
        return Grant.SOURCE_EXHAUSTED;
      }
    }
    if (!affords(tokens, c, burst)) {
      refused++;
      return Grant.EXHAUSTED;
    }
    tokens -= c;
    if (s1 >= 0) {
      slotTokens[s1] -= c;
      slotTokens[s2] -= c;
    }
    granted++;
    spent += c;
    return Grant.GRANTED;
  }

  private void refillSlot(int s, long now) {
    slotTokens[s] = refill(slotTokens[s], slotLast[s], now, sourcePerSecond, sourceBurst);
    slotLast[s] = advance(slotLast[s], now);
  }

  private static boolean affords(double have, double cost, double size) {
    return have >= Math.min(cost, size);
  }

  private static double refill(double have, long since, long now, double rate, double size) {
    if (since == -1 || Long.compareUnsigned(now, since) <= 0) {
      return have;
    }
    long d = now - since;
    double dt = (d >= 0 ? d : d + 0x1p64) / NTP_UNIT;
    return Math.min(size, have + dt * rate);
  }

  private static long advance(long since, long now) {
    return since == -1 || Long.compareUnsigned(now, since) > 0 ? now : since;
  }

  synchronized long granted() {
    return granted;
  }

  synchronized long refused() {
    return refused;
  }

  /** Work units granted so far. */
  synchronized double spent() {
    return spent;
  }

  /** Units left in the global bucket (after the last refill). */
  synchronized double tokens() {
    return tokens;
  }
}
