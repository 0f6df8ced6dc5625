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
import dev.autokey.core.protocol.WorkBudget;
import dev.autokey.crypto.internal.PeerKeys;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.DSAPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Random;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

/**
 * Security finding 3 (CPU amplification): keys chosen by peers are bounded (4096 bits by
 * default) from their encoding, before any big-integer work, and are used without Bouncy
 * Castle's probable-prime test of the modulus.
 */
class PeerKeyBoundsTest {
  static final CryptoPolicy LEGACY = CryptoPolicy.legacy(CryptoWarningListener.IGNORE);
  static final long T0 = 3_900_000_000L;
  static final BigInteger F4 = BigInteger.valueOf(65537);

  /** An odd modulus of exactly {@code bits} bits without small factors (no primes needed). */
  static BigInteger modulus(int bits, Random r) {
    while (true) {
      BigInteger n = new BigInteger(bits, r).setBit(bits - 1).setBit(0);
      if (!BigIntegers.hasAnySmallFactors(n)) {
        return n;
      }
    }
  }

  static byte[] pkcs1(BigInteger n, BigInteger e) throws Exception {
    return new org.bouncycastle.asn1.pkcs.RSAPublicKey(n, e).getEncoded();
  }

  static KeyPair rsa(int bits, long seed) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(seed);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits, r);
    return g.generateKeyPair();
  }

  /** A well-formed certificate for {@code key}, signed by an unrelated 512-bit key. */
  static byte[] certificateFor(PublicKey key) throws Exception {
    KeyPair signer = rsa(512, 5);
    return NtpCertificates.selfSigned(new NtpCertificates.Spec("big", BigInteger.valueOf(T0), T0,
        365, NtpCertificates.Kind.ORDINARY, null, key), signer.getPrivate(),
        SignatureAlgorithm.RSA_SHA1, new SecureRandom());
  }

  /** Fails on 9d59ce5: an 8192-bit COOK request key was accepted (and cost a primality test). */
  @Test
  void cookKeyAbove4096BitsIsRefusedWithXevntPub() throws Exception {
    BcCookieCipher s = BcCookieCipher.serverOnly(LEGACY, new SecureRandom());
    Random r = new Random(8192);
    byte[] k8192 = pkcs1(modulus(8192, r), F4);
    byte[] k4097 = pkcs1(modulus(4097, r), F4);
    byte[] k4096 = pkcs1(modulus(4096, r), F4);
    for (byte[] k : new byte[][] {k8192, k4097}) {
      AutokeyException e = assertThrows(AutokeyException.class, () -> s.encrypt(1, k));
      assertEquals(XEvent.PUB, e.event(), e.getMessage());
    }
    assertEquals(512, s.encrypt(1, k4096).length, "4096 bits is the default bound");
    assertEquals(1024, s.withMaxModulusBits(8192).encrypt(1, k8192).length, "configurable");
  }

  /** Refusals happen before any peer key is imported into Bouncy Castle (the seam counts). */
  @Test
  void overBoundKeysAreRefusedBeforeAnyBigIntegerWork() throws Exception {
    BcCookieCipher s = BcCookieCipher.serverOnly(LEGACY, new SecureRandom());
    Random r = new Random(16384);
    byte[] k16384 = pkcs1(modulus(16384, r), F4);
    byte[] k4096 = pkcs1(modulus(4096, r), F4);
    byte[] cert8192 = certificateFor(KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(modulus(8192, r), F4)));
    long before = PeerKeys.imports();
    assertEquals(XEvent.PUB, assertThrows(AutokeyException.class,
        () -> s.encryptWork(k16384)).event());
    assertEquals(XEvent.PUB, assertThrows(AutokeyException.class,
        () -> s.encrypt(7, k16384)).event());
    assertEquals(XEvent.CRT, assertThrows(AutokeyException.class,
        () -> BcCertificateCodec.INSTANCE.decode(cert8192, 0)).event());
    assertEquals(XEvent.CRT, assertThrows(AutokeyException.class,
        () -> BcCertificateCodec.INSTANCE.verifyWork(cert8192)).event());
    assertEquals(before, PeerKeys.imports(), "no key imported for refused requests");
    // the seam works: an accepted key is imported once
    s.encrypt(7, k4096);
    assertEquals(before + 1, PeerKeys.imports());
    // and the work estimate of the accepted key: one public operation, 16 squarings + 1 mult
    assertEquals(WorkBudget.rsaPublic(4096, 17, 2), s.encryptWork(k4096), 1e-12);
  }

  /**
   * Fails on 9d59ce5: Bouncy Castle's validation ran a probable-prime test on every peer modulus
   * and refused a prime one. A prime modulus is harmless for a key we only encrypt to or verify
   * with; accepting it shows that no such test runs.
   */
  @Test
  void peerModulusGetsNoProbablePrimeTest() throws Exception {
    BigInteger prime = BigInteger.probablePrime(1024, new Random(1024));
    BcCookieCipher s = BcCookieCipher.serverOnly(LEGACY, new SecureRandom());
    assertEquals(128, s.encrypt(1, pkcs1(prime, F4)).length);
    PublicKey k = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(prime, F4));
    assertEquals(128, BcSignatures.verifier(k, SignatureAlgorithm.RSA_SHA1, LEGACY)
        .signatureLength());
    // the cheap checks stay: small factors and bad exponents are refused
    BigInteger smallFactor = prime.multiply(BigInteger.valueOf(743));
    assertEquals(XEvent.PUB, assertThrows(AutokeyException.class,
        () -> s.encrypt(1, pkcs1(smallFactor, F4))).event());
    assertEquals(XEvent.PUB, assertThrows(AutokeyException.class,
        () -> s.encrypt(1, pkcs1(prime, BigInteger.ONE.shiftLeft(64).add(BigInteger.ONE))))
        .event(), "65-bit exponent");
  }

  /** Fails on 9d59ce5: certificate keys up to 16,384 bits were accepted. */
  @Test
  void certificateKeyAbove4096BitsIsRefusedWithXevntCrt() throws Exception {
    Random r = new Random(4242);
    KeyFactory kf = KeyFactory.getInstance("RSA");
    byte[] big = certificateFor(kf.generatePublic(new RSAPublicKeySpec(modulus(8192, r), F4)));
    byte[] edge = certificateFor(kf.generatePublic(new RSAPublicKeySpec(modulus(4096, r), F4)));
    AutokeyException e = assertThrows(AutokeyException.class,
        () -> BcCertificateCodec.INSTANCE.decode(big, 0));
    assertEquals(XEvent.CRT, e.event(), e.getMessage());
    CertificateInfo c = BcCertificateCodec.INSTANCE.decode(edge, 0);
    assertEquals("big", c.subject());
    assertEquals("big", BcCertificateCodec.withMaxKeyBits(8192).decode(big, 0).subject(),
        "configurable");
    assertThrows(IllegalArgumentException.class, () -> BcCertificateCodec.withMaxKeyBits(16385));
  }

  /**
   * Fails on 9d59ce5: a DSA key with a large q (each verification two full-size exponentiations)
   * was accepted; OpenSSL verifies only q of 160, 224 or 256 bits.
   */
  @Test
  void dsaKeyWithLargeQIsRefused() throws Exception {
    Random r = new Random(99);
    BigInteger p = modulus(1024, r);
    BigInteger q = modulus(512, r);
    BigInteger g = BigInteger.valueOf(4);
    BigInteger y = new BigInteger(1000, r);
    byte[] der = certificateFor(KeyFactory.getInstance("DSA")
        .generatePublic(new DSAPublicKeySpec(y, p, q, g)));
    AutokeyException e = assertThrows(AutokeyException.class,
        () -> BcCertificateCodec.INSTANCE.decode(der, 0));
    assertEquals(XEvent.CRT, e.event(), e.getMessage());
  }

  /** The certificate key walk agrees with the full parse for RSA and DSA keys. */
  @Test
  void verifyWorkFollowsTheKeySize() throws Exception {
    assertEquals(WorkBudget.rsaPublic(512, 17, 2),
        BcCertificateCodec.INSTANCE.verifyWork(certificateFor(rsa(512, 1).getPublic())), 1e-12);
    KeyPairGenerator g = KeyPairGenerator.getInstance("DSA");
    g.initialize(1024, new SecureRandom());
    byte[] dsa = certificateFor(g.generateKeyPair().getPublic());
    assertEquals(WorkBudget.dsaVerify(1024, 160), BcCertificateCodec.INSTANCE.verifyWork(dsa),
        1e-12);
    assertEquals(1024, ((java.security.interfaces.DSAPublicKey) BcCertificateCodec.INSTANCE
        .decode(dsa, 0).publicKey()).getParams().getP().bitLength());
  }
}
