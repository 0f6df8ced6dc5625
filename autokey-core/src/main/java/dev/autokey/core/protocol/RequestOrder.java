package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.Opcode;

/**
 * The one request order of the client-side modes (ntpd {@code peer_xmit}, docs/protocol.md §11):
 * the field an association sends next, from its flags. Client, broadcast client (its volley) and
 * symmetric peers share it; the symmetric differences are three lines: COOK waits until both
 * peers are synchronised, AUTO is asked for with the own association ID, and a new key list's
 * signed values are pushed (with the peer's association ID) once SIGN is lit. A broadcast server
 * sends its ASSOC, or the AUTO push after a new key list.
 */
final class RequestOrder {
  private static final byte[] EMPTY = new byte[0];

  private RequestOrder() {}

  /** The next field, or null when nothing is due (or a request could not be built). */
  static ExtensionField next(Association a, long now) {
    AutokeyHost host = a.host();
    if (a.mode() == Mode.BROADCAST_SERVER) {
      return a.schedule().takePush().orElseGet(() -> AutokeyMessages.assoc(true,
          a.associationId(), host.signatureUpdateTime(), host.status(), host.hostName()));
    }
    AutokeyState s = a.state();
    boolean symmetric = a.isSymmetric();
    long associd = a.associationId();
    long upd = host.signatureUpdateTime();
    try {
      if (s.crypto == 0) {
        return AutokeyMessages.assoc(false, associd, upd, host.status(), host.hostName());
      }
      if (!s.has(Flag.CERT)) {
        return AutokeyMessages.certRequest(associd, host.cryptoTime(now), upd, s.issuer);
      }
      if (!s.has(Flag.VRFY)) {
        if (s.identityClient == null) {
          return null; // ntpd: no parameters for the advertised scheme — stall
        }
        byte[] replay = a.takeReplayChallenge();
        s.challenge = replay != null ? new IdentityChallenge(s.identityClient.scheme(), replay)
            : s.identityClient.challenge(host.random());
        long ts = host.cryptoTime(now);
        long fs = s.identityClient.filestamp();
        byte[] sig = host.isSynchronised() ? host.sign(ts, fs, s.challenge.value()) : EMPTY;
        return AutokeyMessages.identityRequest(Opcode.valueOf(s.scheme.opcode()), associd, ts, fs,
            s.challenge.value(), sig);
      }
      if (!s.has(Flag.COOK) && (!symmetric || host.isSynchronised() && a.peerSynchronised())) {
        CryptoSuite suite = host.suite();
        byte[] pub = suite.cookieCipher().publicKeyPkcs1();
        long fs = suite.hostKeyFilestamp();
        byte[] sig = upd != 0 ? host.cachedSignature("cook", upd, fs, pub) : EMPTY;
        return AutokeyMessages.cookRequest(associd, upd, fs, pub, sig);
      }
      if (!s.has(Flag.AUTO)) {
        return AutokeyMessages.autoRequest(symmetric ? associd : s.assoc);
      }
      if (symmetric && s.has(Flag.SIGN) && a.schedule().pushPending()) {
        return a.schedule().takePush().get().withAssociationId(s.assoc);
      }
      return signOrLeap(a, s, now, upd);
    } catch (AutokeyException ex) {
      a.emitError(now, ex.event(), "request not sent: " + ex.getMessage());
      return null;
    }
  }

  /**
   * The last steps of the order: nothing while the local clock is unsynchronised, then SIGN (only
   * with a currently valid own certificate, else XEVNT_PER and no request, as ntpd), then LEAP.
   */
  private static ExtensionField signOrLeap(Association a, AutokeyState s, long now, long upd)
      throws AutokeyException {
    AutokeyHost host = a.host();
    if (!host.isSynchronised()) {
      return null;
    }
    if (!s.has(Flag.SIGN)) {
      CertificateInfo own = host.ownCertificate();
      if (!own.validAt(NtpTime.seconds(now))) {
        a.emitError(now, XEvent.PER,
            CryptostatsFormatter.errorText(0x02060000L, a.associationId(), XEvent.PER));
        return null;
      }
      byte[] der = own.der();
      byte[] sig = host.cachedSignature("sign", upd, own.filestamp(), der);
      return AutokeyMessages.signRequest(a.associationId(), upd, own.filestamp(), der, sig);
    }
    if (!s.has(Flag.LEAP)) {
      return AutokeyMessages.leapRequest(a.associationId());
    }
    return null;
  }
}
