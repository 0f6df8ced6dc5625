package dev.autokey.core.crypto;

import dev.autokey.core.AutokeyException;

/**
 * Signs extension-field values with the host's sign key (the private key of {@code
 * ntpkey_sign_<host>}, else the host key) and the digest of the host certificate's signature
 * algorithm, as ntpd's {@code EVP_SignFinal} does.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Signer {
  /**
   * Signs the bytes (normally {@link SignedBytes#of}).
   *
   * @return an RSA signature of exactly {@link #signatureLength()} bytes, or a DER DSA signature
   *     of at most that many bytes (ntpd 4.2.8p15 accepts only DSA signatures of exactly that
   *     length, so an implementation talking to ntpd should send only those)
   * @throws AutokeyException ({@code XEVNT_SIG}) if the provider fails
   */
  byte[] sign(byte[] signedBytes) throws AutokeyException;

  /** ntpd's {@code EVP_PKEY_size}: modulus bytes for RSA, maximum DER length for DSA. */
  int signatureLength();

  /** The algorithm (key type and digest) used. */
  SignatureAlgorithm algorithm();

  /**
   * The estimated CPU work of one {@link #sign}, in the work units of the server's work budget
   * ({@code dev.autokey.core.protocol.WorkBudget}: one unit is one RSA-2048 private-key
   * operation). The default, 1.0, suits a 2048-bit RSA key.
   */
  default double work() {
    return 1.0;
  }
}
