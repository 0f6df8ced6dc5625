package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketChecks;

/**
 * Takes one Autokey response field for an association (ntpd {@code crypto_recv}, one opcode per
 * implementation). A handler checks everything before it changes anything: when it throws, the
 * association's state is as it was. The client, the broadcast client and the symmetric peer all
 * go through {@link #dispatch}; the server's side of the same opcodes is {@link ServerResponder}.
 */
interface ResponseHandler {
  /**
   * Processes {@code f}, received from a peer in NTP mode {@code peerMode}.
   *
   * @throws AutokeyException with ntpd's code when the response is refused
   */
  void handle(Association a, AutokeyState s, ExtensionField f, int peerMode, long now)
      throws AutokeyException;

  /** The one per-opcode table: ASSOC first, then nothing before ASSOC, then by opcode. */
  static void dispatch(Association a, ExtensionField f, int peerMode, long now)
      throws AutokeyException {
    if (PacketChecks.isProtocolError(f) || !f.isResponse()) {
      throw new AutokeyException(XEvent.ERR, "protocol error in " + f.opcode()
          + (f.isError() ? " (error response)" : "") + (f.isResponse() ? "" : " (request)"));
    }
    AutokeyState s = a.state();
    Opcode op = f.opcode();
    if (!op.equals(Opcode.ASSOC) && s.crypto == 0) {
      throw new AutokeyException(XEvent.ERR, op + " response before ASSOC");
    }
    ResponseHandler h = forOpcode(op);
    if (h == null) {
      throw new AutokeyException(XEvent.ERR, "unexpected " + op + " response");
    }
    h.handle(a, s, f, peerMode, now);
  }

  /** The handler of an opcode, or null for one no association takes. */
  private static ResponseHandler forOpcode(Opcode op) {
    if (op.isIdentity()) {
      return IdentityResponse::handle;
    }
    switch (op.code()) {
      case 1:
        return AssocResponse::handle;
      case 2:
        return CertResponse::handle;
      case 3:
        return CookResponse::handle;
      case 4:
        return AutoResponse::handle;
      case 5:
        return LeapResponse::handle;
      case 6:
        return SignResponse::handle;
      default:
        return null;
    }
  }

  /** Whether {@code peerMode} is a symmetric mode (1 or 2). */
  static boolean symmetricMode(int peerMode) {
    return peerMode == NtpHeader.MODE_SYMMETRIC_ACTIVE
        || peerMode == NtpHeader.MODE_SYMMETRIC_PASSIVE;
  }
}
