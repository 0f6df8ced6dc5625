package dev.autokey.core.crypto;

import dev.autokey.core.AutokeyException;

/**
 * Cookie transport of the COOK exchange: RSA-OAEP with SHA-1 and MGF1-SHA-1, empty label
 * (OpenSSL {@code RSA_PKCS1_OAEP_PADDING}), docs/protocol.md §8.2.
 *
 * <p>The server side ({@link #encrypt}) needs no key of its own; the client side ({@link
 * #decrypt}) holds the client's host private key. Implementations are thread-safe.
 */
public interface CookieCipher {
  /** The plaintext size: a cookie is exactly 4 bytes. */
  int COOKIE_LENGTH = 4;

  /**
   * Server: encrypts a cookie to the requester's host key.
   *
   * @param cookie the 32-bit cookie (big-endian in the plaintext)
   * @param requesterPublicKey the COOK request value: DER PKCS#1 {@code RSAPublicKey {n, e}}
   * @return the ciphertext, exactly the modulus length
   * @throws AutokeyException {@code XEVNT_PUB} when the key does not decode or is outside the
   *     accepted range (checked before any RSA operation); {@code XEVNT_CKY} when encryption fails
   */
  byte[] encrypt(int cookie, byte[] requesterPublicKey) throws AutokeyException;

  /**
   * Client: decrypts a COOK response value with the own host key. Call only after the response
   * signature verified ({@link CookieResponses#open} enforces that order).
   *
   * @return the cookie
   * @throws AutokeyException {@code XEVNT_CKY} when the length is not {@link
   *     #ciphertextLength()}, decryption fails, or the plaintext is not exactly 4 bytes
   */
  int decrypt(byte[] ciphertext) throws AutokeyException;

  /**
   * Server: checks a COOK request key as {@link #encrypt} does, but without any big-integer
   * arithmetic (from the encoding alone), and estimates the CPU work of encrypting to it in the
   * work units of the server's work budget ({@code dev.autokey.core.protocol.WorkBudget}: one
   * unit is one RSA-2048 private-key operation). The server charges this before encrypting. The
   * default, for implementations without an estimate, checks nothing and returns 1.0.
   *
   * @param requesterPublicKey the COOK request value
   * @return work units, &gt; 0
   * @throws AutokeyException {@code XEVNT_PUB} when the key is outside the accepted range
   */
  default double encryptWork(byte[] requesterPublicKey) throws AutokeyException {
    return 1.0;
  }

  /** The client host key's modulus length in bytes, the only accepted ciphertext length. */
  int ciphertextLength();

  /** The client host key as DER PKCS#1 {@code RSAPublicKey}: the COOK request value. */
  byte[] publicKeyPkcs1();
}
