package dev.autokey.core.keys;

/**
 * What shapes a key list (docs/protocol.md §7.4): {@code mpoll = 2^pollExponent} seconds, total
 * lifetime {@code min(2^automaxExponent, 100 * mpoll)}; an unsynchronised host makes a
 * single-entry list.
 *
 * @param pollExponent {@code min(ppoll, hpoll)} of the association, 0..17
 * @param automaxExponent ntpd's {@code automax}, 3..31 (default 12)
 * @param synchronised whether the local clock is synchronised
 */
public record KeyListParameters(int pollExponent, int automaxExponent, boolean synchronised) {
  /** ntpd's default {@code automax}: 2^12 s. */
  public static final int DEFAULT_AUTOMAX = 12;
  /** Largest poll exponent ntpd uses ({@code NTP_MAXPOLL}). */
  public static final int MAX_POLL = 17;

  /** Validates the ranges. */
  public KeyListParameters {
    if (pollExponent < 0 || pollExponent > MAX_POLL) {
      throw new IllegalArgumentException("poll exponent " + pollExponent + " outside 0.." + MAX_POLL);
    }
    if (automaxExponent < 3 || automaxExponent > 31) {
      throw new IllegalArgumentException("automax " + automaxExponent + " outside 3..31");
    }
  }

  /** Synchronised host, default automax, the given poll exponent. */
  public static KeyListParameters forPoll(int pollExponent) {
    return new KeyListParameters(pollExponent, DEFAULT_AUTOMAX, true);
  }

  /** The poll interval in seconds, {@code 2^pollExponent}. */
  public long pollSeconds() {
    return 1L << pollExponent;
  }

  /** The list's total lifetime in seconds: {@code min(2^automax, 100 * mpoll)}. */
  public long lifetimeSeconds() {
    return Math.min(1L << automaxExponent, KeyList.MAX_KEYS * pollSeconds());
  }
}
