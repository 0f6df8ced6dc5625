package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.keys.CookieRules;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;

/**
 * COOK response: the cookie encrypted to our host key, signed by the peer. It must decrypt before
 * anything changes; then the key list is made anew with the cookie, PROV lights (the identity step
 * is done) and COOK lights. In symmetric modes the working cookie is the XOR with our own.
 */
final class CookResponse {
  private CookResponse() {}

  static void handle(Association a, AutokeyState s, ExtensionField f, int peerMode, long now)
      throws AutokeyException {
    ResponseCheck.verify(a, s, f, true, false);
    byte[] ct = f.cookieCiphertext();
    var cipher = a.host().suite().cookieCipher();
    if (ct.length != cipher.ciphertextLength()) {
      throw new AutokeyException(XEvent.CKY, "COOK value length " + ct.length
          + " != own modulus length " + cipher.ciphertextLength());
    }
    int v = cipher.decrypt(ct);
    s.cookTs = f.timestamp();
    s.cookFs = f.filestamp();
    s.cookie = a.isSymmetric() ? CookieRules.symmetricCookie(s.hcookie, v) : v;
    s.nakSinceCookie = false;
    a.schedule().destroy();
    a.proventic(now);
    a.light(Flag.COOK, now);
    a.emit(ProtocolEvent.Type.FLAG_LIT, now, "cook ts " + f.timestamp() + " fs "
        + f.filestamp());
  }
}
