package dev.autokey.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.crypto.Signer;
import dev.autokey.crypto.internal.BcKeys;
import dev.autokey.crypto.internal.DsaDer;
import dev.autokey.crypto.internal.keygen.DsaKeyFields;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.crypto.suite.EphemeralHosts;
import dev.autokey.testing.PropertyCheck;
import dev.autokey.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.DSAPrivateKey;
import java.security.interfaces.DSAPublicKey;
import java.security.spec.DSAPrivateKeySpec;
import java.security.spec.DSAPublicKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.bouncycastle.crypto.params.DSAPrivateKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * Security finding 7 (DSA sign keys refused): our DSA signer sends only maximum-length DER
 * signatures (ntpd's {@code crypto_verify} accepts no other length), and our verifier accepts every
 * valid DER DSA signature up to that length while still refusing malformed ones.
 */
class DsaSignatureLengthTest {
  static final CryptoPolicy LEGACY = CryptoPolicy.legacy(CryptoWarningListener.IGNORE);

  /** A DSA key with the algorithm it signs with. */
  record Key(String name, DSAPrivateKey priv, DSAPublicKey pub, SignatureAlgorithm alg) {
    int qBytes() {
      return (pub.getParams().getQ().bitLength() + 7) / 8;
    }

    int max() {
      return BcKeys.signatureSize(pub);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static SecureRandom rng(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Key ntpKeygen(String dir, String file, String pw, SignatureAlgorithm alg) {
    try {
      DsaKeyFields k = (DsaKeyFields) PrivateKeyBlocks.decode(
          KeygenFiles.firstBlock(KeygenFile.read(TestData.path("keygen/" + dir + "/" + file))),
          pw.toCharArray());
      return new Key(dir, k.toJcaPrivateKey(), k.toJcaPublicKey(), alg);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Key generated(int bits, long seed) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("DSA");
      g.initialize(bits, rng(seed)); // the JDK's precomputed parameters: no search
      KeyPair kp = g.generateKeyPair();
      return new Key("JDK DSA " + bits, (DSAPrivateKey) kp.getPrivate(),
          (DSAPublicKey) kp.getPublic(), SignatureAlgorithm.DSA_SHA256);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The two ntp-keygen -S DSA keys of testdata (160-bit q) and a JDK key with a 224-bit q. */
  static final List<Key> KEYS = List.of(
      ntpKeygen("dsa-sign-sha256", "ntpkey_DSAsign_ntp6.shared.test.4005670589", "Dsa-Pass9",
          SignatureAlgorithm.DSA_SHA256),
      ntpKeygen("dsa-sign", "ntpkey_DSAsign_ntp4.shared.test.4004335814", "Dsa-Pass7",
          SignatureAlgorithm.DSA_SHA1),
      generated(2048, 7));

  /** Asserts a maximum-length Dss-Sig-Value: both INTEGERs 00 + n bytes, top bit set. */
  static void assertMaximumLayout(Key k, byte[] sig) {
    int n = k.qBytes();
    int integer = 2 + n + 1;
    assertEquals(k.max(), sig.length, k + ": length");
    assertEquals(0x30, sig[0] & 0xff);
    int off = sig.length - 2 * integer; // after the SEQUENCE header (short or long form)
    assertEquals(2 * integer, sig[off - 1] & 0xff, "SEQUENCE length");
    for (int i = 0; i < 2; i++) {
      int at = off + i * integer;
      assertEquals(0x02, sig[at] & 0xff, "INTEGER tag");
      assertEquals(n + 1, sig[at + 1] & 0xff, "INTEGER of n+1 bytes");
      assertEquals(0, sig[at + 2], "leading zero");
      assertTrue((sig[at + 3] & 0x80) != 0, "top bit of the n-byte value set");
    }
  }

  @Test
  void keysUnderTest() {
    assertEquals(160, KEYS.get(0).pub().getParams().getQ().bitLength());
    assertEquals(48, KEYS.get(0).max());
    assertEquals(160, KEYS.get(1).pub().getParams().getQ().bitLength());
    assertEquals(48, KEYS.get(1).max());
    int q2 = KEYS.get(2).pub().getParams().getQ().bitLength();
    assertTrue(q2 == 224 || q2 == 256, "JDK 2048-bit DSA q: " + q2);
    assertEquals(q2 == 224 ? 64 : 72, KEYS.get(2).max());
    for (Key k : KEYS) {
      BigInteger q = k.pub().getParams().getQ();
      System.out.printf("%s: q %d bits, maximum DER %d bytes, chance per k %.4f, tries bound %d%n",
          k, q.bitLength(), k.max(), DsaDer.maximumLengthChance(q), DsaDer.maximumLengthTries(q));
    }
  }

  @Test
  void everySignatureOfOurSignerHasTheMaximumLengthAndVerifies() {
    PropertyCheck.forAll("DSA signer: maximum DER length, verifies", g -> {
      Key k = g.pick(KEYS);
      byte[] msg = g.bytes(0, 300);
      Signer s = BcSignatures.signer(k.priv(), k.alg(), rng(g.anyLong()));
      assertEquals(k.max(), s.signatureLength());
      byte[] sig = s.sign(msg);
      assertMaximumLayout(k, sig);
      SignatureVerifier v = BcSignatures.verifier(k.pub(), k.alg(), LEGACY);
      v.verify(msg, sig);
      // the JDK's own DSA implementation agrees that it is a valid signature
      Signature jdk = Signature.getInstance(k.alg().digest() + "withDSA");
      jdk.initVerify(k.pub());
      jdk.update(msg);
      assertTrue(jdk.verify(sig), "JDK verifies");
    });
  }

  @Test
  void verifierAcceptsValidDsaSignaturesShorterThanTheMaximum() throws Exception {
    Key k = KEYS.get(0);
    SignatureVerifier v = BcSignatures.verifier(k.pub(), k.alg(), LEGACY);
    DSAPrivateKeyParameters bc = (DSAPrivateKeyParameters) BcKeys.privateParams(k.priv());
    SecureRandom r = rng(71);
    TreeMap<Integer, Integer> byLength = new TreeMap<>();
    for (int i = 0; i < 400; i++) {
      byte[] msg = ("message " + i).getBytes(StandardCharsets.US_ASCII);
      // Bouncy Castle's ordinary (minimal DER) encoding with one random k
      byte[] sig = DsaDer.sign(bc, "SHA256", msg, r);
      v.verify(msg, sig);
      byLength.merge(sig.length, 1, Integer::sum);
      // the JDK's DSA implementation
      Signature jdk = Signature.getInstance("SHA256withDSA");
      jdk.initSign(k.priv(), r);
      jdk.update(msg);
      byte[] js = jdk.sign();
      v.verify(msg, js);
      byLength.merge(js.length, 1, Integer::sum);
    }
    System.out.println("DSA signature lengths accepted (length=count): " + byLength);
    assertTrue(byLength.getOrDefault(47, 0) > 0 && byLength.getOrDefault(46, 0) > 0,
        "47- and 46-byte signatures seen: " + byLength);
    assertTrue(byLength.firstKey() <= 46 && byLength.lastKey() == 48);
    // the certificate ntp-keygen (OpenSSL 1.1.1w) made for this key carries a 47-byte signature
    KeygenFile cf = KeygenFile.read(TestData.path(
        "keygen/dsa-sign-sha256/ntpkey_RSA-SHA256cert_ntp6.shared.test.4005670589"));
    CertificateInfo c = BcCertificateCodec.INSTANCE.parse(KeygenFiles.firstBlock(cf).der(), cf.filestamp());
    assertEquals(47, c.signature().length);
    assertEquals(SignatureAlgorithm.DSA_SHA256, c.algorithm().orElseThrow());
    BcSignatures.verifier(c.publicKey(), SignatureAlgorithm.DSA_SHA256, LEGACY)
        .verify(c.tbs(), c.signature());
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  static byte[] derInteger(byte[] content) {
    return cat(new byte[] {0x02, (byte) content.length}, content);
  }

  static byte[] seq(byte[] content) {
    return cat(new byte[] {0x30, (byte) content.length}, content);
  }

  static XEvent refusal(SignatureVerifier v, byte[] msg, byte[] sig) {
    return assertThrows(AutokeyException.class, () -> v.verify(msg, sig),
        () -> "accepted " + java.util.HexFormat.of().formatHex(sig)).event();
  }

  @Test
  void malformedDsaEncodingsAreStillRefused() throws Exception {
    Key k = KEYS.get(0);
    BigInteger q = k.pub().getParams().getQ();
    SignatureVerifier v = BcSignatures.verifier(k.pub(), k.alg(), LEGACY);
    byte[] msg = "covered bytes".getBytes(StandardCharsets.US_ASCII);
    byte[] full = BcSignatures.signer(k.priv(), k.alg(), rng(5)).sign(msg);
    v.verify(msg, full);
    // a valid signature of 46 bytes (r and s both without the leading zero)
    DSAPrivateKeyParameters bc = (DSAPrivateKeyParameters) BcKeys.privateParams(k.priv());
    SecureRandom r = rng(6);
    byte[] s46 = null;
    for (int i = 0; i < 10_000 && s46 == null; i++) {
      byte[] s = DsaDer.sign(bc, "SHA256", msg, r);
      if (s.length == 46) {
        s46 = s;
      }
    }
    assertTrue(s46 != null, "a 46-byte signature");
    v.verify(msg, s46);
    byte[] r46 = Arrays.copyOfRange(s46, 4, 24); // the 20-byte r content
    byte[] ss46 = Arrays.copyOfRange(s46, 26, 46);
    assertEquals(0x02, s46[2]);
    assertEquals(20, s46[3]);

    assertEquals(XEvent.ERR, refusal(v, msg, new byte[0]), "empty");
    // longer than the maximum: XEVNT_SGL before any DER work
    assertEquals(XEvent.SGL, refusal(v, msg, cat(full, new byte[1])), "trailing byte on 48");
    assertEquals(XEvent.SGL, refusal(v, msg, cat(full, full)), "two signatures");
    assertEquals(XEvent.SGL, refusal(v, msg, new byte[49]));
    // within the maximum but not strict DER: XEVNT_SIG
    assertEquals(XEvent.SIG, refusal(v, msg, cat(s46, new byte[1])), "trailing zero");
    assertEquals(XEvent.SIG, refusal(v, msg, cat(s46, new byte[] {0x05, 0x00})), "trailing NULL");
    byte[] longForm = cat(new byte[] {0x30, (byte) 0x81, 44}, Arrays.copyOfRange(s46, 2, 46));
    assertEquals(XEvent.SIG, refusal(v, msg, longForm), "long-form SEQUENCE length");
    byte[] indefinite = cat(new byte[] {0x30, (byte) 0x80}, Arrays.copyOfRange(s46, 2, 46),
        new byte[] {0, 0});
    assertEquals(XEvent.SIG, refusal(v, msg, indefinite), "BER indefinite length");
    byte[] paddedR = seq(cat(derInteger(cat(new byte[1], r46)), derInteger(ss46)));
    assertEquals(XEvent.SIG, refusal(v, msg, paddedR), "INTEGER with a redundant leading zero");
    byte[] set = s46.clone();
    set[0] = 0x31;
    assertEquals(XEvent.SIG, refusal(v, msg, set), "SET instead of SEQUENCE");
    byte[] swapped = seq(cat(derInteger(ss46), derInteger(r46)));
    assertEquals(XEvent.SIG, refusal(v, msg, swapped), "s, r");
    // 'missing zero': the 48-byte signature's INTEGERs read as negative numbers
    byte[] rFull = Arrays.copyOfRange(full, 5, 25);
    byte[] sFull = Arrays.copyOfRange(full, 28, 48);
    assertEquals(XEvent.SIG, refusal(v, msg, seq(cat(derInteger(rFull), derInteger(sFull)))),
        "negative r and s");
    assertEquals(XEvent.SIG, refusal(v, msg,
        seq(cat(derInteger(new byte[] {0}), derInteger(ss46)))), "r = 0");
    byte[] qBytes = q.toByteArray(); // 21 bytes with the sign byte
    assertEquals(XEvent.SIG, refusal(v, msg, seq(cat(derInteger(r46), derInteger(qBytes)))),
        "s = q");
    byte[] flipped = s46.clone();
    flipped[10] ^= 1;
    assertEquals(XEvent.SIG, refusal(v, msg, flipped), "wrong r");
    assertEquals(XEvent.SIG, refusal(v, msg, Arrays.copyOf(s46, 45)), "truncated");
    assertEquals(XEvent.SIG, refusal(v, "other bytes".getBytes(StandardCharsets.US_ASCII), s46));
    assertEquals(XEvent.SIG, refusal(v, msg, new byte[48]), "48 zero bytes");
  }

  @Test
  void rsaKeepsTheExactLengthRule() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(512, rng(3));
    KeyPair kp = g.generateKeyPair();
    SignatureVerifier v = BcSignatures.verifier(kp.getPublic(), SignatureAlgorithm.RSA_SHA256,
        LEGACY);
    Signer s = BcSignatures.signer(kp.getPrivate(), SignatureAlgorithm.RSA_SHA256, rng(4));
    byte[] msg = {1, 2, 3};
    int shorter = 0;
    for (int i = 0; i < 600 && shorter == 0; i++) {
      msg[0] = (byte) i;
      msg[1] = (byte) (i >> 8);
      byte[] sig = s.sign(msg);
      assertEquals(64, sig.length);
      v.verify(msg, sig);
      if (sig[0] == 0) {
        // the same signature value without its leading zero byte, as a shorter (valid as an
        // integer) encoding: still XEVNT_SGL for RSA, as ntpd
        byte[] m = msg.clone();
        assertEquals(XEvent.SGL, refusal(v, m, Arrays.copyOfRange(sig, 1, 64)));
        shorter++;
      }
    }
    assertEquals(1, shorter, "an RSA signature with a leading zero byte was found");
    assertEquals(XEvent.SGL, refusal(v, msg, new byte[63]));
    assertEquals(XEvent.SGL, refusal(v, msg, new byte[65]));
    assertEquals(XEvent.ERR, refusal(v, msg, new byte[0]));
  }

  /** DSA parameters with a prime q of {@code q}'s value and a 512-bit p (test-only search). */
  static KeyPair dsaWithQ(BigInteger q, long seed) throws Exception {
    SecureRandom r = rng(seed);
    int kBits = 512 - q.bitLength() + 1; // q just above a power of two: k q has 512 bits
    BigInteger p = null;
    for (int i = 0; i < 100_000 && p == null; i++) {
      BigInteger k = new BigInteger(kBits, r).setBit(kBits - 1).clearBit(0);
      BigInteger c = k.multiply(q).add(BigInteger.ONE);
      if (c.bitLength() == 512 && c.isProbablePrime(64)) {
        p = c;
      }
    }
    assertTrue(p != null, "no p found");
    BigInteger e = p.subtract(BigInteger.ONE).divide(q);
    BigInteger gen = BigInteger.TWO.modPow(e, p);
    assertTrue(gen.compareTo(BigInteger.ONE) > 0);
    BigInteger x = new BigInteger(q.bitLength() - 1, r).add(BigInteger.ONE);
    KeyFactory f = KeyFactory.getInstance("DSA");
    PrivateKey priv = f.generatePrivate(new DSAPrivateKeySpec(x, p, q, gen));
    PublicKey pub = f.generatePublic(new DSAPublicKeySpec(gen.modPow(x, p), p, q, gen));
    return new KeyPair(pub, priv);
  }

  @Test
  void triesAreBoundedAndGivingUpIsXevntSgl() throws Exception {
    // q ~ 2^160 - small: each of r, s has the top bit with chance ~1/2, so 1/4 per try
    BigInteger nearTop = BigInteger.ONE.shiftLeft(160).subtract(BigInteger.valueOf(1_000_000))
        .nextProbablePrime();
    assertEquals(0.25, DsaDer.maximumLengthChance(nearTop), 1e-6);
    assertEquals(97, DsaDer.maximumLengthTries(nearTop), "0.75^97 < 2^-40 <= 0.75^96");
    BigInteger keygenQ = KEYS.get(0).pub().getParams().getQ();
    double c = DsaDer.maximumLengthChance(keygenQ);
    assertTrue(c > 0.08 && c < 0.09, "ntp-keygen key: " + c);
    int t = DsaDer.maximumLengthTries(keygenQ);
    assertTrue(Math.pow(1 - c, t) < Math.pow(2, -40) && Math.pow(1 - c, t - 1) >= Math.pow(2, -40),
        "tries " + t);
    // the chance is never above 1/4, so never fewer than 97 tries
    assertEquals(0.248, DsaDer.maximumLengthChance(BigInteger.valueOf(255)), 0.001);
    assertEquals(98, DsaDer.maximumLengthTries(BigInteger.valueOf(255)));
    // q just above 2^159: the maximum length is so rare that the bound (4096) is reached
    BigInteger nearBottom = BigInteger.ONE.shiftLeft(159).nextProbablePrime();
    assertEquals(4096, DsaDer.maximumLengthTries(nearBottom));
    // q of 164 bits: a 21-byte INTEGER value with its top bit set would exceed q: never
    BigInteger q164 = BigInteger.ONE.shiftLeft(163).nextProbablePrime();
    assertEquals(0.0, DsaDer.maximumLengthChance(q164));
    assertEquals(0, DsaDer.maximumLengthTries(q164));

    byte[] msg = {9, 9, 9};
    for (BigInteger q : List.of(nearBottom, q164)) {
      KeyPair kp = dsaWithQ(q, q.bitLength());
      Signer s = BcSignatures.signer(kp.getPrivate(), SignatureAlgorithm.DSA_SHA1, rng(1));
      AutokeyException e = assertThrows(AutokeyException.class, () -> s.sign(msg));
      assertEquals(XEvent.SGL, e.event(), e.getMessage());
      assertTrue(e.getMessage().contains(q == q164 ? "can never" : "in 4096 tries"),
          e.getMessage());
      // the suite's self-check turns such a sign key into a typed refusal when it is loaded
      EphemeralHosts.Host h = EphemeralHosts.ordinary("dsa.test", 4_000_000_000L, rng(2));
      byte[] cert = NtpCertificates.selfSigned(new NtpCertificates.Spec("dsa.test",
          BigInteger.valueOf(4_000_000_000L), 4_000_000_000L, 365,
          NtpCertificates.Kind.ORDINARY, null, kp.getPublic()), kp.getPrivate(),
          SignatureAlgorithm.DSA_SHA1, rng(3));
      AutokeyException load = assertThrows(AutokeyException.class,
          () -> BcCryptoSuite.builder().hostKey(h.hostKey(), h.filestamp()).signKey(kp.getPrivate())
              .certificate(cert, 4_000_000_000L).random(rng(4)).build());
      // a typed refusal: SGL from the self-check, or CRT where the peer-key bounds refuse the
      // certificate's unusual DSA key first
      assertTrue(load.event() == XEvent.SGL || load.event() == XEvent.CRT, load.getMessage());
      // the verifier side of such a key still works for shorter, valid signatures
      byte[] any = DsaDer.sign((DSAPrivateKeyParameters) BcKeys.privateParams(kp.getPrivate()),
          "SHA1", msg, rng(5));
      BcSignatures.verifier(kp.getPublic(), SignatureAlgorithm.DSA_SHA1, LEGACY).verify(msg, any);
    }
  }
}
