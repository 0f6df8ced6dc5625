package dev.autokey.core.crypto;

import java.util.Optional;

/**
 * Certificate signature algorithms, with the OpenSSL NID ntpd puts in the upper 16 bits of the
 * ASSOC status word and the digest it derives from that NID for extension-field signatures.
 *
 * <p>Only the algorithms this library can compute are listed; a NID that is not here is
 * "unsupported digest" ({@code XEVNT_MD}).
 */
public enum SignatureAlgorithm {
  /** md5WithRSAEncryption, ntp-keygen's default ({@code -c RSA-MD5}). */
  RSA_MD5(8, "1.2.840.113549.1.1.4", "RSA-MD5", "MD5", KeyType.RSA),
  /** sha1WithRSAEncryption. */
  RSA_SHA1(65, "1.2.840.113549.1.1.5", "RSA-SHA1", "SHA1", KeyType.RSA),
  /** sha224WithRSAEncryption. */
  RSA_SHA224(671, "1.2.840.113549.1.1.14", "RSA-SHA224", "SHA224", KeyType.RSA),
  /** sha256WithRSAEncryption. */
  RSA_SHA256(668, "1.2.840.113549.1.1.11", "RSA-SHA256", "SHA256", KeyType.RSA),
  /** sha384WithRSAEncryption. */
  RSA_SHA384(669, "1.2.840.113549.1.1.12", "RSA-SHA384", "SHA384", KeyType.RSA),
  /** sha512WithRSAEncryption. */
  RSA_SHA512(670, "1.2.840.113549.1.1.13", "RSA-SHA512", "SHA512", KeyType.RSA),
  /** ripemd160WithRSA. */
  RSA_RIPEMD160(119, "1.3.36.3.3.1.2", "RSA-RIPEMD160", "RIPEMD160", KeyType.RSA),
  /** dsaWithSHA1: certificates signed by a DSA sign key with {@code -c RSA-SHA1}. */
  DSA_SHA1(113, "1.2.840.10040.4.3", "DSA-SHA1", "SHA1", KeyType.DSA),
  /** dsa_with_SHA224. */
  DSA_SHA224(802, "2.16.840.1.101.3.4.3.1", "dsa_with_SHA224", "SHA224", KeyType.DSA),
  /** dsa_with_SHA256: certificates signed by a DSA sign key with {@code -c RSA-SHA256}. */
  DSA_SHA256(803, "2.16.840.1.101.3.4.3.2", "dsa_with_SHA256", "SHA256", KeyType.DSA);

  /** The public-key algorithm a signature algorithm belongs to. */
  public enum KeyType {
    /** RSA PKCS#1 v1.5. */
    RSA,
    /** DSA with a DER {@code Dss-Sig-Value}. */
    DSA
  }

  private final int nid;
  private final String oid;
  private final String opensslName;
  private final String digest;
  private final KeyType keyType;

  SignatureAlgorithm(int nid, String oid, String opensslName, String digest, KeyType keyType) {
    this.nid = nid;
    this.oid = oid;
    this.opensslName = opensslName;
    this.digest = digest;
    this.keyType = keyType;
  }

  /** OpenSSL NID (status word bits 16..31). */
  public int nid() {
    return nid;
  }

  /** Dotted OID of the signature algorithm. */
  public String oid() {
    return oid;
  }

  /** OpenSSL short name (the {@code -c} argument for RSA; the file-name digest part). */
  public String opensslName() {
    return opensslName;
  }

  /** The digest's OpenSSL short name ({@code MD5}, {@code SHA1}, {@code SHA256}, …). */
  public String digest() {
    return digest;
  }

  /** The key type. */
  public KeyType keyType() {
    return keyType;
  }

  /** Whether the digest is MD5 (refused by the strict policy). */
  public boolean isMd5() {
    return digest.equals("MD5");
  }

  /** The algorithm for a NID, if supported. */
  public static Optional<SignatureAlgorithm> ofNid(int nid) {
    for (SignatureAlgorithm a : values()) {
      if (a.nid == nid) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The algorithm for an OID, if supported. */
  public static Optional<SignatureAlgorithm> ofOid(String oid) {
    for (SignatureAlgorithm a : values()) {
      if (a.oid.equals(oid)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The algorithm for a key type and digest name (e.g. DSA + SHA1 → DSA_SHA1), if supported. */
  public static Optional<SignatureAlgorithm> of(KeyType keyType, String digest) {
    for (SignatureAlgorithm a : values()) {
      if (a.keyType == keyType && a.digest.equalsIgnoreCase(digest)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
