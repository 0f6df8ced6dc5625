package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateTrail;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import java.util.Locale;

/**
 * ASSOC response: the peer's host name, status word and signature NID; selects the identity
 * scheme and starts the certificate trail. A second ASSOC with the same association ID is a
 * duplicate; one with another ID is a protocol error.
 */
final class AssocResponse {
  private AssocResponse() {}

  static void handle(Association a, AutokeyState s, ExtensionField f, int peerMode, long now)
      throws AutokeyException {
    AutokeyHost host = a.host();
    if (s.crypto != 0) {
      if (f.associationId() != s.assoc) {
        throw new AutokeyException(XEvent.ERR, "ASSOC with association ID " + f.associationId()
            + ", stored " + s.assoc);
      }
      return; // duplicate
    }
    if (!f.isValueForm()) {
      throw new AutokeyException(XEvent.LEN, "short ASSOC response");
    }
    String name = HostNames.require(f.assocHostName(), XEvent.LEN, "ASSOC host name");
    HostStatus status = f.assocStatus().maskedForReceive();
    long word = status.word();
    boolean localPrivate = host.ownCertificate().isPrivate();
    IdentityScheme sch = IdentityScheme.select(word, localPrivate, a.ident().isPresent());
    int nid = status.nid();
    if (SignatureAlgorithm.ofNid(nid).isEmpty()) {
      throw new AutokeyException(XEvent.MD, "unsupported signature NID " + nid);
    }
    if (sch == IdentityScheme.TC && a.ident().isPresent() && host.config().requireIdentity()) {
      throw new AutokeyException(XEvent.ID, "group " + a.ident().get()
          + " configured but the peer advertises no identity scheme (requireIdentity)");
    }
    long c = word;
    if (peerMode == NtpHeader.MODE_SERVER) {
      c |= Flag.AUTO.bit();
    }
    if (!status.has(Flag.TAI)) {
      c |= Flag.LEAP.bit();
    }
    long ours = host.status().word() & IdentityScheme.STATUS_MASK;
    if (sch != IdentityScheme.PC && ResponseHandler.symmetricMode(peerMode)
        && ((word & IdentityScheme.STATUS_MASK) != 0) != (ours != 0)) {
      throw new AutokeyException(XEvent.KEY, String.format(Locale.ROOT,
          "symmetric peer identity bits 0x%02x do not match ours 0x%02x",
          word & IdentityScheme.STATUS_MASK, ours));
    }
    SignatureVerifier pcKey = null;
    if (sch == IdentityScheme.PC) {
      c |= Flag.CERT.bit() | Flag.VRFY.bit() | Flag.SIGN.bit();
      pcKey = host.suite().verifier(host.ownCertificate().publicKey(),
          host.ownCertificate().nid());
    }
    // Every check passed: commit (a refused ASSOC leaves the association as it was).
    s.scheme = sch;
    s.peerNid = nid;
    s.assoc = f.associationId();
    if (pcKey != null) {
      s.pkey = pcKey;
    }
    s.hcookie = host.random().nextInt();
    s.issuer = name;
    s.trail = new CertificateTrail(host.suite().certificateCodec(), name,
        host.config().maxTrailLength());
    s.crypto = c;
    a.startRefreshTimer(now);
    a.emit(ProtocolEvent.Type.ASSOCIATED, now, "assoc " + a.associationId() + " " + s.assoc
        + " host " + name + " "
        + SignatureAlgorithm.ofNid(nid).map(SignatureAlgorithm::opensslName).orElse("?"));
  }
}
