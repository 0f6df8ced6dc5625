package dev.autokey.core.keys;

import java.util.Objects;

/**
 * The receiver's key-ID hash-chain check for broadcast and symmetric packets (docs/protocol.md §7.5,
 * ntpd {@code receive}). Stateless; the association keeps the previous key ID, the published
 * {@link AutokeyValues} and the remaining-sequence counter.
 */
public final class KeyChain {
  /** Largest remaining-sequence counter honoured (a list has at most 100 entries, index 99). */
  public static final int MAX_SEQUENCE = KeyList.MAX_KEYS - 1;

  private KeyChain() {}

  /**
   * Checks that {@code keyId} hashes back to {@code previousKeyId} or {@code publishedKeyId}.
   *
   * <p>Exactly ntpd's loop: {@code t = nextID(keyId)}; for {@code i = 0, 1, ...}: accept if
   * {@code t} equals either ID (then {@code remaining = seq - i}); reject once {@code i > seq};
   * else {@code t = nextID(t)}. So a key ID that does not chain is rejected after {@code 1 + (seq
   * + 1)} hashes: the first (which the packet's MAC-key derivation computes anyway in broadcast
   * mode) plus at most {@code seq + 1} chain hashes, at most 101 in all. {@code seq} is clamped to
   * 0..{@value #MAX_SEQUENCE}, so a peer's signed but absurd sequence number cannot make the walk
   * longer.
   *
   * @param engine the session-key engine
   * @param senderToReceiver the packet's (source, destination): for broadcast the server and the
   *     broadcast address
   * @param cookie {@link CookieRules#chainCookie} (0 for broadcast)
   * @param keyId the packet's key ID
   * @param previousKeyId the key ID of the last accepted packet (initially the published key ID)
   * @param publishedKeyId the key ID of the received autokey values
   * @param seq the remaining-sequence counter after this packet's decrement (ntpd decrements it,
   *     down to 0, once per received packet before the check)
   */
  public static ChainResult check(SessionKeyEngine engine, AddressPair senderToReceiver,
      int cookie, int keyId, int previousKeyId, int publishedKeyId, int seq) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(senderToReceiver, "senderToReceiver");
    int limit = Math.max(0, Math.min(seq, MAX_SEQUENCE));
    int t = engine.nextKeyId(senderToReceiver, keyId, cookie);
    int hashes = 1;
    for (int i = 0; ; i++) {
      if (t == previousKeyId || t == publishedKeyId) {
        return new ChainResult(true, hashes, i, limit - i);
      }
      if (i > limit) {
        return new ChainResult(false, hashes, i, limit);
      }
      t = engine.nextKeyId(senderToReceiver, t, cookie);
      hashes++;
    }
  }
}
