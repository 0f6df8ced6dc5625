package dev.autokey.core.protocol;

import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.ChainResult;
import dev.autokey.core.keys.KeyChain;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.AutoValues;

/**
 * The receiver's view of a peer's key list in the modes that hash key IDs back (broadcast and
 * symmetric, docs/protocol.md §7.5): the published AUTO values, the previous key ID and the remaining
 * sequence count, which bounds the hashes a packet may cost to sequence + 1.
 */
final class ReceivedKeyChain {
  private int previousKeyId;
  private int publishedKeyId;
  private int sequence;
  private boolean haveValues;
  private boolean everInstalled;
  private int generation;

  /**
   * New AUTO values: both the previous and the published key ID become their key ID. The values
   * already installed once (the same published key ID, delivered again — a replay, or the answer
   * to a re-request after a broken chain) do not rewind the chain: the key IDs already used stay
   * used, so an old key ID can never pass again.
   */
  void install(AutoValues v) {
    int key = (int) v.keyId();
    if (everInstalled && key == publishedKeyId) {
      haveValues = true;
      return;
    }
    previousKeyId = key;
    publishedKeyId = key;
    generation++;
    sequence = (int) Math.min(v.sequence(), KeyChain.MAX_SEQUENCE);
    haveValues = true;
    everInstalled = true;
  }

  /** Whether AUTO values are installed. */
  boolean hasValues() {
    return haveValues;
  }

  /** Forgets the values (the caller clears AUTO and asks for them again). */
  void invalidate() {
    haveValues = false;
  }

  /** The remaining sequence count. */
  int sequence() {
    return sequence;
  }

  /**
   * Hashes {@code keyId} back towards the previous key ID within the remaining sequence count
   * (less this packet, as ntpd decrements it once per packet) plus one steps, changing nothing:
   * {@link #commit} takes a passing result. A failure changes nothing either; the caller decides
   * whether to {@link #invalidate} (a broken chain) or to ignore the packet (a replay).
   *
   * <p>Stricter than ntpd, which also accepts a key ID that hashes to the <em>published</em> key
   * ID: that lets a key ID already used pass again (it still hashes to the published one), and a
   * packet keyed with cookie 0 is forgeable by anyone who has seen its key ID. Here only the
   * previous key ID is a target (right after new values it is the published one), so each key ID
   * passes at most once and only in the list's order. A signature in a packet never moves the
   * chain: a signed field can be replayed inside any packet.
   */
  ChainResult test(SessionKeyEngine engine, AddressPair pair, int cookie, long keyId) {
    return KeyChain.check(engine, pair, cookie, (int) keyId, previousKeyId, previousKeyId,
        Math.max(0, sequence - 1));
  }

  /** Takes a passing {@link #test} result: {@code keyId} becomes the previous key ID. */
  void commit(long keyId, ChainResult r) {
    if (!r.accepted()) {
      throw new IllegalArgumentException("not a passing result: " + r);
    }
    previousKeyId = (int) keyId;
    sequence = r.remaining();
  }

  /** Incremented by every {@link #install} that took new values. */
  int generation() {
    return generation;
  }
}
