package dev.autokey.core.cert;

import dev.autokey.core.crypto.SignatureAlgorithm;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * An Autokey certificate as ntpd's {@code cert_parse} sees it (docs/protocol.md §10.3): subject and
 * issuer strings, serial, validity, flags from the extensions, the GQ key from the
 * subjectKeyIdentifier, the public key, the DER bytes and the filestamp it arrived with.
 *
 * <p>Immutable; byte arrays are copied in and out. Built by a {@link CertificateCodec} (only the
 * codec checks the rules), so the constructor only checks for nulls.
 */
public final class CertificateInfo {
  private final String subject;
  private final String issuer;
  private final BigInteger serial;
  private final int version;
  private final long notBefore;
  private final long notAfter;
  private final String signatureOid;
  private final SignatureAlgorithm algorithm;
  private final boolean trustRoot;
  private final boolean privateCert;
  private final byte[] gqKey;
  private final byte[] subjectKeyIdentifier;
  private final PublicKey publicKey;
  private final byte[] der;
  private final byte[] tbs;
  private final byte[] signature;
  private final long filestamp;

  private CertificateInfo(Builder b) {
    this.subject = Objects.requireNonNull(b.subject, "subject");
    this.issuer = Objects.requireNonNull(b.issuer, "issuer");
    this.serial = Objects.requireNonNull(b.serial, "serial");
    this.version = b.version;
    this.notBefore = b.notBefore;
    this.notAfter = b.notAfter;
    this.signatureOid = Objects.requireNonNull(b.signatureOid, "signatureOid");
    this.algorithm = b.algorithm;
    this.trustRoot = b.trustRoot;
    this.privateCert = b.privateCert;
    this.gqKey = b.gqKey == null ? null : b.gqKey.clone();
    this.subjectKeyIdentifier = b.ski == null ? null : b.ski.clone();
    this.publicKey = Objects.requireNonNull(b.publicKey, "publicKey");
    this.der = Objects.requireNonNull(b.der, "der").clone();
    this.tbs = Objects.requireNonNull(b.tbs, "tbs").clone();
    this.signature = Objects.requireNonNull(b.signature, "signature").clone();
    if (b.filestamp < 0 || b.filestamp > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("filestamp not unsigned 32-bit: " + b.filestamp);
    }
    this.filestamp = b.filestamp;
  }

  /** A builder (for {@link CertificateCodec} implementations and tests). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Subject string: the text after the first {@code CN=} of OpenSSL's one-line form of the
   * subject name ({@code host} or {@code host@group} for ntp-keygen certificates).
   */
  public String subject() {
    return subject;
  }

  /** Issuer string, built like {@link #subject()}. */
  public String issuer() {
    return issuer;
  }

  /** Whether subject string equals issuer string (ntpd's notion of self-signed). */
  public boolean selfSigned() {
    return subject.equals(issuer);
  }

  /** The serial number. */
  public BigInteger serial() {
    return serial;
  }

  /** The serial as OpenSSL's {@code ASN1_INTEGER_get} returns it: −1 when it does not fit a long. */
  public long serialAsLong() {
    return serial.bitLength() <= 63 ? serial.longValue() : -1;
  }

  /** The X.509 version field value (2 for v3; 0 when absent). */
  public int version() {
    return version;
  }

  /**
   * notBefore as NTP seconds since 1900, not wrapped to 32 bits (times after 2036 are above
   * 2<sup>32</sup>), as ntpd's calendar comparison treats them.
   */
  public long notBefore() {
    return notBefore;
  }

  /** notAfter as NTP seconds since 1900, not wrapped (see {@link #notBefore()}). */
  public long notAfter() {
    return notAfter;
  }

  /** Whether {@code notBefore ≤ now ≤ notAfter} (now in unwrapped NTP seconds). */
  public boolean validAt(long now) {
    return notBefore <= now && now <= notAfter;
  }

  /** The signature algorithm OID. */
  public String signatureOid() {
    return signatureOid;
  }

  /** The signature algorithm, if this library supports it. */
  public Optional<SignatureAlgorithm> algorithm() {
    return Optional.ofNullable(algorithm);
  }

  /** The NID ntpd advertises in its status word (0 = NID_undef for unsupported algorithms). */
  public int nid() {
    return algorithm == null ? 0 : algorithm.nid();
  }

  /** extendedKeyUsage is exactly trustRoot (OpenSSL text {@code Trust Root}). */
  public boolean trustRoot() {
    return trustRoot;
  }

  /** Trusted as ntpd decides it: self-signed and trustRoot. */
  public boolean trusted() {
    return trustRoot && selfSigned();
  }

  /** extendedKeyUsage is exactly Private (the PC scheme); never served. */
  public boolean isPrivate() {
    return privateCert;
  }

  /**
   * The GQ public key as ntpd reads it: the subjectKeyIdentifier extnValue without its first two
   * bytes (wrong for values of 128 bytes or more, whose DER length is in long form).
   */
  public Optional<byte[]> gqKey() {
    return gqKey == null ? Optional.empty() : Optional.of(gqKey.clone());
  }

  /** The subjectKeyIdentifier octets properly DER-decoded, if present and well-formed. */
  public Optional<byte[]> subjectKeyIdentifier() {
    return subjectKeyIdentifier == null
        ? Optional.empty()
        : Optional.of(subjectKeyIdentifier.clone());
  }

  /** The subject public key. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** A copy of the DER certificate (without any trailing bytes it arrived with). */
  public byte[] der() {
    return der.clone();
  }

  /** DER length. */
  public int derLength() {
    return der.length;
  }

  /** A copy of the TBSCertificate bytes exactly as received. */
  public byte[] tbs() {
    return tbs.clone();
  }

  /** A copy of the signatureValue bit-string contents. */
  public byte[] signature() {
    return signature.clone();
  }

  /** The filestamp the certificate arrived with (file header or EF filestamp). */
  public long filestamp() {
    return filestamp;
  }

  /** The same certificate with another filestamp. */
  public CertificateInfo withFilestamp(long fs) {
    Builder b = toBuilder();
    b.filestamp = fs;
    return b.build();
  }

  /** Whether both hold the same DER bytes. */
  public boolean sameDer(CertificateInfo o) {
    return MessageDigest.isEqual(der, o.der);
  }

  private Builder toBuilder() {
    return builder()
        .subject(subject)
        .issuer(issuer)
        .serial(serial)
        .version(version)
        .validity(notBefore, notAfter)
        .signatureAlgorithm(signatureOid, algorithm)
        .trustRoot(trustRoot)
        .privateCertificate(privateCert)
        .gqKey(gqKey)
        .subjectKeyIdentifier(subjectKeyIdentifier)
        .publicKey(publicKey)
        .encoding(der, tbs, signature)
        .filestamp(filestamp);
  }

  @Override
  public String toString() {
    return "Certificate[subject=" + subject + ", issuer=" + issuer + ", serial=" + serial
        + ", fs=" + filestamp + (trusted() ? ", trusted" : "") + (privateCert ? ", private" : "")
        + "]";
  }

  /** Builder; every field except the flags and the GQ key / SKI is required. */
  public static final class Builder {
    private String subject;
    private String issuer;
    private BigInteger serial;
    private int version;
    private long notBefore;
    private long notAfter;
    private String signatureOid;
    private SignatureAlgorithm algorithm;
    private boolean trustRoot;
    private boolean privateCert;
    private byte[] gqKey;
    private byte[] ski;
    private PublicKey publicKey;
    private byte[] der;
    private byte[] tbs;
    private byte[] signature;
    private long filestamp;

    private Builder() {}

    /** Subject string. */
    public Builder subject(String s) {
      this.subject = s;
      return this;
    }

    /** Issuer string. */
    public Builder issuer(String s) {
      this.issuer = s;
      return this;
    }

    /** Serial. */
    public Builder serial(BigInteger s) {
      this.serial = s;
      return this;
    }

    /** Version field value. */
    public Builder version(int v) {
      this.version = v;
      return this;
    }

    /** Validity in unwrapped NTP seconds. */
    public Builder validity(long notBefore, long notAfter) {
      this.notBefore = notBefore;
      this.notAfter = notAfter;
      return this;
    }

    /** Signature algorithm OID and, when supported, its enum value (else null). */
    public Builder signatureAlgorithm(String oid, SignatureAlgorithm alg) {
      this.signatureOid = oid;
      this.algorithm = alg;
      return this;
    }

    /** trustRoot EKU present. */
    public Builder trustRoot(boolean b) {
      this.trustRoot = b;
      return this;
    }

    /** Private EKU present. */
    public Builder privateCertificate(boolean b) {
      this.privateCert = b;
      return this;
    }

    /** GQ key as ntpd reads it (null = none). */
    public Builder gqKey(byte[] k) {
      this.gqKey = k == null ? null : k.clone();
      return this;
    }

    /** Decoded subjectKeyIdentifier (null = none). */
    public Builder subjectKeyIdentifier(byte[] k) {
      this.ski = k == null ? null : k.clone();
      return this;
    }

    /** Public key. */
    public Builder publicKey(PublicKey k) {
      this.publicKey = k;
      return this;
    }

    /** DER of the certificate, its TBS part and its signature bits. */
    public Builder encoding(byte[] der, byte[] tbs, byte[] signature) {
      this.der = der.clone();
      this.tbs = tbs.clone();
      this.signature = signature.clone();
      return this;
    }

    /** Filestamp. */
    public Builder filestamp(long fs) {
      this.filestamp = fs;
      return this;
    }

    /** Builds the value. */
    public CertificateInfo build() {
      return new CertificateInfo(this);
    }
  }
}
