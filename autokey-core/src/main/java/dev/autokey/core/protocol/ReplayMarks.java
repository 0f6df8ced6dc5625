package dev.autokey.core.protocol;

/**
 * The replay marks of one receive path, written once for every mode: the transmit timestamp of
 * the last packet taken ({@link #duplicate}) and of the last packet verified by the key-ID chain
 * ({@link #staleOffChain}). MACs of packets with extension fields use cookie 0, which anyone can
 * compute: only packets that were really taken move the marks, and a restart clears them (a mark
 * set by a packet forged before COOK must not outlive it).
 */
final class ReplayMarks {
  private boolean seenAny;
  private long lastSeen;
  private boolean verifiedAny;
  private long lastVerified;

  /** Whether {@code xmt} is the transmit timestamp of the last packet taken. */
  boolean duplicate(long xmt) {
    return seenAny && xmt == lastSeen;
  }

  /**
   * Whether a packet off the key-ID chain is a replay: not newer (unsigned) than the last packet
   * the chain verified.
   */
  boolean staleOffChain(long xmt) {
    return verifiedAny && Long.compareUnsigned(xmt, lastVerified) <= 0;
  }

  /** A packet with transmit timestamp {@code xmt} was taken. */
  void seen(long xmt) {
    seenAny = true;
    lastSeen = xmt;
  }

  /** A packet with transmit timestamp {@code xmt} passed the key-ID chain. */
  void verified(long xmt) {
    verifiedAny = true;
    lastVerified = xmt;
  }

  /** Whether any packet was verified by the chain since the last {@link #clear}. */
  boolean anyVerified() {
    return verifiedAny;
  }

  /** Forgets everything (a restart). */
  void clear() {
    seenAny = false;
    verifiedAny = false;
  }
}
