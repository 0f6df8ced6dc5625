package dev.autokey.crypto.internal.keygen;

import dev.autokey.crypto.keygen.KeygenException;
import java.math.BigInteger;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.DSAParameter;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Private-key PEM blocks ⇄ raw key fields, for every form ntp-keygen and its helpers write:
 * {@code ENCRYPTED PRIVATE KEY} (PKCS#8 PBES2), {@code PRIVATE KEY} (unencrypted PKCS#8, the
 * {@code -e} exports), and the unencrypted traditional {@code RSA PRIVATE KEY} / {@code DSA
 * PRIVATE KEY} (older ntp-keygen versions; the lab's repaired identity files).
 *
 * <p>No mathematical validation is done (see {@link PrivateKeyFields}); only the ASN.1 shape, the
 * algorithm OID and integer sizes are checked. Errors carry {@link dev.autokey.core.XEvent#PUB};
 * re-label with {@link KeygenException#withEvent} for identity files.
 */
public final class PrivateKeyBlocks {
  private PrivateKeyBlocks() {}

  /**
   * Decodes a private-key block, decrypting it with the password when it is encrypted.
   *
   * @param block the PEM block
   * @param password used only for {@code ENCRYPTED PRIVATE KEY}; may be null for the others
   */
  public static PrivateKeyFields decode(PemBlock block, char[] password) throws KeygenException {
    Objects.requireNonNull(block, "block");
    switch (block.label()) {
      case PemBlock.ENCRYPTED_PRIVATE_KEY:
        if (password == null) {
          throw new KeygenException(
              dev.autokey.core.XEvent.PUB,
              KeygenException.Reason.WRONG_PASSWORD,
              "key is encrypted and no password was given");
        }
        return fromPrivateKeyInfo(PrivateKeyEncryption.decrypt(block.der(), password));
      case PemBlock.PRIVATE_KEY:
        return fromPrivateKeyInfo(block.der());
      case PemBlock.RSA_PRIVATE_KEY:
        return rsaFromTraditional(block.der());
      case PemBlock.DSA_PRIVATE_KEY:
        return dsaFromTraditional(block.der());
      default:
        throw KeygenErrors.pem(
            "expected a private key block, found '" + KeygenErrors.shown(block.label()) + "'");
    }
  }

  /** Decodes a DER {@code PrivateKeyInfo} holding an RSA or DSA key. */
  public static PrivateKeyFields fromPrivateKeyInfo(byte[] der) throws KeygenException {
    PrivateKeyInfo pki;
    try {
      pki = PrivateKeyInfo.getInstance(nonNull(ASN1Primitive.fromByteArray(der)));
    } catch (java.io.IOException | RuntimeException e) {
      throw KeygenErrors.content("not a PKCS#8 PrivateKeyInfo: " + e.getMessage(), e);
    }
    var oid = pki.getPrivateKeyAlgorithm().getAlgorithm();
    try {
      if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
        return rsa(RSAPrivateKey.getInstance(pki.parsePrivateKey()));
      }
      if (X9ObjectIdentifiers.id_dsa.equals(oid)) {
        ASN1Encodable params = pki.getPrivateKeyAlgorithm().getParameters();
        if (params == null) {
          throw KeygenErrors.content("DSA PrivateKeyInfo without parameters {p, q, g}");
        }
        DSAParameter dp = DSAParameter.getInstance(params);
        BigInteger x = ASN1Integer.getInstance(pki.parsePrivateKey()).getValue();
        return checked(() -> DsaKeyFields.of(dp.getP(), dp.getQ(), dp.getG(), x));
      }
    } catch (java.io.IOException | RuntimeException e) {
      throw KeygenErrors.content("malformed private key in PrivateKeyInfo: " + e.getMessage(), e);
    }
    throw KeygenErrors.unsupported(
        "private key algorithm " + oid + " is neither rsaEncryption nor dsa");
  }

  private static RsaKeyFields rsaFromTraditional(byte[] der) throws KeygenException {
    try {
      return rsa(RSAPrivateKey.getInstance(nonNull(ASN1Primitive.fromByteArray(der))));
    } catch (java.io.IOException | RuntimeException e) {
      throw KeygenErrors.content("malformed RSA PRIVATE KEY: " + e.getMessage(), e);
    }
  }

  private static DsaKeyFields dsaFromTraditional(byte[] der) throws KeygenException {
    ASN1Sequence s;
    try {
      s = ASN1Sequence.getInstance(nonNull(ASN1Primitive.fromByteArray(der)));
    } catch (java.io.IOException | RuntimeException e) {
      throw KeygenErrors.content("malformed DSA PRIVATE KEY: " + e.getMessage(), e);
    }
    if (s.size() != 6) {
      throw KeygenErrors.content(
          "DSA PRIVATE KEY has " + s.size() + " elements, expected 6 {0, p, q, g, y, x}");
    }
    BigInteger[] v = new BigInteger[6];
    try {
      for (int i = 0; i < 6; i++) {
        v[i] = ASN1Integer.getInstance(s.getObjectAt(i)).getValue();
      }
    } catch (RuntimeException e) {
      throw KeygenErrors.content("DSA PRIVATE KEY element is not an INTEGER", e);
    }
    if (v[0].signum() != 0) {
      throw KeygenErrors.content("DSA PRIVATE KEY version " + v[0] + " is not 0");
    }
    return checked(() -> new DsaKeyFields(v[1], v[2], v[3], v[5], v[4]));
  }

  private static RsaKeyFields rsa(RSAPrivateKey k) throws KeygenException {
    if (k.getVersion().signum() != 0) {
      throw KeygenErrors.unsupported("RSAPrivateKey version " + k.getVersion() + " (multi-prime)");
    }
    return checked(
        () ->
            new RsaKeyFields(
                k.getModulus(),
                k.getPublicExponent(),
                k.getPrivateExponent(),
                k.getPrime1(),
                k.getPrime2(),
                k.getExponent1(),
                k.getExponent2(),
                k.getCoefficient()));
  }

  private static ASN1Primitive nonNull(ASN1Primitive p) throws java.io.IOException {
    if (p == null) {
      throw new java.io.IOException("empty DER");
    }
    return p;
  }

  private interface Maker<T> {
    T make();
  }

  private static <T> T checked(Maker<T> m) throws KeygenException {
    try {
      return m.make();
    } catch (IllegalArgumentException e) {
      throw KeygenErrors.content(e.getMessage(), e);
    }
  }

  /** An {@code ENCRYPTED PRIVATE KEY} block of the key's PKCS#8 form. */
  public static PemBlock encrypted(PrivateKeyFields key, char[] password, Pbes2Parameters params) {
    return new PemBlock(
        PemBlock.ENCRYPTED_PRIVATE_KEY,
        PrivateKeyEncryption.encrypt(key.toPrivateKeyInfo(), password, params));
  }

  /** An unencrypted {@code PRIVATE KEY} block (ntp-keygen's {@code -e} export form). */
  public static PemBlock plain(PrivateKeyFields key) {
    return new PemBlock(PemBlock.PRIVATE_KEY, key.toPrivateKeyInfo());
  }

  /** An unencrypted traditional {@code RSA PRIVATE KEY} / {@code DSA PRIVATE KEY} block. */
  public static PemBlock traditional(PrivateKeyFields key) {
    return new PemBlock(key.traditionalLabel(), key.toTraditional());
  }

  static byte[] der(org.bouncycastle.asn1.ASN1Object o) {
    try {
      return o.getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
