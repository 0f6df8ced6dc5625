package dev.autokey.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.CookieCipher;
import dev.autokey.core.crypto.CookieResponses;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarning;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.crypto.SignedBytes;
import dev.autokey.core.crypto.Signer;
import dev.autokey.crypto.internal.BcKeys;
import dev.autokey.crypto.internal.RsaOaep;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signatures, cookies and SIGN: T10, T15–T18, T25 and the policy. */
class ProtocolCryptoTest {
  static final SecureRandom RND = new SecureRandom();
  static final CryptoPolicy LEGACY = CryptoPolicy.legacy(CryptoWarningListener.IGNORE);
  static final long T0 = 4_004_335_813L;
  static KeyPair server;
  static KeyPair client;

  @BeforeAll
  static void keys() throws Exception {
    server = TestCerts.rsa(1024);
    client = TestCerts.rsa(512);
  }

  static byte[] pkcs1(RSAPublicKey k) throws Exception {
    return new org.bouncycastle.asn1.pkcs.RSAPublicKey(k.getModulus(), k.getPublicExponent())
        .getEncoded(ASN1Encoding.DER);
  }

  @Test
  void signAndVerifyRoundTripAndRejections_T10() throws Exception {
    for (SignatureAlgorithm alg : List.of(SignatureAlgorithm.RSA_MD5, SignatureAlgorithm.RSA_SHA1,
        SignatureAlgorithm.RSA_SHA256, SignatureAlgorithm.RSA_RIPEMD160, SignatureAlgorithm.RSA_SHA224)) {
      Signer s = BcSignatures.signer(server.getPrivate(), alg, RND);
      SignatureVerifier v = BcSignatures.verifier(server.getPublic(), alg, LEGACY);
      byte[] data = SignedBytes.of(T0, T0 - 5, "value".getBytes());
      byte[] sig = s.sign(data);
      assertEquals(128, sig.length);
      assertEquals(128, v.signatureLength());
      v.verify(data, sig);
      byte[] bad = sig.clone();
      bad[10] ^= 1;
      assertEquals(XEvent.SIG, assertThrows(AutokeyException.class, () -> v.verify(data, bad)).event());
      assertEquals(XEvent.SGL, assertThrows(AutokeyException.class,
          () -> v.verify(data, Arrays.copyOf(sig, 127))).event());
      assertEquals(XEvent.ERR, assertThrows(AutokeyException.class,
          () -> v.verify(data, new byte[0])).event());
      byte[] big = new byte[128];
      Arrays.fill(big, (byte) 0xff);
      assertEquals(XEvent.SIG, assertThrows(AutokeyException.class, () -> v.verify(data, big)).event(),
          "signature >= modulus");
    }
    // DSA: our signer sends only maximum-length DER (ntpd's length rule); the verifier accepts
    // any valid DER up to that length
    KeyPairGenerator g = KeyPairGenerator.getInstance("DSA");
    g.initialize(1024, RND);
    KeyPair d = g.generateKeyPair();
    Signer s = BcSignatures.signer(d.getPrivate(), SignatureAlgorithm.DSA_SHA1, RND);
    SignatureVerifier v = BcSignatures.verifier(d.getPublic(), SignatureAlgorithm.DSA_SHA1, LEGACY);
    assertEquals(48, v.signatureLength());
    assertEquals(48, s.signatureLength());
    for (int i = 0; i < 40; i++) {
      byte[] data = ("m" + i).getBytes();
      byte[] sig = s.sign(data);
      assertEquals(48, sig.length);
      v.verify(data, sig);
      byte[] garbage = new byte[48];
      RND.nextBytes(garbage);
      assertEquals(XEvent.SIG, assertThrows(AutokeyException.class, () -> v.verify(data, garbage)).event());
      assertEquals(XEvent.SGL, assertThrows(AutokeyException.class,
          () -> v.verify(data, Arrays.copyOf(sig, 49))).event());
    }
    // NIDs from the status word
    assertEquals(SignatureAlgorithm.RSA_MD5, BcSignatures.verifierForNid(server.getPublic(), 8, LEGACY).algorithm());
    assertEquals(SignatureAlgorithm.DSA_SHA1, BcSignatures.verifierForNid(d.getPublic(), 65, LEGACY).algorithm());
    assertEquals(XEvent.MD, assertThrows(AutokeyException.class,
        () -> BcSignatures.verifierForNid(server.getPublic(), 0xFFFF, LEGACY)).event());
  }

  @Test
  void strictPolicyRefusesMd5AndShortKeysLegacyWarns() throws Exception {
    List<CryptoWarning> w = new ArrayList<>();
    BcSignatures.verifier(client.getPublic(), SignatureAlgorithm.RSA_MD5, CryptoPolicy.legacy(w::add));
    assertEquals(2, w.size());
    assertEquals(CryptoWarning.Kind.MD5_SIGNATURE, w.get(0).kind());
    assertEquals(CryptoWarning.Kind.SHORT_KEY, w.get(1).kind());
    CryptoPolicy strict = CryptoPolicy.strict(CryptoWarningListener.IGNORE);
    assertEquals(XEvent.MD, assertThrows(AutokeyException.class,
        () -> BcSignatures.verifier(server.getPublic(), SignatureAlgorithm.RSA_MD5, strict)).event());
    assertEquals(XEvent.PUB, assertThrows(AutokeyException.class,
        () -> BcSignatures.verifier(server.getPublic(), SignatureAlgorithm.RSA_SHA256, strict)).event());
  }

  /** A cookie cipher that counts decryptions. */
  static final class Counting implements CookieCipher {
    final CookieCipher inner;
    final AtomicInteger decrypts = new AtomicInteger();

    Counting(CookieCipher inner) {
      this.inner = inner;
    }

    @Override
    public byte[] encrypt(int cookie, byte[] key) throws AutokeyException {
      return inner.encrypt(cookie, key);
    }

    @Override
    public int decrypt(byte[] ct) throws AutokeyException {
      decrypts.incrementAndGet();
      return inner.decrypt(ct);
    }

    @Override
    public int ciphertextLength() {
      return inner.ciphertextLength();
    }

    @Override
    public byte[] publicKeyPkcs1() {
      return inner.publicKeyPkcs1();
    }
  }

  @Test
  void cookieTransport_T15_T16_T17() throws Exception {
    Counting cc = new Counting(BcCookieCipher.withHostKey((RSAPrivateCrtKey) client.getPrivate(), LEGACY, RND));
    BcCookieCipher serverSide = BcCookieCipher.serverOnly(LEGACY, RND);
    Signer ss = BcSignatures.signer(server.getPrivate(), SignatureAlgorithm.RSA_MD5, RND);
    SignatureVerifier sv = BcSignatures.verifier(server.getPublic(), SignatureAlgorithm.RSA_MD5, LEGACY);
    byte[] req = cc.publicKeyPkcs1();
    byte[] ct = serverSide.encrypt(0x9498bc2a, req);
    assertEquals(64, ct.length);
    byte[] sig = ss.sign(SignedBytes.of(T0, T0 - 1, ct));
    assertEquals(0x9498bc2a, CookieResponses.open(sv, cc, T0, T0 - 1, ct, sig));
    assertEquals(1, cc.decrypts.get());
    // T15: plaintexts of other lengths are rejected as bad cookie
    RSAKeyParameters pub = (RSAKeyParameters) BcKeys.publicParams(client.getPublic());
    for (int n : new int[] {0, 3, 5, 16, 64 - 42}) {
      byte[] c = RsaOaep.encrypt(pub, new byte[n], null, RND);
      byte[] sg = ss.sign(SignedBytes.of(T0, T0, c));
      assertEquals(XEvent.CKY, assertThrows(AutokeyException.class,
          () -> CookieResponses.open(sv, cc, T0, T0, c, sg)).event(), "plaintext of " + n);
    }
    // T16: length != modulus length rejected before decryption
    int before = cc.decrypts.get();
    byte[] longer = Arrays.copyOf(ct, 65);
    byte[] sgl = ss.sign(SignedBytes.of(T0, T0, longer));
    assertEquals(XEvent.CKY, assertThrows(AutokeyException.class,
        () -> CookieResponses.open(sv, cc, T0, T0, longer, sgl)).event());
    assertEquals(before, cc.decrypts.get());
    // T17: bad signature, well-formed ciphertext: decryptor never called
    byte[] badSig = sig.clone();
    badSig[5] ^= 0x40;
    assertEquals(XEvent.SIG, assertThrows(AutokeyException.class,
        () -> CookieResponses.open(sv, cc, T0, T0 - 1, ct, badSig)).event());
    assertEquals(before, cc.decrypts.get());
  }

  @Test
  void cookRequestKeysCheckedBeforeAnyRsaOperation_T18() throws Exception {
    BcCookieCipher s = BcCookieCipher.serverOnly(LEGACY, RND);
    List<byte[]> bad = new ArrayList<>();
    bad.add(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
    bad.add(new byte[0]);
    bad.add(new byte[] {0x30, (byte) 0x80, 0x00, 0x00});
    bad.add(server.getPublic().getEncoded()); // SubjectPublicKeyInfo, not PKCS#1
    BigInteger n = ((RSAPublicKey) server.getPublic()).getModulus();
    bad.add(new org.bouncycastle.asn1.pkcs.RSAPublicKey(n, BigInteger.ONE).getEncoded());
    bad.add(new org.bouncycastle.asn1.pkcs.RSAPublicKey(n, BigInteger.valueOf(65536)).getEncoded());
    bad.add(new org.bouncycastle.asn1.pkcs.RSAPublicKey(BigInteger.ONE.shiftLeft(16383).setBit(0),
        BigInteger.valueOf(65537)).getEncoded());
    byte[] good = pkcs1((RSAPublicKey) server.getPublic());
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    bad.add(trailing);
    for (byte[] k : bad) {
      AutokeyException e = assertThrows(AutokeyException.class, () -> s.encrypt(1, k));
      assertEquals(XEvent.PUB, e.event(), e.getMessage());
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    // 256-bit modulus: too small for OAEP with a 4-byte cookie
    BigInteger small = BigInteger.probablePrime(128, RND).multiply(BigInteger.probablePrime(128, RND));
    assertEquals(XEvent.CKY, assertThrows(AutokeyException.class, () -> s.encrypt(1,
        new org.bouncycastle.asn1.pkcs.RSAPublicKey(small, BigInteger.valueOf(65537)).getEncoded())).event());
    assertEquals(XEvent.PUB, assertThrows(AutokeyException.class, () -> BcCookieCipher.serverOnly(
        CryptoPolicy.strict(CryptoWarningListener.IGNORE), RND).encrypt(1, good)).event(), "strict: 1024 bits");
    assertEquals(128, s.encrypt(1, good).length);
  }

  @Test
  void signExchange_T25() throws Exception {
    var codec = BcCertificateCodec.INSTANCE;
    byte[] srv = NtpCertificates.selfSigned(new NtpCertificates.Spec("server", BigInteger.valueOf(T0), T0,
        365, NtpCertificates.Kind.TRUST_ROOT, null, server.getPublic()), server.getPrivate(),
        SignatureAlgorithm.RSA_MD5, RND);
    CertificateInfo srvCert = codec.parse(srv, T0);
    byte[] cli = NtpCertificates.selfSigned(new NtpCertificates.Spec("client", BigInteger.valueOf(T0), T0,
        365, NtpCertificates.Kind.ORDINARY, new byte[] {1, 2, 3}, client.getPublic()), client.getPrivate(),
        SignatureAlgorithm.RSA_SHA1, RND);
    long now = T0 + 100;
    byte[] issued = NtpCertificates.signRequest(cli, srvCert, server.getPrivate(), SignatureAlgorithm.RSA_MD5,
        now, codec, RND);
    CertificateInfo ic = codec.decode(issued, 0);
    assertEquals("client", ic.subject());
    assertEquals("server", ic.issuer());
    assertEquals(now, ic.serial().longValueExact());
    assertEquals(now, ic.notBefore());
    assertEquals(now + 31_536_000L, ic.notAfter());
    assertEquals(client.getPublic(), ic.publicKey());
    assertEquals(SignatureAlgorithm.RSA_MD5, ic.algorithm().orElseThrow());
    assertTrue(Arrays.equals(new byte[] {1, 2, 3}, ic.gqKey().orElseThrow()), "extensions copied");
    codec.verify(ic, server.getPublic());
    // refusals
    byte[] badSelf = cli.clone();
    badSelf[badSelf.length - 3] ^= 1;
    assertEquals(XEvent.VFY, assertThrows(AutokeyException.class, () -> NtpCertificates.signRequest(
        badSelf, srvCert, server.getPrivate(), SignatureAlgorithm.RSA_MD5, now, codec, RND)).event());
    assertEquals(XEvent.VFY, assertThrows(AutokeyException.class, () -> NtpCertificates.signRequest(
        issued, srvCert, server.getPrivate(), SignatureAlgorithm.RSA_MD5, now, codec, RND)).event(),
        "not self-signed");
    assertEquals(XEvent.TSP, assertThrows(AutokeyException.class, () -> NtpCertificates.signRequest(
        cli, srvCert, server.getPrivate(), SignatureAlgorithm.RSA_MD5, 0, codec, RND)).event());
    assertEquals(XEvent.CRT, assertThrows(AutokeyException.class, () -> NtpCertificates.signRequest(
        new byte[] {1, 2, 3}, srvCert, server.getPrivate(), SignatureAlgorithm.RSA_MD5, now, codec, RND)).event());
    assertEquals(XEvent.LEN, assertThrows(AutokeyException.class, () -> NtpCertificates.signRequest(
        new byte[0], srvCert, server.getPrivate(), SignatureAlgorithm.RSA_MD5, now, codec, RND)).event());
    assertEquals(XEvent.PER, assertThrows(AutokeyException.class, () -> NtpCertificates.signRequest(
        cli, srvCert, server.getPrivate(), SignatureAlgorithm.RSA_MD5, T0 + 366 * 86400L, codec, RND)).event());
  }
}
