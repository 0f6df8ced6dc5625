package dev.autokey.core.crypto;

import dev.autokey.core.AutokeyException;

/**
 * Verifies extension-field signatures with a peer's public key (from the first certificate
 * accepted from it) and the digest of the NID the peer advertised, with ntpd's rules
 * (docs/protocol.md §5.2 steps 7–8, §6).
 *
 * <p>Returns normally only for a valid signature. Any failure — wrong length, malformed
 * signature, mathematically wrong, or any exception inside the provider — is an {@link
 * AutokeyException}; implementations never let a provider exception escape.
 */
public interface SignatureVerifier {
  /**
   * Verifies a signature.
   *
   * @param signedBytes the covered bytes (normally {@link SignedBytes#of})
   * @param signature the signature as carried (without padding)
   * @throws AutokeyException {@code XEVNT_ERR} for an empty signature (ntpd restarts the
   *     association), {@code XEVNT_SGL} when the length is wrong (RSA: not exactly {@link
   *     #signatureLength()}; DSA: longer than it), {@code XEVNT_SIG} when it does not verify
   */
  void verify(byte[] signedBytes, byte[] signature) throws AutokeyException;

  /**
   * ntpd's {@code EVP_PKEY_size} of the key: the exact length of an RSA signature, the maximum
   * length of a DER DSA signature (shorter DSA signatures are valid too).
   */
  int signatureLength();

  /** The algorithm (key type and digest) used. */
  SignatureAlgorithm algorithm();
}
