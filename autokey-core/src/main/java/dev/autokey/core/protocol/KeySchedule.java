package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.KeyList;
import dev.autokey.core.keys.KeyListParameters;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.AutoValues;
import java.util.Optional;

/**
 * One association's transmit key list (ntpd {@code make_keylist} and key ageing): which key ID the
 * next transmission uses, when the list is made anew (poll change, expired key, list used up, key
 * ageing at 2^automax s, a restart), and, for broadcast servers and symmetric peers, the new list's
 * signed autokey values (the AUTO push).
 */
final class KeySchedule {
  private static final byte[] EMPTY = new byte[0];

  private final Association association;
  private final AutokeyHost host;
  private final AddressPair outbound;
  private KeyList keyList;
  private KeyList.Cursor cursor;
  private long born;
  private int poll = -1;
  private long ageAt = NtpTime.NEVER;
  // Read by the host's ServerResponder, possibly on another thread: volatile, value immutable.
  private volatile ExtensionField autoPush;
  private boolean pushPending;

  KeySchedule(Association association, AutokeyHost host, AddressPair outbound) {
    this.association = association;
    this.host = host;
    this.outbound = outbound;
  }

  /** When the list ages out ({@link NtpTime#NEVER} without a list). */
  long ageAt() {
    return ageAt;
  }

  /**
   * The key ID of the next transmission, making a new list first when needed.
   *
   * @param pollExponent the poll exponent of the transmission (sets the keys' lifetimes)
   * @param listCookie the cookie the list's keys are made with
   * @param now current time
   */
  int nextKeyId(int pollExponent, int listCookie, long now) {
    long secs = NtpTime.seconds(now);
    if (keyList != null && pollExponent != poll) {
      destroy(); // ntpd poll_update
    }
    if (keyList != null && cursor.hasNext()) {
      int index = cursor.remaining() - 1;
      if (secs - born > keyList.lifetimeSeconds(index)) {
        destroy(); // the next key has expired
      }
    }
    if (keyList == null || !cursor.hasNext()) {
      KeyListParameters params = new KeyListParameters(pollExponent, host.config().automax(),
          host.isSynchronised());
      keyList = KeyList.generate(host.engine(), outbound, listCookie, params, host.random());
      cursor = keyList.cursor();
      born = secs;
      poll = pollExponent;
      ageAt = NtpTime.plusSeconds(now, 1L << host.config().automax());
      association.keyListMade(now, "keylist " + keyList.size() + " keys, values "
          + keyList.autokeyValues());
      if (association.publishesAutoValues()) {
        publish(now);
      }
    }
    return cursor.nextKeyId();
  }

  /** Key ageing, a restart, a new cookie: the next transmission makes a new list. */
  void destroy() {
    keyList = null;
    cursor = null;
    ageAt = NtpTime.NEVER;
    autoPush = null; // ntpd key_expire: value_free(sndval), FLAG_ASSOC cleared
    pushPending = false;
  }

  /**
   * ntpd {@code make_keylist} step 4 for broadcast servers and symmetric peers: the new list's
   * autokey values, timestamped and signed when synchronised, flagged for the push.
   */
  private void publish(long now) {
    var v = keyList.autokeyValues();
    AutoValues values = new AutoValues(v.keyId() & 0xFFFF_FFFFL, v.sequence() & 0xFFFF_FFFFL);
    long ts = host.cryptoTime(now);
    long fs = host.signatureUpdateTime();
    byte[] sig = EMPTY;
    if (host.isSynchronised()) {
      try {
        sig = host.sign(ts, fs, values.toBytes());
      } catch (AutokeyException ex) {
        association.emitError(now, ex.event(), "AUTO values not signed: " + ex.getMessage());
        sig = EMPTY;
      }
    }
    autoPush = AutokeyMessages.autoResponse(association.associationId(), ts, fs, values, sig);
    pushPending = sig.length > 0;
  }

  /** The signed AUTO response of the current list; empty while there is none. */
  Optional<ExtensionField> published() {
    return Optional.ofNullable(autoPush);
  }

  /** The AUTO push once after a new signed list (then empty until the next list). */
  Optional<ExtensionField> takePush() {
    if (pushPending && autoPush != null) {
      pushPending = false;
      return Optional.of(autoPush);
    }
    return Optional.empty();
  }

  /** Whether a push is waiting. */
  boolean pushPending() {
    return pushPending && autoPush != null;
  }
}
