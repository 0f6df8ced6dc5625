package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.Opcode;

/**
 * ntpd's {@code crypto_verify} (docs/protocol.md §5.2) for a response field: not an error, value
 * form, our association ID, a plausible timestamp and filestamp, not older than the last accepted
 * COOK or AUTO values, and, when signed, a signature by the peer's key.
 */
final class ResponseCheck {
  private ResponseCheck() {}

  static void verify(Association a, AutokeyState s, ExtensionField f, boolean signed,
      boolean autoReplay) throws AutokeyException {
    if (f.isError()) {
      throw new AutokeyException(XEvent.ERR, "error response");
    }
    if (!f.isValueForm()) {
      throw new AutokeyException(XEvent.LEN, f.opcode() + " response shorter than 24 bytes");
    }
    // A broadcast server's AUTO values carry its own association ID (docs/protocol.md §2.2).
    long expectedAssoc = a.mode() == Mode.BROADCAST_CLIENT && f.opcode().equals(Opcode.AUTO)
        ? s.assoc : a.associationId();
    if (f.associationId() != expectedAssoc) {
      throw new AutokeyException(XEvent.ERR, "association ID " + f.associationId()
          + " is not ours (" + expectedAssoc + ")");
    }
    long ts = f.timestamp();
    long fs = f.filestamp();
    if (ts == 0) {
      throw new AutokeyException(XEvent.TSP, "timestamp 0");
    }
    if (Long.compareUnsigned(ts, fs) < 0) {
      throw new AutokeyException(XEvent.TSP, "timestamp " + ts + " before filestamp " + fs);
    }
    if (f.opcode().equals(Opcode.COOK)) {
      // ntpd crypto_verify(ep, &peer->cookval, peer): a COOK value may not be older than the
      // last one accepted, nor as old once AUTO is lit (a replayed COOK response). After a
      // crypto-NAK ntpd restarts (cookval cleared); our cookie refetch keeps cookval but takes
      // an answer of the same second, so a fast refetch does not stall until the next second.
      if (ts < s.cookTs || (ts == s.cookTs && s.has(Flag.AUTO) && !s.nakSinceCookie)) {
        throw new AutokeyException(XEvent.TSP, "COOK timestamp " + ts + " not after "
            + s.cookTs);
      }
      if (ts < s.cookFs || fs < s.cookFs) {
        throw new AutokeyException(XEvent.FSP, "COOK filestamp older than " + s.cookFs);
      }
    }
    if (autoReplay && s.autoTs != 0 && s.autoFs != 0) {
      if (ts < s.autoTs) {
        throw new AutokeyException(XEvent.TSP, "timestamp " + ts + " older than " + s.autoTs);
      }
      if (ts < s.autoFs || fs < s.autoFs) {
        throw new AutokeyException(XEvent.FSP, "filestamp older than " + s.autoFs);
      }
    }
    if (!signed) {
      return;
    }
    if (f.signatureLength() == 0 || s.pkey == null) {
      throw new AutokeyException(XEvent.ERR, "unsigned response or no peer key");
    }
    s.pkey.verify(f.signedBytes(), f.signature());
  }
}
