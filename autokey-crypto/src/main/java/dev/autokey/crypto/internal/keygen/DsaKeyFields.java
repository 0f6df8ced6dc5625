package dev.autokey.crypto.internal.keygen;

import dev.autokey.crypto.keygen.KeygenException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.DSAPrivateKey;
import java.security.interfaces.DSAPublicKey;
import java.security.spec.DSAPrivateKeySpec;
import java.security.spec.DSAPublicKeySpec;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DSAParameter;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The fields of a DSA private key as ntp-keygen stores them: parameters p, q, g and the private x
 * (PKCS#8 keeps no public value), plus the public y when the file was a traditional {@code DSA
 * PRIVATE KEY} block (which stores it). IFF and MV files reuse these fields for other values
 * (see the identity package). {@link #toString()} shows only the sizes.
 *
 * @param p parameter p
 * @param q parameter q
 * @param g parameter g
 * @param x private value
 * @param storedY the public value when the file stored one (traditional format), else null
 */
public record DsaKeyFields(BigInteger p, BigInteger q, BigInteger g, BigInteger x, BigInteger storedY)
    implements PrivateKeyFields {

  /** Requires p, q, g, x non-null; every value at most {@link #MAX_BITS} bits. */
  public DsaKeyFields {
    for (BigInteger v : new BigInteger[] {p, q, g, x}) {
      Objects.requireNonNull(v, "DSA field");
    }
    for (BigInteger v : new BigInteger[] {p, q, g, x, storedY}) {
      if (v != null && v.bitLength() > MAX_BITS) {
        throw new IllegalArgumentException("DSA field of " + v.bitLength() + " bits > " + MAX_BITS);
      }
    }
  }

  /** The fields of a PKCS#8-style key (no stored public value). */
  public static DsaKeyFields of(BigInteger p, BigInteger q, BigInteger g, BigInteger x) {
    return new DsaKeyFields(p, q, g, x, null);
  }

  /** The stored public value, present only for traditional-format files. */
  public Optional<BigInteger> storedPublic() {
    return Optional.ofNullable(storedY);
  }

  /**
   * The public value OpenSSL uses when it loads the key: the stored y if any, else g<sup>x</sup>
   * mod p.
   *
   * @throws ArithmeticException if p ≤ 0
   */
  public BigInteger publicValue() {
    return storedY != null ? storedY : g.modPow(x, p);
  }

  @Override
  public byte[] toPrivateKeyInfo() {
    try {
      return new PrivateKeyInfo(
              new AlgorithmIdentifier(X9ObjectIdentifiers.id_dsa, new DSAParameter(p, q, g)),
              new ASN1Integer(x))
          .getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** {@code SEQUENCE {0, p, q, g, y, x}} with y = {@link #publicValue()}. */
  @Override
  public byte[] toTraditional() {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(0));
    v.add(new ASN1Integer(p));
    v.add(new ASN1Integer(q));
    v.add(new ASN1Integer(g));
    v.add(new ASN1Integer(publicValue()));
    v.add(new ASN1Integer(x));
    try {
      return new DERSequence(v).getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException ex) {
      throw new IllegalStateException(ex);
    }
  }

  @Override
  public String traditionalLabel() {
    return PemBlock.DSA_PRIVATE_KEY;
  }

  /** The JCA private key (JDK provider); only meaningful for a real DSA key. */
  public DSAPrivateKey toJcaPrivateKey() throws KeygenException {
    try {
      return (DSAPrivateKey)
          KeyFactory.getInstance("DSA").generatePrivate(new DSAPrivateKeySpec(x, p, q, g));
    } catch (GeneralSecurityException ex) {
      throw KeygenErrors.content("DSA private key refused: " + ex.getMessage(), ex);
    }
  }

  /** The JCA public key with y = {@link #publicValue()}. */
  public DSAPublicKey toJcaPublicKey() throws KeygenException {
    try {
      return (DSAPublicKey)
          KeyFactory.getInstance("DSA")
              .generatePublic(new DSAPublicKeySpec(publicValue(), p, q, g));
    } catch (GeneralSecurityException | ArithmeticException ex) {
      throw KeygenErrors.content("DSA public key refused: " + ex.getMessage(), ex);
    }
  }

  @Override
  public String toString() {
    return "DsaKeyFields[p " + p.bitLength() + " bits, q " + q.bitLength() + " bits]";
  }
}
