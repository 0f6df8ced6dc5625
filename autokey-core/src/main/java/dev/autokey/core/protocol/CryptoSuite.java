package dev.autokey.core.protocol;

/**
 * Everything cryptographic a host needs, built once and passed to {@link AutokeyHost#create}:
 * its own host key, sign key and certificate, the certificate codec, signature verifiers, the
 * cookie cipher, identity-scheme keys and parameters, and the session digest.
 *
 * <p>Obtain one from {@code dev.autokey.crypto.suite.BcCryptoSuite} (autokey-crypto): from an
 * ntp-keygen keys directory or from key material given programmatically. Implementations are
 * immutable and thread-safe.
 *
 * <p><b>Status:</b> the crypto accessors are added as the crypto, certificate, keys and identity
 * packages land; until then a host cannot be created ({@link AutokeyHost#create} throws).
 */
public interface CryptoSuite {
  /** The Autokey host name: the subject CN text of the own certificate, e.g. {@code cli@grp}. */
  String hostName();

  /** The own (self-signed) host certificate, DER; a copy. */
  byte[] hostCertificate();

  /** The filestamp of the host key file (NTP seconds), sent in COOK requests. */
  long hostKeyFilestamp();
}
