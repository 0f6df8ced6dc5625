package dev.autokey.crypto.internal;

import java.security.SecureRandom;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/** RSA-OAEP with SHA-1 and MGF1-SHA-1 (OpenSSL {@code RSA_PKCS1_OAEP_PADDING}). */
public final class RsaOaep {
  private RsaOaep() {}

  /** Encrypts; the result has exactly the modulus length. */
  public static byte[] encrypt(RSAKeyParameters pub, byte[] msg, byte[] label, SecureRandom rnd)
      throws InvalidCipherTextException {
    OAEPEncoding oaep = new OAEPEncoding(new RSABlindedEngine(), new SHA1Digest(), new SHA1Digest(), label);
    oaep.init(true, new ParametersWithRandom(pub, rnd));
    if (msg.length > oaep.getInputBlockSize()) {
      throw new InvalidCipherTextException(
          "message of " + msg.length + " bytes too long for OAEP with a "
              + pub.getModulus().bitLength() + "-bit key");
    }
    byte[] ct = oaep.processBlock(msg, 0, msg.length);
    int k = (pub.getModulus().bitLength() + 7) / 8;
    byte[] out = RsaPkcs1.leftPad(ct, k);
    if (out == null) {
      throw new InvalidCipherTextException("unexpected ciphertext length");
    }
    return out;
  }

  /**
   * Decrypts with a private key (blinded).
   *
   * @throws InvalidCipherTextException for any malformed ciphertext
   */
  public static byte[] decrypt(RSAKeyParameters priv, byte[] ct, byte[] label, SecureRandom rnd)
      throws InvalidCipherTextException {
    int k = (priv.getModulus().bitLength() + 7) / 8;
    if (ct.length != k) {
      throw new InvalidCipherTextException("ciphertext length " + ct.length + " != " + k);
    }
    if (new java.math.BigInteger(1, ct).compareTo(priv.getModulus()) >= 0) {
      throw new InvalidCipherTextException("ciphertext not below the modulus");
    }
    OAEPEncoding oaep = new OAEPEncoding(new RSABlindedEngine(), new SHA1Digest(), new SHA1Digest(), label);
    oaep.init(false, new ParametersWithRandom(priv, rnd));
    try {
      return oaep.processBlock(ct, 0, ct.length);
    } catch (RuntimeException e) {
      throw new InvalidCipherTextException("OAEP decryption failed", e);
    }
  }
}
