package dev.autokey.crypto.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * RSA PKCS#1 v1.5 signatures (EMSA-PKCS1-v1_5) as OpenSSL 1.1.1 {@code RSA_sign}/{@code
 * RSA_verify} do them: DigestInfo with NULL parameters; verification compares the whole encoded
 * block with the expected one (no NULL-less or other variants), in constant time.
 */
public final class RsaPkcs1 {
  private RsaPkcs1() {}

  /** EM = 00 01 FF.. 00 DigestInfo for a k-byte modulus, or null if k is too small. */
  static byte[] encode(String digestName, byte[] hash, int k) {
    String oid = Digests.digestInfoOid(digestName);
    if (oid == null) {
      throw new IllegalArgumentException("no DigestInfo OID for " + digestName);
    }
    byte[] t;
    try {
      t = new DigestInfo(new AlgorithmIdentifier(new ASN1ObjectIdentifier(oid), DERNull.INSTANCE), hash)
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (k < t.length + 11) {
      return null;
    }
    byte[] em = new byte[k];
    em[1] = 0x01;
    for (int i = 2; i < k - t.length - 1; i++) {
      em[i] = (byte) 0xff;
    }
    System.arraycopy(t, 0, em, k - t.length, t.length);
    return em;
  }

  /**
   * Signs (private key, blinded). Returns exactly k bytes.
   *
   * @throws IllegalArgumentException if the modulus is too small for the digest
   */
  public static byte[] sign(RSAKeyParameters priv, String digestName, byte[] data, SecureRandom rnd) {
    int k = (priv.getModulus().bitLength() + 7) / 8;
    byte[] em = encode(digestName, Digests.digest(digestName, data), k);
    if (em == null) {
      throw new IllegalArgumentException(
          "RSA modulus of " + k + " bytes too small for a " + digestName + " DigestInfo");
    }
    RSABlindedEngine eng = new RSABlindedEngine();
    eng.init(true, new ParametersWithRandom(priv, rnd));
    byte[] s = eng.processBlock(em, 0, em.length);
    return leftPad(s, k);
  }

  /** Verifies; false for any malformed input (never throws for bad signatures). */
  public static boolean verify(RSAKeyParameters pub, String digestName, byte[] data, byte[] sig) {
    int k = (pub.getModulus().bitLength() + 7) / 8;
    if (sig.length != k) {
      return false;
    }
    if (new BigInteger(1, sig).compareTo(pub.getModulus()) >= 0) {
      return false;
    }
    byte[] em = encode(digestName, Digests.digest(digestName, data), k);
    if (em == null) {
      return false;
    }
    byte[] got;
    try {
      RSAEngine eng = new RSAEngine();
      eng.init(false, pub);
      got = leftPad(eng.processBlock(sig, 0, sig.length), k);
    } catch (RuntimeException e) {
      return false;
    }
    return got != null && MessageDigest.isEqual(got, em);
  }

  static byte[] leftPad(byte[] b, int k) {
    if (b.length == k) {
      return b;
    }
    if (b.length > k) {
      // strip sign/leading zero bytes
      for (int i = 0; i < b.length - k; i++) {
        if (b[i] != 0) {
          return null;
        }
      }
      byte[] out = new byte[k];
      System.arraycopy(b, b.length - k, out, 0, k);
      return out;
    }
    byte[] out = new byte[k];
    System.arraycopy(b, 0, out, k - b.length, b.length);
    return out;
  }
}
