package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import java.util.Locale;

/**
 * IFF, GQ or MV response: signed by the peer's key, answers the outstanding challenge of the
 * scheme the peer advertised; lights VRFY. A forged answer does not use up the challenge.
 */
final class IdentityResponse {
  private IdentityResponse() {}

  static void handle(Association a, AutokeyState s, ExtensionField f, int peerMode, long now)
      throws AutokeyException {
    ResponseCheck.verify(a, s, f, true, false);
    IdentityChallenge c = s.challenge;
    if (c == null || s.identityClient == null
        || f.opcode().code() != s.identityClient.scheme().opcode()) {
      throw new AutokeyException(XEvent.ID, "no outstanding " + f.opcode() + " challenge");
    }
    s.identityClient.verify(c, f.identityValue(), f.filestamp());
    s.challenge = null;
    a.light(Flag.VRFY, now);
    a.emit(ProtocolEvent.Type.FLAG_LIT, now, s.scheme.name().toLowerCase(Locale.ROOT) + " "
        + s.trustedRoot.subject() + " fs " + f.filestamp());
  }
}
