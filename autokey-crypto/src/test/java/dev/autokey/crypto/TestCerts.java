package dev.autokey.crypto;

import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.crypto.internal.BcKeys;
import dev.autokey.crypto.internal.RsaPkcs1;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/** Hand-built certificates for negative tests. */
final class TestCerts {
  private TestCerts() {}

  static final SecureRandom RND = new SecureRandom();

  static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits, RND);
    return g.generateKeyPair();
  }

  /** A certificate with arbitrary names, raw time primitives and extensions, RSA-SHA256-signed. */
  static byte[] build(KeyPair subjectKey, KeyPair signer, X500Name subject, X500Name issuer,
      ASN1Primitive notBefore, ASN1Primitive notAfter, List<Extension> exts, BigInteger serial) {
    var alg = NtpCertificates.algorithmIdentifier(SignatureAlgorithm.RSA_SHA256);
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new DERTaggedObject(true, 0, new ASN1Integer(2)));
    v.add(new ASN1Integer(serial));
    v.add(alg);
    v.add(issuer);
    v.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {notBefore, notAfter}));
    v.add(subject);
    v.add(NtpCertificates.spki(subjectKey.getPublic()));
    if (!exts.isEmpty()) {
      v.add(new DERTaggedObject(true, 3, new DERSequence(exts.toArray(new Extension[0]))));
    }
    byte[] tbs = NtpCertificates.der(new DERSequence(v));
    byte[] sig = RsaPkcs1.sign((RSAKeyParameters) BcKeys.privateParams(signer.getPrivate()),
        "SHA256", tbs, RND);
    ASN1EncodableVector c = new ASN1EncodableVector();
    try {
      c.add(ASN1Primitive.fromByteArray(tbs));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    c.add(alg);
    c.add(new DERBitString(sig));
    return NtpCertificates.der(new DERSequence(c));
  }

  static ASN1Primitive utc(String s) {
    return new org.bouncycastle.asn1.DERUTCTime(s);
  }

  static X500Name cn(String s) {
    return NtpCertificates.cnName(s);
  }
}
