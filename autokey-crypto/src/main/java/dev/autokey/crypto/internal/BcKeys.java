package dev.autokey.crypto.internal;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.DSAPrivateKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.DSAParameters;
import org.bouncycastle.crypto.params.DSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

/** JCA key objects to Bouncy Castle lightweight parameters. */
public final class BcKeys {
  private BcKeys() {}

  /** Lightweight parameters of a JCA RSA or DSA private key. */
  public static AsymmetricKeyParameter privateParams(PrivateKey k) {
    if (k instanceof RSAPrivateCrtKey r) {
      return new RSAPrivateCrtKeyParameters(
          r.getModulus(), r.getPublicExponent(), r.getPrivateExponent(), r.getPrimeP(),
          r.getPrimeQ(), r.getPrimeExponentP(), r.getPrimeExponentQ(), r.getCrtCoefficient());
    }
    if (k instanceof RSAPrivateKey r) {
      return new RSAKeyParameters(true, r.getModulus(), r.getPrivateExponent());
    }
    if (k instanceof DSAPrivateKey d) {
      var p = d.getParams();
      return new DSAPrivateKeyParameters(d.getX(), new DSAParameters(p.getP(), p.getQ(), p.getG()));
    }
    throw new IllegalArgumentException("unsupported private key " + k.getAlgorithm());
  }

  /**
   * Lightweight parameters of a JCA RSA or DSA public key. RSA keys get the cheap checks of
   * {@link PeerKeys#rsaPublic} (odd modulus of at most {@value PeerKeys#LIMIT_BITS} bits, odd
   * exponent 3..2^64−1 below it, no small factor) instead of Bouncy Castle's probable-prime test;
   * peer keys have been bounded to the configured size when their certificate was decoded.
   *
   * @throws IllegalArgumentException for a key that fails the checks or of another type
   */
  public static AsymmetricKeyParameter publicParams(PublicKey k) {
    if (k instanceof RSAPublicKey r) {
      return PeerKeys.rsaPublic(r.getModulus(), r.getPublicExponent(), 1, PeerKeys.LIMIT_BITS);
    }
    if (k instanceof DSAPublicKey d) {
      var p = d.getParams();
      return new DSAPublicKeyParameters(d.getY(), new DSAParameters(p.getP(), p.getQ(), p.getG()));
    }
    throw new IllegalArgumentException("unsupported public key " + k.getAlgorithm());
  }

  /** Key size in bits (RSA modulus, DSA p). */
  public static int bits(PublicKey k) {
    if (k instanceof RSAPublicKey r) {
      return r.getModulus().bitLength();
    }
    if (k instanceof DSAPublicKey d) {
      return d.getParams().getP().bitLength();
    }
    throw new IllegalArgumentException("unsupported public key " + k.getAlgorithm());
  }

  /**
   * OpenSSL's {@code EVP_PKEY_size}: RSA modulus bytes; DSA the largest DER {@code Dss-Sig-Value}
   * for q (two INTEGERs of qbytes+1 content bytes).
   */
  public static int signatureSize(PublicKey k) {
    if (k instanceof RSAPublicKey r) {
      return (r.getModulus().bitLength() + 7) / 8;
    }
    if (k instanceof DSAPublicKey d) {
      return dsaSignatureSize(d.getParams().getQ().bitLength());
    }
    throw new IllegalArgumentException("unsupported public key " + k.getAlgorithm());
  }

  /** DSA_size for a q of the given bits. */
  public static int dsaSignatureSize(int qBits) {
    int content = (qBits + 7) / 8 + 1; // OpenSSL sets the top bit: one leading zero byte
    int integer = 1 + lengthOfLength(content) + content;
    int seqContent = 2 * integer;
    return 1 + lengthOfLength(seqContent) + seqContent;
  }

  private static int lengthOfLength(int len) {
    if (len < 128) {
      return 1;
    }
    int n = 1;
    while (len > 0) {
      n++;
      len >>>= 8;
    }
    return n;
  }
}
