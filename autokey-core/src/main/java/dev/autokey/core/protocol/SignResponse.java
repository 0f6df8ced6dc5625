package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import java.security.MessageDigest;

/**
 * SIGN response: our own certificate signed by the peer. It must certify our name and our key
 * (and verify under the peer's certificate key) before it is installed; lights SIGN.
 */
final class SignResponse {
  private SignResponse() {}

  static void handle(Association a, AutokeyState s, ExtensionField f, int peerMode, long now)
      throws AutokeyException {
    ResponseCheck.verify(a, s, f, true, false);
    AutokeyHost host = a.host();
    CertificateInfo own = host.ownCertificate();
    CertificateInfo got = host.suite().certificateCodec().decode(f.certificateDer(),
        f.filestamp());
    if (!got.subject().equals(own.subject())
        || !MessageDigest.isEqual(got.publicKey().getEncoded(), own.publicKey().getEncoded())) {
      throw new AutokeyException(XEvent.CRT, "SIGN response certifies " + got.subject()
          + " or another key, not this host");
    }
    if (s.pkey != null && s.trail != null && !s.trail.chain().isEmpty()) {
      host.suite().certificateCodec().verify(got, s.trail.chain().get(0).publicKey());
    }
    host.certificates().install(f.certificateDer(), f.filestamp(), NtpTime.seconds(now));
    a.proventic(now);
    a.light(Flag.SIGN, now);
    a.emit(ProtocolEvent.Type.CERTIFICATE_INSTALLED, now,
        CertResponse.describe("sign", got, f.filestamp()));
    host.signatureUpdate(now);
  }
}
