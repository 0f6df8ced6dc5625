package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;

/**
 * LEAP response: the peer's signed leap values. A value of another length is ignored once its
 * signature verified (ntpd); a TAI offset outside 10..1000 is not kept (docs/security.md T27); lights LEAP.
 */
final class LeapResponse {
  private LeapResponse() {}

  static void handle(Association a, AutokeyState s, ExtensionField f, int peerMode, long now)
      throws AutokeyException {
    ResponseCheck.verify(a, s, f, true, false);
    if (f.valueLength() != ExtensionField.LEAP_VALUE_LENGTH) {
      a.proventic(now);
      return; // ntpd: silently ignored (the signature verified)
    }
    var lv = f.leapValues();
    if (lv.hasPlausibleTaiOffset()) {
      s.leapTai = lv.taiOffset();
    } else {
      // ntpd lights LEAP too but hands its leap module only offsets >= 10 (as a signed int)
      a.emitError(now, XEvent.DAT, "implausible TAI offset " + lv.taiOffset() + " ignored");
    }
    a.proventic(now);
    a.light(Flag.LEAP, now);
    a.emit(ProtocolEvent.Type.FLAG_LIT, now, "leap TAI offset " + lv.taiOffset() + " at "
        + lv.eraStart() + " expire " + lv.expiration() + " fs " + f.filestamp());
    a.host().signatureUpdate(now);
  }
}
