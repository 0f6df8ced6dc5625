package dev.autokey.core.crypto;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.util.Objects;

/** The client's handling of a COOK response: verify first, then decrypt (T17). */
public final class CookieResponses {
  private CookieResponses() {}

  /**
   * Verifies the response signature and only then decrypts the cookie.
   *
   * @param verifier the server's verifier
   * @param cipher the client's cookie cipher (host private key)
   * @param timestamp the EF timestamp
   * @param filestamp the EF filestamp
   * @param value the EF value (the ciphertext)
   * @param signature the EF signature
   * @return the cookie
   * @throws AutokeyException from the verifier ({@code XEVNT_ERR}, {@code XEVNT_SGL}, {@code
   *     XEVNT_SIG}); {@code XEVNT_CKY} when the value length is not the own modulus length or
   *     the plaintext is not 4 bytes
   */
  public static int open(
      SignatureVerifier verifier,
      CookieCipher cipher,
      long timestamp,
      long filestamp,
      byte[] value,
      byte[] signature)
      throws AutokeyException {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(cipher, "cipher");
    if (value.length > SignedBytes.MAX_VALUE_LENGTH) {
      throw new AutokeyException(
          XEvent.LEN, "COOK value length " + value.length + " exceeds " + SignedBytes.MAX_VALUE_LENGTH);
    }
    verifier.verify(SignedBytes.of(timestamp, filestamp, value), signature);
    if (value.length != cipher.ciphertextLength()) {
      throw new AutokeyException(
          XEvent.CKY,
          "COOK value length " + value.length + " != own modulus length "
              + cipher.ciphertextLength());
    }
    return cipher.decrypt(value);
  }
}
