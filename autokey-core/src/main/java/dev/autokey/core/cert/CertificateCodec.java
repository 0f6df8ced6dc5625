package dev.autokey.core.cert;

import dev.autokey.core.AutokeyException;
import java.security.PublicKey;

/**
 * Certificate parsing and signature checking, implemented by autokey-crypto. Both methods are
 * total: any malformed input or provider failure is an {@link AutokeyException}, never an
 * unchecked exception.
 */
public interface CertificateCodec {
  /**
   * Decodes a certificate with ntpd's {@code cert_parse} rules 1–5 and 7 (docs/protocol.md §10.3):
   * X.509 DER (trailing bytes ignored), public key present, {@code CN=} in subject and issuer,
   * time strings of 13..23 characters, notBefore ≤ notAfter and notBefore ≥ the filestamp,
   * extensions read. Does <em>not</em> check any signature (so a cache can drop duplicates
   * first).
   *
   * @param der the certificate bytes
   * @param filestamp the filestamp it comes with (file header or EF filestamp)
   * @throws AutokeyException {@code XEVNT_CRT} for every violation
   */
  CertificateInfo decode(byte[] der, long filestamp) throws AutokeyException;

  /**
   * Verifies the certificate's signature over its TBS bytes with the given key and the
   * certificate's own signature algorithm. One call = one signature check.
   *
   * @throws AutokeyException {@code XEVNT_VFY} when it does not verify or the algorithm is
   *     unsupported
   */
  void verify(CertificateInfo cert, PublicKey signerKey) throws AutokeyException;

  /**
   * {@code cert_parse} complete: {@link #decode} then, for a self-signed certificate, {@link
   * #verify} with its own key (failure → {@code XEVNT_CRT}).
   */
  default CertificateInfo parse(byte[] der, long filestamp) throws AutokeyException {
    CertificateInfo c = decode(der, filestamp);
    if (c.selfSigned()) {
      try {
        verify(c, c.publicKey());
      } catch (AutokeyException e) {
        throw new AutokeyException(
            dev.autokey.core.XEvent.CRT,
            "self-signed certificate " + c.subject() + " does not verify",
            e);
      }
    }
    return c;
  }
}
