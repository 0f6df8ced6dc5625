package dev.autokey.core.protocol;

import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.ChainResult;
import dev.autokey.core.keys.KeyChain;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.ExtensionField.AutoValues;

/**
 * The receiver's view of a peer's key list in the modes that hash key IDs back (broadcast and
 * symmetric, AUTOKEY-WIRE §7.5): the published AUTO values, the previous key ID and the remaining
 * sequence count, which bounds the hashes a packet may cost to sequence + 1.
 */
final class ReceivedKeyChain {
  private int previousKeyId;
  private int publishedKeyId;
  private int sequence;
  private boolean haveValues;

  /** New AUTO values: both the previous and the published key ID become their key ID. */
  void install(AutoValues v) {
    previousKeyId = (int) v.keyId();
    publishedKeyId = (int) v.keyId();
    sequence = (int) Math.min(v.sequence(), KeyChain.MAX_SEQUENCE);
    haveValues = true;
  }

  /** Whether AUTO values are installed. */
  boolean hasValues() {
    return haveValues;
  }

  /** Forgets the values (the caller clears AUTO and asks for them again). */
  void invalidate() {
    haveValues = false;
  }

  /** ntpd decrements the remaining sequence once per received packet. */
  void countPacket() {
    if (sequence > 0) {
      sequence--;
    }
  }

  /** The remaining sequence count. */
  int sequence() {
    return sequence;
  }

  /** A packet authenticated otherwise (a verified signature): its key ID becomes the previous one. */
  void advanceTo(long keyId) {
    previousKeyId = (int) keyId;
  }

  /**
   * Hashes {@code keyId} back towards the previous or published key ID within sequence + 1
   * steps; on success advances the chain, on failure invalidates the values.
   */
  boolean check(SessionKeyEngine engine, AddressPair pair, int cookie, long keyId) {
    ChainResult r = KeyChain.check(engine, pair, cookie, (int) keyId, previousKeyId,
        publishedKeyId, sequence);
    if (!r.accepted()) {
      haveValues = false;
      return false;
    }
    previousKeyId = (int) keyId;
    sequence = r.remaining();
    return true;
  }
}
