package dev.autokey.crypto.internal.keygen;

import dev.autokey.crypto.keygen.KeygenException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * The nine fields of a PKCS#1 {@code RSAPrivateKey} (version 0), held as read. For host and sign
 * keys they form a normal RSA key; in GQ files they carry the GQ values (see the identity
 * package). {@link #toString()} shows only the modulus size.
 *
 * @param n modulus
 * @param e public exponent
 * @param d private exponent
 * @param p prime1
 * @param q prime2
 * @param dp exponent1, d mod (p−1)
 * @param dq exponent2, d mod (q−1)
 * @param qinv coefficient, q<sup>−1</sup> mod p
 */
public record RsaKeyFields(
    BigInteger n,
    BigInteger e,
    BigInteger d,
    BigInteger p,
    BigInteger q,
    BigInteger dp,
    BigInteger dq,
    BigInteger qinv)
    implements PrivateKeyFields {

  /** Requires every field non-null and at most {@link #MAX_BITS} bits. */
  public RsaKeyFields {
    for (BigInteger v : new BigInteger[] {n, e, d, p, q, dp, dq, qinv}) {
      Objects.requireNonNull(v, "RSA field");
      if (v.bitLength() > MAX_BITS) {
        throw new IllegalArgumentException("RSA field of " + v.bitLength() + " bits > " + MAX_BITS);
      }
    }
  }

  /** The fields of a JCA RSA CRT private key. */
  public static RsaKeyFields of(RSAPrivateCrtKey k) {
    return new RsaKeyFields(
        k.getModulus(),
        k.getPublicExponent(),
        k.getPrivateExponent(),
        k.getPrimeP(),
        k.getPrimeQ(),
        k.getPrimeExponentP(),
        k.getPrimeExponentQ(),
        k.getCrtCoefficient());
  }

  /** Modulus size in bits. */
  public int bits() {
    return n.bitLength();
  }

  @Override
  public byte[] toPrivateKeyInfo() {
    try {
      return new PrivateKeyInfo(
              new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
              asn1())
          .getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException ex) {
      throw new IllegalStateException(ex);
    }
  }

  @Override
  public byte[] toTraditional() {
    try {
      return asn1().getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException ex) {
      throw new IllegalStateException(ex);
    }
  }

  @Override
  public String traditionalLabel() {
    return PemBlock.RSA_PRIVATE_KEY;
  }

  private RSAPrivateKey asn1() {
    return new RSAPrivateKey(n, e, d, p, q, dp, dq, qinv);
  }

  /** DER PKCS#1 {@code RSAPublicKey} {n, e}, the COOK request value. */
  public byte[] publicKeyPkcs1() {
    try {
      return new org.bouncycastle.asn1.pkcs.RSAPublicKey(n, e).getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /**
   * The JCA private key (JDK provider). Only meaningful for a real RSA key.
   *
   * @throws KeygenException if the JDK refuses the values
   */
  public RSAPrivateCrtKey toJcaPrivateKey() throws KeygenException {
    try {
      return (RSAPrivateCrtKey)
          KeyFactory.getInstance("RSA")
              .generatePrivate(new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qinv));
    } catch (GeneralSecurityException ex) {
      throw KeygenErrors.content("RSA private key refused: " + ex.getMessage(), ex);
    }
  }

  /** The JCA public key {n, e}. */
  public RSAPublicKey toJcaPublicKey() throws KeygenException {
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    } catch (GeneralSecurityException ex) {
      throw KeygenErrors.content("RSA public key refused: " + ex.getMessage(), ex);
    }
  }

  /**
   * Whether the fields form a consistent RSA key: n = p·q, e·d ≡ 1 mod lcm(p−1, q−1), CRT values
   * consistent. Does not test primality.
   */
  public boolean isConsistentRsaKey() {
    BigInteger one = BigInteger.ONE;
    if (p.compareTo(one) <= 0 || q.compareTo(one) <= 0 || !p.multiply(q).equals(n)) {
      return false;
    }
    BigInteger p1 = p.subtract(one);
    BigInteger q1 = q.subtract(one);
    BigInteger lcm = p1.multiply(q1).divide(p1.gcd(q1));
    return e.multiply(d).mod(lcm).equals(one)
        && d.mod(p1).equals(dp)
        && d.mod(q1).equals(dq)
        && q.multiply(qinv).mod(p).equals(one);
  }

  @Override
  public String toString() {
    return "RsaKeyFields[" + n.bitLength() + " bits]";
  }
}
