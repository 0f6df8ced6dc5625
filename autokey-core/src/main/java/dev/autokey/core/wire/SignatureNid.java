package dev.autokey.core.wire;

import java.util.Optional;

/**
 * The OpenSSL NIDs an ntpd 4.2.8p15 peer can put in the high 16 bits of its status word, with the
 * digest OpenSSL's digest-by-NID lookup maps each one to (docs/protocol.md §4). ntpd uses that digest
 * to verify the peer's signatures; a NID not in this table is {@code XEVNT_MD}.
 *
 * <p>The signature-algorithm NIDs are those ntp-keygen can put in a certificate; the plain digest
 * NIDs also pass ntpd's lookup and are included for that reason.
 */
public enum SignatureNid {
  /** md2WithRSAEncryption. */
  RSA_MD2(7, "RSA-MD2", "1.2.840.113549.1.1.2", "MD2", true),
  /** md5WithRSAEncryption (ntp-keygen's default). */
  RSA_MD5(8, "RSA-MD5", "1.2.840.113549.1.1.4", "MD5", true),
  /** shaWithRSAEncryption (SHA-0, OIW). */
  RSA_SHA(42, "RSA-SHA", "1.3.14.3.2.15", "SHA", true),
  /** sha1WithRSAEncryption. */
  RSA_SHA1(65, "RSA-SHA1", "1.2.840.113549.1.1.5", "SHA1", true),
  /** mdc2WithRSA. */
  RSA_MDC2(96, "RSA-MDC2", "2.5.8.3.100", "MDC2", true),
  /** ripemd160WithRSA. */
  RSA_RIPEMD160(119, "RSA-RIPEMD160", "1.3.36.3.3.1.2", "RIPEMD160", true),
  /** dsaWithSHA (SHA-0, OIW). */
  DSA_SHA(66, "DSA-SHA", "1.3.14.3.2.13", "SHA", true),
  /** dsaWithSHA1. */
  DSA_SHA1(113, "DSA-SHA1", "1.2.840.10040.4.3", "SHA1", true),
  /** sha256WithRSAEncryption. */
  RSA_SHA256(668, "RSA-SHA256", "1.2.840.113549.1.1.11", "SHA256", true),
  /** sha384WithRSAEncryption. */
  RSA_SHA384(669, "RSA-SHA384", "1.2.840.113549.1.1.12", "SHA384", true),
  /** sha512WithRSAEncryption. */
  RSA_SHA512(670, "RSA-SHA512", "1.2.840.113549.1.1.13", "SHA512", true),
  /** sha224WithRSAEncryption. */
  RSA_SHA224(671, "RSA-SHA224", "1.2.840.113549.1.1.14", "SHA224", true),
  /** Plain MD2. */
  MD2(3, "MD2", "1.2.840.113549.2.2", "MD2", false),
  /** Plain MD5. */
  MD5(4, "MD5", "1.2.840.113549.2.5", "MD5", false),
  /** Plain SHA (SHA-0). */
  SHA(41, "SHA", "1.3.14.3.2.18", "SHA", false),
  /** Plain SHA-1. */
  SHA1(64, "SHA1", "1.3.14.3.2.26", "SHA1", false),
  /** Plain MDC2. */
  MDC2(95, "MDC2", "2.5.8.3.101", "MDC2", false),
  /** Plain RIPEMD-160. */
  RIPEMD160(117, "RIPEMD160", "1.3.36.3.2.1", "RIPEMD160", false),
  /** Plain SHA-256. */
  SHA256(672, "SHA256", "2.16.840.1.101.3.4.2.1", "SHA256", false),
  /** Plain SHA-384. */
  SHA384(673, "SHA384", "2.16.840.1.101.3.4.2.2", "SHA384", false),
  /** Plain SHA-512. */
  SHA512(674, "SHA512", "2.16.840.1.101.3.4.2.3", "SHA512", false),
  /** Plain SHA-224. */
  SHA224(675, "SHA224", "2.16.840.1.101.3.4.2.4", "SHA224", false);

  private final int nid;
  private final String shortName;
  private final String oid;
  private final String digest;
  private final boolean signatureAlgorithm;

  SignatureNid(int nid, String shortName, String oid, String digest, boolean signatureAlgorithm) {
    this.nid = nid;
    this.shortName = shortName;
    this.oid = oid;
    this.digest = digest;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  /** The OpenSSL NID. */
  public int nid() {
    return nid;
  }

  /** OpenSSL's short name, e.g. {@code RSA-MD5}. */
  public String shortName() {
    return shortName;
  }

  /** The object identifier (signature algorithm OID, or digest OID for plain digest NIDs). */
  public String oid() {
    return oid;
  }

  /** The verification digest in OpenSSL/ntpd naming: MD2, MD5, SHA (SHA-0), SHA1, SHA224..SHA512, MDC2, RIPEMD160. */
  public String digestName() {
    return digest;
  }

  /** Whether the NID names a signature algorithm (false for a plain digest NID). */
  public boolean isSignatureAlgorithm() {
    return signatureAlgorithm;
  }

  /**
   * Whether the digest exists in the OpenSSL 1.1.1 build the reference ntpd 4.2.8p15 (Debian
   * bullseye) links: false for SHA-0 (removed in OpenSSL 1.1.0), MD2 and MDC2 (disabled in that
   * build), so a peer advertising one of those NIDs gets {@code XEVNT_MD} from the reference ntpd.
   * Whether the DSA-SHA1 alias resolves there was not verified.
   */
  public boolean availableInReferenceBuild() {
    return !"SHA".equals(digest) && !"MD2".equals(digest) && !"MDC2".equals(digest);
  }

  /** The entry for a NID, or empty if ntpd's lookup would fail ({@code XEVNT_MD}). */
  public static Optional<SignatureNid> ofNid(int nid) {
    for (SignatureNid s : values()) {
      if (s.nid == nid) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The signature-algorithm entry for an OID, if any. */
  public static Optional<SignatureNid> ofSignatureOid(String oid) {
    for (SignatureNid s : values()) {
      if (s.signatureAlgorithm && s.oid.equals(oid)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
