package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.cert.CertificateTrail;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * CERT response: one more certificate of the trail towards a trusted root. Nothing received goes
 * into the host's certificate cache here (only once the peer is proven, see
 * {@link Association#proventic}); the host's own name is never accepted from the wire; under
 * {@link AutokeyConfig.Policy#STRICT} a trusted root must be a pinned anchor. At the root, CERT
 * lights, and VRFY too for TC; otherwise the identity client for the scheme is made.
 */
final class CertResponse {
  private CertResponse() {}

  static void handle(Association a, AutokeyState s, ExtensionField f, int peerMode, long now)
      throws AutokeyException {
    if (!f.isValueForm()) {
      return; // ntpd: short CERT response ignored, asked again next poll
    }
    if (s.has(Flag.CERT)) {
      return;
    }
    AutokeyHost host = a.host();
    // ntpd checks no CERT signature; we check it once the peer's key is known.
    ResponseCheck.verify(a, s, f, false, false);
    if (s.pkey != null && f.signatureLength() > 0) {
      s.pkey.verify(f.signedBytes(), f.signature());
    }
    CertificateInfo y = host.suite().certificateCodec().decode(f.certificateDer(),
        f.filestamp());
    HostNames.require(y.subject(), XEvent.CRT, "certificate subject");
    HostNames.require(y.issuer(), XEvent.CRT, "certificate issuer");
    if (y.subject().equals(host.hostName())) {
      throw new AutokeyException(XEvent.CRT, "certificate for this host's own name "
          + y.subject() + " received from " + a.remote().getHostAddress());
    }
    if (!y.selfSigned() && y.issuer().equals(host.hostName())) {
      throw new AutokeyException(XEvent.CRT, "trail loop: certificate for " + y.subject()
          + " issued by the local host");
    }
    if (y.selfSigned()) {
      try {
        host.suite().certificateCodec().verify(y, y.publicKey());
      } catch (AutokeyException ex) {
        throw new AutokeyException(XEvent.CRT, "self-signed certificate " + y.subject()
            + " does not verify", ex);
      }
    }
    boolean strict = host.config().policy() == AutokeyConfig.Policy.STRICT;
    if (strict && y.selfSigned() && y.trusted() && !pinned(host, y)) {
      throw new AutokeyException(XEvent.CRT, "trusted certificate " + y.subject()
          + " is not a pinned trust anchor (policy STRICT)");
    }
    // the peer key is made (and may be refused) before anything changes
    SignatureVerifier key = s.pkey != null ? s.pkey
        : host.suite().verifier(y.publicKey(), s.peerNid);
    CertificateTrail.Step step = s.trail.accept(y); // on failure the trail is unchanged
    host.signatureUpdate(now);
    s.pkey = key;
    s.issuer = s.trail.nextSubject();
    a.emit(ProtocolEvent.Type.CERTIFICATE_INSTALLED, now, describe("cert", y, f.filestamp()));
    if (step == CertificateTrail.Step.TRUSTED) {
      s.trustedRoot = y;
      a.light(Flag.CERT, now);
      if (s.scheme == IdentityScheme.TC || s.scheme == null || !s.scheme.hasChallenge()) {
        a.light(Flag.VRFY, now);
      } else {
        String g = a.ident().orElse("");
        s.identityClient = host.suite().identityClient(s.scheme, g, y).orElse(null);
        if (s.identityClient == null) {
          a.emitError(now, XEvent.ID, "no " + s.scheme + " parameters for group " + g
              + ": identity stalls");
        }
      }
    }
  }

  /** The cryptostats text of an installed certificate (ntpd's {@code cert} / {@code sign}). */
  static String describe(String what, CertificateInfo c, long filestamp) {
    int flags = 0x1; // valid
    if (c.trusted()) {
      flags |= 0x4; // CERT_TRUST
    }
    if (c.isPrivate()) {
      flags |= 0x8;
    }
    return String.format(Locale.ROOT, "%s %s %s 0x%x %s (%d) fs %d", what, c.subject(),
        c.issuer(), flags, c.algorithm().map(SignatureAlgorithm::opensslName).orElse("?"),
        c.nid(), filestamp);
  }

  private static boolean pinned(AutokeyHost host, CertificateInfo y) {
    byte[] der = y.der();
    byte[] key = y.publicKey().getEncoded();
    for (byte[] anchor : host.config().trustAnchors()) {
      if (MessageDigest.isEqual(anchor, der)) {
        return true;
      }
      try {
        CertificateInfo c = host.suite().certificateCodec().decode(anchor, 0);
        if (c.subject().equals(y.subject())
            && MessageDigest.isEqual(c.publicKey().getEncoded(), key)) {
          return true;
        }
      } catch (AutokeyException ex) {
        // an undecodable anchor pins nothing
        continue;
      }
    }
    return false;
  }
}
