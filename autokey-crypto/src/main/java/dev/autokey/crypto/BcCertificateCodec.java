package dev.autokey.crypto;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateCodec;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.crypto.internal.BcKeys;
import dev.autokey.crypto.internal.Der;
import dev.autokey.crypto.internal.DsaDer;
import dev.autokey.crypto.internal.PeerKeys;
import dev.autokey.crypto.internal.RsaPkcs1;
import dev.autokey.crypto.internal.X509Names;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * {@link CertificateCodec} with ntpd 4.2.8p15's {@code cert_parse} rules (docs/protocol.md §10.3) on
 * Bouncy Castle's ASN.1 classes. Stateless and thread-safe; {@link #INSTANCE} is the one to use.
 *
 * <p>Where ntpd aborts or misreads, this codec rejects cleanly with {@code XEVNT_CRT}: time
 * strings outside 13..23 characters (ntpd: assertion failure), non-digit time fields, one-line
 * names longer than {@link #MAX_ONELINE} characters. Trailing bytes after the certificate are
 * ignored as OpenSSL does. Public keys must be RSA or DSA.
 *
 * <p>Public-key bounds (a certificate's key is chosen by whoever sends it): RSA modulus or DSA p
 * of {@value PeerKeys#MIN_BITS} bits up to the codec's maximum ({@link #DEFAULT_MAX_KEY_BITS}
 * for {@link #INSTANCE}, see {@link #withMaxKeyBits}), RSA public exponent odd 3..2<sup>64</sup>−1,
 * DSA q of 160, 224 or 256 bits (as OpenSSL verifies). These are read from the DER before any
 * big integer is built or any signature checked, and refused with {@code XEVNT_CRT}. RSA keys are
 * later used without Bouncy Castle's probable-prime test of the modulus.
 */
public final class BcCertificateCodec implements CertificateCodec {
  /**
   * Default largest certificate key (RSA modulus, DSA p): 4096 bits. ntp-keygen makes 256..2048,
   * OpenSSL and CAs commonly up to 4096.
   */
  public static final int DEFAULT_MAX_KEY_BITS = PeerKeys.DEFAULT_MAX_BITS;

  /** The instance, with the default key bound. */
  public static final BcCertificateCodec INSTANCE = new BcCertificateCodec(DEFAULT_MAX_KEY_BITS);

  /** Largest certificate accepted. */
  public static final int MAX_DER_LENGTH = 16 * 1024;
  /** Longest one-line subject/issuer text (ntpd's name buffer). */
  public static final int MAX_ONELINE = 255;

  static final String OID_EKU = "2.5.29.37";
  static final String OID_SKI = "2.5.29.14";
  static final String OID_TRUST_ROOT = "1.3.6.1.5.5.7.48.1.11";
  static final String OID_PRIVATE = "1.3.6.1.4";

  private final int maxKeyBits;

  private BcCertificateCodec(int maxKeyBits) {
    this.maxKeyBits = maxKeyBits;
  }

  /**
   * A codec accepting certificate keys of up to {@code bits} bits.
   *
   * @param bits 512..16384
   * @throws IllegalArgumentException outside that range
   */
  public static BcCertificateCodec withMaxKeyBits(int bits) {
    PeerKeys.checkBound(bits);
    return bits == DEFAULT_MAX_KEY_BITS ? INSTANCE : new BcCertificateCodec(bits);
  }

  /** The largest certificate key accepted, bits. */
  public int maxKeyBits() {
    return maxKeyBits;
  }

  /**
   * The work units ({@link dev.autokey.core.protocol.WorkBudget}) of verifying one signature
   * with a certificate's public key, from the key's sizes read from the DER without big-integer
   * arithmetic and checked against this codec's bounds.
   *
   * @param der the certificate, DER
   * @throws AutokeyException {@code XEVNT_CRT} when the key is out of range or not found, or the
   *     certificate is empty or longer than {@link #MAX_DER_LENGTH}
   */
  public double verifyWork(byte[] der) throws AutokeyException {
    if (der == null || der.length == 0 || der.length > MAX_DER_LENGTH) {
      throw crt("certificate length not in 1.." + MAX_DER_LENGTH);
    }
    return PeerKeys.certificateKey(der, maxKeyBits).publicWork();
  }

  @Override
  public CertificateInfo decode(byte[] der, long filestamp) throws AutokeyException {
    if (der == null || der.length == 0) {
      throw crt("empty certificate");
    }
    if (der.length > MAX_DER_LENGTH) {
      throw crt("certificate of " + der.length + " bytes exceeds " + MAX_DER_LENGTH);
    }
    if (filestamp < 0 || filestamp > 0xFFFF_FFFFL) {
      throw crt("filestamp not unsigned 32-bit: " + filestamp);
    }
    byte[] certBytes;
    byte[] tbsBytes;
    try {
      Der.Tlv outer = Der.read(der, 0, der.length);
      if (outer.tag() != 0x30) {
        throw crt("certificate does not start with a SEQUENCE");
      }
      certBytes = outer.end() == der.length ? der.clone() : Arrays.copyOf(der, outer.end());
      Der.Tlv tbs = Der.read(certBytes, outer.contentOffset(), outer.end());
      if (tbs.tag() != 0x30) {
        throw crt("TBSCertificate is not a SEQUENCE");
      }
      tbsBytes = Der.whole(certBytes, tbs);
    } catch (IllegalArgumentException e) {
      throw crt("malformed certificate DER: " + e.getMessage());
    }
    PeerKeys.certificateKey(certBytes, maxKeyBits); // bounds, before any big integer
    Certificate cert;
    try {
      cert = Certificate.getInstance(ASN1Primitive.fromByteArray(certBytes));
    } catch (java.io.IOException | RuntimeException e) {
      throw crt("not an X.509 certificate: " + e.getMessage());
    }
    try {
      return build(cert, certBytes, tbsBytes, filestamp);
    } catch (AutokeyException e) {
      throw e;
    } catch (RuntimeException e) {
      throw crt("malformed certificate: " + e);
    }
  }

  private CertificateInfo build(Certificate cert, byte[] certBytes, byte[] tbsBytes, long fs)
      throws AutokeyException {
    TBSCertificate tbs = cert.getTBSCertificate();
    PublicKey key = publicKey(cert);
    String subjectLine = X509Names.oneline(tbs.getSubject());
    String issuerLine = X509Names.oneline(tbs.getIssuer());
    if (subjectLine.length() > MAX_ONELINE || issuerLine.length() > MAX_ONELINE) {
      throw crt("subject/issuer name longer than " + MAX_ONELINE + " characters");
    }
    String subject = X509Names.ntpdName(subjectLine);
    String issuer = X509Names.ntpdName(issuerLine);
    if (subject == null) {
      throw crt("subject '" + shown(subjectLine) + "' has no CN=");
    }
    if (issuer == null) {
      throw crt("issuer '" + shown(issuerLine) + "' has no CN=");
    }
    long notBefore = ntpTime(tbs.getStartDate().toASN1Primitive(), "notBefore");
    long notAfter = ntpTime(tbs.getEndDate().toASN1Primitive(), "notAfter");
    if (notBefore > notAfter) {
      throw crt("notBefore is after notAfter");
    }
    if (notBefore < fs) {
      throw crt("notBefore " + notBefore + " is earlier than the filestamp " + fs);
    }
    String outerOid = cert.getSignatureAlgorithm().getAlgorithm().getId();
    SignatureAlgorithm alg = SignatureAlgorithm.ofOid(outerOid).orElse(null);
    if (alg != null && !cert.getSignatureAlgorithm().equals(tbs.getSignature())) {
      alg = null; // OpenSSL X509_verify refuses mismatching inner/outer algorithms
    }
    if (cert.getSignature().getPadBits() != 0) {
      throw crt("signature BIT STRING has unused bits");
    }
    boolean trustRoot = false;
    boolean priv = false;
    byte[] gq = null;
    byte[] ski = null;
    Extensions exts = tbs.getExtensions();
    if (exts != null) {
      for (ASN1ObjectIdentifier oid : exts.getExtensionOIDs()) {
        Extension ext = exts.getExtension(oid);
        byte[] v = ext.getExtnValue().getOctets();
        if (oid.getId().equals(OID_EKU)) {
          String single = singleEku(v);
          if (OID_TRUST_ROOT.equals(single)) {
            trustRoot = true;
          } else if (OID_PRIVATE.equals(single)) {
            priv = true;
          }
        } else if (oid.getId().equals(OID_SKI)) {
          if (v.length >= 2) {
            gq = Arrays.copyOfRange(v, 2, v.length);
          }
          ski = skiOctets(v);
        }
      }
    }
    int version = tbs.getVersion() == null ? 0 : tbs.getVersion().intValueExact();
    BigInteger serial = tbs.getSerialNumber().getValue();
    return CertificateInfo.builder()
        .subject(subject)
        .issuer(issuer)
        .serial(serial)
        .version(version)
        .validity(notBefore, notAfter)
        .signatureAlgorithm(outerOid, alg)
        .trustRoot(trustRoot)
        .privateCertificate(priv)
        .gqKey(gq)
        .subjectKeyIdentifier(ski)
        .publicKey(key)
        .encoding(certBytes, tbsBytes, cert.getSignature().getOctets())
        .filestamp(fs)
        .build();
  }

  private static String singleEku(byte[] v) {
    try {
      ASN1Sequence s = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(v));
      if (s.size() != 1) {
        return null;
      }
      return ASN1ObjectIdentifier.getInstance(s.getObjectAt(0)).getId();
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static byte[] skiOctets(byte[] v) {
    try {
      return ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(v)).getOctets();
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private PublicKey publicKey(Certificate cert) throws AutokeyException {
    var spki = cert.getSubjectPublicKeyInfo();
    ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
    String name;
    if (PKCSObjectIdentifiers.rsaEncryption.equals(alg)) {
      name = "RSA";
    } else if (X9ObjectIdentifiers.id_dsa.equals(alg)) {
      name = "DSA";
    } else {
      throw new AutokeyException(XEvent.CRT, "public key algorithm " + alg + " is not RSA or DSA");
    }
    try {
      byte[] enc = spki.getEncoded(ASN1Encoding.DER);
      // the JDK's key factories (SunRsaSign, SUN) do no primality or group test
      PublicKey k = KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(enc));
      if (BcKeys.bits(k) > maxKeyBits) {
        throw new AutokeyException(XEvent.CRT, "public key larger than " + maxKeyBits + " bits");
      }
      return k;
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      throw new AutokeyException(XEvent.CRT, "public key not usable: " + e.getMessage(), e);
    }
  }

  /**
   * ntpd's {@code asn_to_calendar}: fields taken from the end of the raw time string (the last
   * character, normally Z, ignored), the rest is the year; years &lt; 50 → 20xx, &lt; 150 → 19xx.
   */
  static long ntpTime(ASN1Primitive time, String what) throws AutokeyException {
    byte[] enc;
    try {
      enc = time.getEncoded();
    } catch (java.io.IOException e) {
      throw crt(what + " unreadable");
    }
    Der.Tlv t;
    try {
      t = Der.read(enc, 0, enc.length);
    } catch (IllegalArgumentException e) {
      throw crt(what + " unreadable");
    }
    int len = t.contentLength();
    if (len < 13 || len > 23) {
      throw crt(what + " time string of " + len + " characters not in 13..23");
    }
    String s = new String(enc, t.contentOffset(), len, java.nio.charset.StandardCharsets.ISO_8859_1);
    int sec = digits(s, len - 3, len - 1, what);
    int min = digits(s, len - 5, len - 3, what);
    int hour = digits(s, len - 7, len - 5, what);
    int day = digits(s, len - 9, len - 7, what);
    int month = digits(s, len - 11, len - 9, what);
    long year = digits(s, 0, len - 11, what);
    if (year < 50) {
      year += 100;
    }
    if (year < 150) {
      year += 1900;
    }
    try {
      LocalDateTime dt = LocalDateTime.of((int) year, month, day, hour, min, sec);
      return dt.toEpochSecond(ZoneOffset.UTC) + NtpTime.UNIX_EPOCH_OFFSET;
    } catch (DateTimeException e) {
      throw crt(what + " '" + shown(s) + "' is not a valid date");
    }
  }

  private static int digits(String s, int from, int to, String what) throws AutokeyException {
    if (to - from > 9 || to <= from) {
      throw crt(what + " '" + shown(s) + "' malformed");
    }
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw crt(what + " '" + shown(s) + "' has a non-digit");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  @Override
  public void verify(CertificateInfo cert, PublicKey signerKey) throws AutokeyException {
    SignatureAlgorithm alg =
        cert.algorithm()
            .orElseThrow(
                () -> new AutokeyException(
                    XEvent.VFY, "unsupported certificate signature algorithm " + cert.signatureOid()));
    boolean ok;
    try {
      if (signerKey instanceof RSAPublicKey && alg.keyType() == SignatureAlgorithm.KeyType.RSA) {
        ok = RsaPkcs1.verify((RSAKeyParameters) BcKeys.publicParams(signerKey), alg.digest(),
            cert.tbs(), cert.signature());
      } else if (signerKey instanceof DSAPublicKey && alg.keyType() == SignatureAlgorithm.KeyType.DSA) {
        ok = DsaDer.verify((DSAPublicKeyParameters) BcKeys.publicParams(signerKey), alg.digest(),
            cert.tbs(), cert.signature());
      } else {
        ok = false;
      }
    } catch (RuntimeException e) {
      ok = false;
    }
    if (!ok) {
      throw new AutokeyException(
          XEvent.VFY, "certificate " + shown(cert.subject()) + " not signed by the given key");
    }
  }

  private static AutokeyException crt(String msg) {
    return new AutokeyException(XEvent.CRT, msg);
  }

  static String shown(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 80; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c > 0x7e ? '?' : c);
    }
    return b.toString();
  }
}
