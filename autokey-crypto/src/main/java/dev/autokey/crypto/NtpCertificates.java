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
import dev.autokey.crypto.internal.RsaPkcs1;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.DSAParameter;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.DSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * Creates certificates exactly as ntp-keygen 4.2.8p15 ({@code x509()}, docs/protocol.md §10.1,
 * docs/keyfiles.md §5) and as ntpd's SIGN exchange ({@code cert_sign}, §10.2) does.
 *
 * <p>RSA signatures are deterministic, so an RSA-signed certificate built from the same inputs is
 * byte-identical to ntp-keygen's; DSA signatures are randomised.
 */
public final class NtpCertificates {
  /** Lifetime of a certificate issued by the SIGN exchange: 365 days. */
  public static final long SIGN_LIFETIME_SECONDS = 31_536_000L;
  /** ntp-keygen's default lifetime in days ({@code -l}). */
  public static final int DEFAULT_LIFETIME_DAYS = 365;
  /** Largest SIGN request accepted (ntpd: payload 1..65511). */
  public static final int MAX_REQUEST_LENGTH = 65_511;

  private NtpCertificates() {}

  /** The extendedKeyUsage variants ntp-keygen writes. */
  public enum Kind {
    /** No extendedKeyUsage. */
    ORDINARY,
    /** {@code -T}: extendedKeyUsage trustRoot 1.3.6.1.5.5.7.48.1.11. */
    TRUST_ROOT,
    /** {@code -P}: extendedKeyUsage Private 1.3.6.1.4. */
    PRIVATE
  }

  /**
   * What ntp-keygen puts in a certificate.
   *
   * @param commonName {@code host} or {@code host@group}
   * @param serial NTP seconds of generation (ntp-keygen) — any positive value
   * @param notBeforeNtp notBefore in NTP seconds (normally = serial)
   * @param lifetimeDays {@code -l} (notAfter = notBefore + days × 86400)
   * @param kind ordinary / trusted / private
   * @param gqPublicKey GQ public value v (big-endian, minimal) for the subjectKeyIdentifier, or
   *     null
   * @param subjectKey the public key certified (the sign key's, else the host key's)
   */
  public record Spec(
      String commonName,
      BigInteger serial,
      long notBeforeNtp,
      int lifetimeDays,
      Kind kind,
      byte[] gqPublicKey,
      PublicKey subjectKey) {
    /** Validates. */
    public Spec {
      Objects.requireNonNull(commonName, "commonName");
      Objects.requireNonNull(serial, "serial");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(subjectKey, "subjectKey");
      if (commonName.isEmpty() || commonName.length() > 255) {
        throw new IllegalArgumentException("common name length " + commonName.length() + " not in 1..255");
      }
      if (serial.signum() <= 0) {
        throw new IllegalArgumentException("serial must be positive");
      }
      if (lifetimeDays < 0 || lifetimeDays > 100_000) {
        throw new IllegalArgumentException("lifetime " + lifetimeDays + " days out of range");
      }
      gqPublicKey = gqPublicKey == null ? null : gqPublicKey.clone();
    }
  }

  /**
   * A self-signed certificate as ntp-keygen makes it.
   *
   * @param spec the contents
   * @param signKey the private key matching {@code spec.subjectKey()}
   * @param algorithm the signature algorithm ({@code -c}; for a DSA key the DSA algorithm with the
   *     same digest)
   * @param random randomness for RSA blinding / DSA k
   * @return the DER certificate
   */
  public static byte[] selfSigned(
      Spec spec, PrivateKey signKey, SignatureAlgorithm algorithm, SecureRandom random) {
    checkPair(signKey, algorithm);
    X500Name name = cnName(spec.commonName());
    ASN1EncodableVector exts = new ASN1EncodableVector();
    exts.add(new Extension(Extension.basicConstraints, true, der(new BasicConstraints(true))));
    exts.add(
        new Extension(
            Extension.keyUsage,
            false,
            der(new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign))));
    if (spec.gqPublicKey() != null) {
      exts.add(
          new Extension(
              Extension.subjectKeyIdentifier, false, der(new DEROctetString(spec.gqPublicKey()))));
    }
    if (spec.kind() == Kind.TRUST_ROOT) {
      exts.add(new Extension(Extension.extendedKeyUsage, false, der(new ExtendedKeyUsage(
          KeyPurposeId.getInstance(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.1.11"))))));
    } else if (spec.kind() == Kind.PRIVATE) {
      exts.add(new Extension(Extension.extendedKeyUsage, false, der(new ExtendedKeyUsage(
          KeyPurposeId.getInstance(new ASN1ObjectIdentifier("1.3.6.1.4"))))));
    }
    long notAfter = spec.notBeforeNtp() + spec.lifetimeDays() * 86_400L;
    byte[] tbs =
        tbs(
            2,
            spec.serial(),
            algorithmIdentifier(algorithm),
            name.toASN1Primitive(),
            spec.notBeforeNtp(),
            notAfter,
            name.toASN1Primitive(),
            spki(spec.subjectKey()).toASN1Primitive(),
            new DERSequence(exts));
    return assemble(tbs, algorithm, signKey, random);
  }

  /**
   * The SIGN exchange, server side ({@code cert_sign}, docs/protocol.md §10.2), hardened: the request
   * must be a self-signed certificate whose signature verifies with its own key (ntpd does not
   * check; T25).
   *
   * @param request the SIGN request value (the requester's self-signed certificate)
   * @param signerCertificate the server's own certificate (its subject becomes the issuer CN)
   * @param signKey the server's sign key
   * @param algorithm the server certificate's signature algorithm
   * @param now the server's NTP seconds (0 = unsynchronised)
   * @param codec for decoding and checking the request
   * @return the new certificate, DER
   * @throws AutokeyException {@code XEVNT_TSP} unsynchronised; {@code XEVNT_LEN} size; {@code
   *     XEVNT_CRT} not a certificate; {@code XEVNT_VFY} request not self-signed or its signature
   *     does not verify, or the result does not verify; {@code XEVNT_PER} own certificate not
   *     valid now
   */
  public static byte[] signRequest(
      byte[] request,
      CertificateInfo signerCertificate,
      PrivateKey signKey,
      SignatureAlgorithm algorithm,
      long now,
      CertificateCodec codec,
      SecureRandom random)
      throws AutokeyException {
    Objects.requireNonNull(request, "request");
    if (now == 0) {
      throw new AutokeyException(XEvent.TSP, "unsynchronised: not signing");
    }
    if (request.length == 0 || request.length > MAX_REQUEST_LENGTH) {
      throw new AutokeyException(
          XEvent.LEN, "SIGN request length " + request.length + " not in 1.." + MAX_REQUEST_LENGTH);
    }
    CertificateInfo req = codec.decode(request, 0);
    if (!req.selfSigned()) {
      throw new AutokeyException(XEvent.VFY, "SIGN request for " + req.subject() + " is not self-signed");
    }
    codec.verify(req, req.publicKey());
    if (!signerCertificate.validAt(now)) {
      throw new AutokeyException(XEvent.PER, "own certificate not valid at " + now);
    }
    checkPair(signKey, algorithm);
    TBSCertificate rt;
    try {
      rt = TBSCertificate.getInstance(ASN1Primitive.fromByteArray(req.tbs()));
    } catch (IOException | RuntimeException e) {
      throw new AutokeyException(XEvent.CRT, "SIGN request TBSCertificate unreadable", e);
    }
    Extensions re = rt.getExtensions();
    ASN1EncodableVector exts = new ASN1EncodableVector();
    if (re != null) {
      for (ASN1ObjectIdentifier oid : re.getExtensionOIDs()) {
        exts.add(re.getExtension(oid));
      }
    }
    byte[] tbs =
        tbs(
            req.version(),
            BigInteger.valueOf(now),
            algorithmIdentifier(algorithm),
            cnName(signerCertificate.subject()).toASN1Primitive(),
            now,
            now + SIGN_LIFETIME_SECONDS,
            rt.getSubject().toASN1Primitive(),
            rt.getSubjectPublicKeyInfo().toASN1Primitive(),
            re == null ? null : new DERSequence(exts));
    byte[] out = assemble(tbs, algorithm, signKey, random);
    CertificateInfo issued = codec.decode(out, 0);
    codec.verify(issued, signerCertificate.publicKey());
    return out;
  }

  private static byte[] tbs(
      int version,
      BigInteger serial,
      AlgorithmIdentifier sigAlg,
      ASN1Primitive issuer,
      long notBefore,
      long notAfter,
      ASN1Primitive subject,
      ASN1Primitive spki,
      ASN1Sequence extensions) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    if (version != 0) {
      v.add(new DERTaggedObject(true, 0, new ASN1Integer(version)));
    }
    v.add(new ASN1Integer(serial));
    v.add(sigAlg);
    v.add(issuer);
    v.add(new DERSequence(new ASN1Encodable[] {time(notBefore), time(notAfter)}));
    v.add(subject);
    v.add(spki);
    if (extensions != null) {
      v.add(new DERTaggedObject(true, 3, extensions));
    }
    return der(new DERSequence(v));
  }

  private static byte[] assemble(
      byte[] tbs, SignatureAlgorithm alg, PrivateKey key, SecureRandom random) {
    var params = BcKeys.privateParams(key);
    byte[] sig =
        params instanceof RSAKeyParameters rp
            ? RsaPkcs1.sign(rp, alg.digest(), tbs, random)
            : DsaDer.sign((DSAPrivateKeyParameters) params, alg.digest(), tbs, random);
    ASN1EncodableVector v = new ASN1EncodableVector();
    try {
      v.add(ASN1Primitive.fromByteArray(tbs));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    v.add(algorithmIdentifier(alg));
    v.add(new DERBitString(sig));
    byte[] out = der(new DERSequence(v));
    // sanity: what we wrote parses as a certificate
    Certificate.getInstance(out);
    return out;
  }

  /** The signature AlgorithmIdentifier as OpenSSL writes it: NULL parameters for RSA, none for DSA. */
  static AlgorithmIdentifier algorithmIdentifier(SignatureAlgorithm alg) {
    ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier(alg.oid());
    return alg.keyType() == SignatureAlgorithm.KeyType.RSA
        ? new AlgorithmIdentifier(oid, DERNull.INSTANCE)
        : new AlgorithmIdentifier(oid);
  }

  /** A Name of one RDN, commonName as UTF8String. */
  static X500Name cnName(String cn) {
    return new X500Name(new RDN[] {new RDN(BCStyle.CN, new DERUTF8String(cn))});
  }

  /** SubjectPublicKeyInfo as OpenSSL encodes it. */
  static SubjectPublicKeyInfo spki(PublicKey k) {
    try {
      if (k instanceof RSAPublicKey r) {
        return new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
            new org.bouncycastle.asn1.pkcs.RSAPublicKey(r.getModulus(), r.getPublicExponent()));
      }
      if (k instanceof DSAPublicKey d) {
        var p = d.getParams();
        return new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(
                X9ObjectIdentifiers.id_dsa, new DSAParameter(p.getP(), p.getQ(), p.getG())),
            new ASN1Integer(d.getY()));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalArgumentException("unsupported key " + k.getAlgorithm());
  }

  /** UTCTime for 1950..2049, GeneralizedTime otherwise (OpenSSL's ASN1_TIME_set rule). */
  static Time time(long ntpSeconds) {
    long unix = ntpSeconds - NtpTime.UNIX_EPOCH_OFFSET;
    return new Time(new Date(unix * 1000L), java.util.Locale.ROOT);
  }

  private static void checkPair(PrivateKey key, SignatureAlgorithm alg) {
    boolean rsa = key instanceof RSAKey;
    if (rsa != (alg.keyType() == SignatureAlgorithm.KeyType.RSA)) {
      throw new IllegalArgumentException(alg.opensslName() + " does not fit a " + key.getAlgorithm() + " key");
    }
  }

  static byte[] der(ASN1Encodable o) {
    try {
      return o.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The raw DER of the first TLV in a byte array (for tests). */
  static byte[] firstTlv(byte[] b) {
    return Der.whole(b, Der.read(b, 0, b.length));
  }
}
