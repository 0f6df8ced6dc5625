package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.cert.CertificateCodec;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.CookieCipher;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.crypto.Signer;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.identity.IdentityServer;
import java.security.PublicKey;
import java.util.Optional;

/**
 * Everything cryptographic a host needs, built once and passed to {@link AutokeyHost#create}:
 * its own host key, sign key and certificate, the certificate codec, signature verifiers, the
 * cookie cipher, identity-scheme keys and parameters.
 *
 * <p>Obtain one from {@code dev.autokey.crypto.suite.BcCryptoSuite} (autokey-crypto): from an
 * ntp-keygen keys directory or from key material given programmatically. Implementations are
 * immutable and thread-safe.
 */
public interface CryptoSuite {
  /** The own self-signed host certificate ({@code ntpkey_cert_<host>}), parsed. */
  CertificateInfo hostCertificate();

  /** The Autokey host name: the subject CN text of the own certificate, e.g. {@code cli@grp}. */
  default String hostName() {
    return hostCertificate().subject();
  }

  /** The filestamp of the host key file (NTP seconds), sent in COOK requests. */
  long hostKeyFilestamp();

  /** Signs with the sign key ({@code ntpkey_sign_<host>}, else the host key). */
  Signer signer();

  /** The cookie cipher holding the host key (decrypts COOK responses, encrypts for clients). */
  CookieCipher cookieCipher();

  /** Parses and checks certificates. */
  CertificateCodec certificateCodec();

  /**
   * A verifier for a peer's signatures: key from the first certificate accepted from it, digest
   * from the NID of its status word.
   *
   * @throws AutokeyException {@code XEVNT_MD} for an NID without a supported digest, {@code
   *     XEVNT_PUB} for an unusable key
   */
  SignatureVerifier verifier(PublicKey key, int nid) throws AutokeyException;

  /**
   * The SIGN exchange, server side ({@code cert_sign}): a new certificate for the request's
   * subject and key, issued by this host.
   *
   * @param request the requester's certificate, DER
   * @param nowSeconds the server's NTP seconds (0 = unsynchronised)
   * @param issuer the certificate whose subject becomes the issuer (the own certificate)
   * @throws AutokeyException {@code XEVNT_TSP}, {@code XEVNT_LEN}, {@code XEVNT_CRT}, {@code
   *     XEVNT_PUB}, {@code XEVNT_PER} or {@code XEVNT_VFY} as ntpd's {@code cert_sign}
   */
  byte[] signCertificate(byte[] request, long nowSeconds, CertificateInfo issuer)
      throws AutokeyException;

  /**
   * The estimated CPU work of {@link #signCertificate} for this request, in {@link WorkBudget}
   * units (decoding the request, verifying its self-signature with its key, signing the new
   * certificate, checking the result), from the request's encoding alone: no big-integer
   * arithmetic. The server charges this before doing the work. The default, for suites without
   * an estimate, checks nothing and returns 2.0.
   *
   * @param request the requester's certificate, DER
   * @throws AutokeyException {@code XEVNT_CRT} when the request's public key is outside the
   *     accepted range (or the request is no certificate), {@code XEVNT_LEN} for its size
   */
  default double signCertificateWork(byte[] request) throws AutokeyException {
    return 2.0;
  }

  /** The server side of an identity scheme, if this host holds its server key. */
  Optional<IdentityServer> identityServer(IdentityScheme scheme);

  /**
   * The client side of an identity scheme for a group, if this host holds its parameters.
   *
   * @param scheme IFF, GQ or MV
   * @param group the association's group ({@code ident}) name
   * @param trustedRoot the trusted certificate that ended the trail (GQ takes the public value
   *     from it)
   */
  Optional<IdentityClient> identityClient(IdentityScheme scheme, String group,
      CertificateInfo trustedRoot);
}
