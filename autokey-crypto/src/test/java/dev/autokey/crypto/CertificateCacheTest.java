package dev.autokey.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateCache;
import dev.autokey.core.cert.CertificateCodec;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.cert.CertificateTrail;
import dev.autokey.core.crypto.SignatureAlgorithm;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** cert_install / cert_hike semantics and T19–T22. */
class CertificateCacheTest {
  static final long T0 = 4_004_335_813L; // 2026-11-22 11:30:13 UTC
  static KeyPair k1;
  static KeyPair k2;

  @BeforeAll
  static void keys() throws Exception {
    k1 = TestCerts.rsa(1024);
    k2 = TestCerts.rsa(1024);
  }

  /** Counts signature checks independently of the cache. */
  static final class CountingCodec implements CertificateCodec {
    final AtomicLong verifies = new AtomicLong();

    @Override
    public CertificateInfo decode(byte[] der, long filestamp) throws AutokeyException {
      return BcCertificateCodec.INSTANCE.decode(der, filestamp);
    }

    @Override
    public void verify(CertificateInfo cert, PublicKey signerKey) throws AutokeyException {
      verifies.incrementAndGet();
      BcCertificateCodec.INSTANCE.verify(cert, signerKey);
    }
  }

  static byte[] selfSigned(String cn, KeyPair k, long notBefore, NtpCertificates.Kind kind) {
    return NtpCertificates.selfSigned(
        new NtpCertificates.Spec(cn, BigInteger.valueOf(notBefore), notBefore, 365, kind, null,
            k.getPublic()),
        k.getPrivate(), SignatureAlgorithm.RSA_SHA256, TestCerts.RND);
  }

  @Test
  void duplicatesSuppressedBeforeAnySignatureCheckAndNewerReplaces() throws Exception {
    CountingCodec codec = new CountingCodec();
    CertificateCache cache = new CertificateCache(codec, "me", 8);
    byte[] a = selfSigned("srv", k1, T0, NtpCertificates.Kind.TRUST_ROOT);
    assertEquals(CertificateCache.Outcome.ADDED, cache.install(a, T0, T0).outcome());
    assertEquals(1, codec.verifies.get());
    assertEquals(CertificateCache.Outcome.DUPLICATE, cache.install(a, T0, T0).outcome());
    assertEquals(CertificateCache.Outcome.DUPLICATE, cache.install(a, T0 - 10, T0).outcome());
    assertEquals(1, codec.verifies.get(), "duplicates cost no signature check");
    byte[] b = selfSigned("srv", k1, T0 + 100, NtpCertificates.Kind.TRUST_ROOT);
    CertificateCache.Installed r = cache.install(b, T0 + 100, T0);
    assertEquals(CertificateCache.Outcome.REPLACED, r.outcome());
    assertEquals(1, cache.size());
    assertArrayEquals(b, cache.find("srv", "srv").orElseThrow().der());
    assertEquals(2, codec.verifies.get());
    assertEquals(2, cache.signatureChecks());
  }

  @Test
  void rejectionsLeaveTheCacheUnchanged_T19() throws Exception {
    CertificateCache cache = new CertificateCache(BcCertificateCodec.INSTANCE, "me", 8);
    byte[] good = selfSigned("srv", k1, T0, NtpCertificates.Kind.TRUST_ROOT);
    cache.install(good, T0, T0);
    List<byte[]> bad = List.of(
        Arrays.copyOf(good, good.length - 1),
        Arrays.copyOf(good, 40),
        new byte[0],
        new byte[] {0x30, (byte) 0x82, 0x7f, (byte) 0xff},
        TestCerts.build(k1, k1, new X500Name("O=x"), new X500Name("O=x"),
            TestCerts.utc("261122113013Z"), TestCerts.utc("271122113013Z"), List.of(), BigInteger.ONE),
        TestCerts.build(k1, k1, TestCerts.cn("a".repeat(600)), TestCerts.cn("a".repeat(600)),
            TestCerts.utc("261122113013Z"), TestCerts.utc("271122113013Z"), List.of(), BigInteger.ONE),
        TestCerts.build(k1, k1, TestCerts.cn("srv2"), TestCerts.cn("srv2"),
            TestCerts.utc("271122113013Z"), TestCerts.utc("261122113013Z"), List.of(), BigInteger.ONE),
        TestCerts.build(k1, k1, TestCerts.cn("srv3"), TestCerts.cn("srv3"),
            TestCerts.utc("2611221130Z"), TestCerts.utc("271122113013Z"), List.of(), BigInteger.ONE),
        TestCerts.build(k1, k2, TestCerts.cn("srv4"), TestCerts.cn("srv4"),
            TestCerts.utc("261122113013Z"), TestCerts.utc("271122113013Z"), List.of(), BigInteger.ONE));
    for (byte[] der : bad) {
      AutokeyException e = assertThrows(AutokeyException.class, () -> cache.install(der, T0, T0));
      assertEquals(XEvent.CRT, e.event(), e.getMessage());
    }
    // notBefore earlier than the EF filestamp: no retroactive certificates
    AutokeyException e = assertThrows(AutokeyException.class, () -> cache.install(
        selfSigned("srv5", k1, T0, NtpCertificates.Kind.TRUST_ROOT), T0 + 1, T0));
    assertEquals(XEvent.CRT, e.event());
    assertEquals(1, cache.size());
  }

  @Test
  void oddExtensionsParseCleanly_T21() throws Exception {
    ASN1ObjectIdentifier trustRoot = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.1.11");
    byte[][] skis = {new byte[] {0x04, 0x00}, new byte[] {0x04, 0x01, 0x55}, new byte[] {0x04},
        new byte[0], new byte[] {(byte) 0xff, 0x00, 0x01}};
    int i = 0;
    for (byte[] ski : skis) {
      byte[] der = TestCerts.build(k1, k1, TestCerts.cn("s" + i), TestCerts.cn("s" + i),
          TestCerts.utc("261122113013Z"), TestCerts.utc("271122113013Z"),
          List.of(new Extension(Extension.subjectKeyIdentifier, false, new DEROctetString(ski))),
          BigInteger.TEN);
      CertificateInfo c = BcCertificateCodec.INSTANCE.parse(der, T0);
      assertEquals(ski.length >= 2, c.gqKey().isPresent());
      i++;
    }
    // EKU with two OIDs, with garbage, with the private OID: none is "Trust Root"
    byte[][] ekus = {
        NtpCertificates.der(new DERSequence(new ASN1ObjectIdentifier[] {trustRoot, trustRoot})),
        new byte[] {0x30, 0x03, 0x01, 0x01},
        NtpCertificates.der(new DERSequence(new ASN1ObjectIdentifier("1.3.6.1.4")))};
    boolean[] priv = {false, false, true};
    for (int j = 0; j < ekus.length; j++) {
      byte[] der = TestCerts.build(k1, k1, TestCerts.cn("e" + j), TestCerts.cn("e" + j),
          TestCerts.utc("261122113013Z"), TestCerts.utc("271122113013Z"),
          List.of(new Extension(Extension.extendedKeyUsage, false, new DEROctetString(ekus[j]))),
          BigInteger.TEN);
      CertificateInfo c = BcCertificateCodec.INSTANCE.parse(der, T0);
      assertFalse(c.trusted());
      assertEquals(priv[j], c.isPrivate());
    }
  }

  @Test
  void trailWalksToTrustedRootAndRejectsLoopsAndLength_T22() throws Exception {
    CertificateCodec codec = BcCertificateCodec.INSTANCE;
    // T: trusted root; S: untrusted self-signed, then signed by T via SIGN
    byte[] tDer = selfSigned("T", k2, T0, NtpCertificates.Kind.TRUST_ROOT);
    CertificateInfo t = codec.parse(tDer, T0);
    byte[] sSelf = selfSigned("S", k1, T0, NtpCertificates.Kind.ORDINARY);
    byte[] sByT = NtpCertificates.signRequest(sSelf, t, k2.getPrivate(), SignatureAlgorithm.RSA_SHA256,
        T0 + 5, codec, TestCerts.RND);
    CertificateCache cache = new CertificateCache(codec, "C", 8);
    CertificateInfo s = cache.install(sByT, T0, T0 + 5).certificate();
    assertEquals("T", s.issuer());
    assertEquals(0, cache.signatureChecks(), "non-self-signed: no check on insert");
    CertificateTrail trail = new CertificateTrail(codec, "S", CertificateTrail.DEFAULT_MAX_LENGTH);
    assertEquals(CertificateTrail.Step.NEXT, trail.accept(s));
    assertEquals("T", trail.nextSubject());
    CertificateInfo tc = cache.install(tDer, T0, T0 + 5).certificate();
    assertEquals(CertificateTrail.Step.TRUSTED, trail.accept(tc));
    assertTrue(trail.isTrusted());
    assertEquals("S", trail.first().orElseThrow().subject());
    // served: for S the T-signed one (S self-signed untrusted never), for T the trusted root
    assertEquals("T", cache.select("S").orElseThrow().issuer());
    assertTrue(cache.select("T").orElseThrow().trusted());

    // an untrusted self-signed root stalls
    CertificateTrail stall = new CertificateTrail(codec, "S", 8);
    assertEquals(CertificateTrail.Step.STALLED, stall.accept(codec.parse(sSelf, T0)));

    // X not signed by Y: VFY
    CertificateTrail wrong = new CertificateTrail(codec, "S", 8);
    wrong.accept(s);
    byte[] fakeT = selfSigned("T", k1, T0, NtpCertificates.Kind.TRUST_ROOT);
    assertEquals(XEvent.VFY, assertThrows(AutokeyException.class,
        () -> wrong.accept(codec.parse(fakeT, T0))).event());

    // loop: issuer = local host name is refused by the cache
    byte[] byMe = NtpCertificates.signRequest(sSelf, codec.parse(selfSigned("C", k2, T0,
        NtpCertificates.Kind.TRUST_ROOT), T0), k2.getPrivate(), SignatureAlgorithm.RSA_SHA256, T0 + 5,
        codec, TestCerts.RND);
    assertEquals(XEvent.CRT, assertThrows(AutokeyException.class,
        () -> cache.install(byMe, T0, T0)).event());

    // loop inside the trail: A by B, B by A
    CertificateInfo a = codec.parse(selfSigned("A", k1, T0, NtpCertificates.Kind.ORDINARY), T0);
    CertificateInfo b = codec.parse(selfSigned("B", k2, T0, NtpCertificates.Kind.ORDINARY), T0);
    CertificateInfo aByB = codec.decode(NtpCertificates.signRequest(a.der(), b, k2.getPrivate(),
        SignatureAlgorithm.RSA_SHA256, T0 + 1, codec, TestCerts.RND), 0);
    CertificateInfo bByA = codec.decode(NtpCertificates.signRequest(b.der(), a, k1.getPrivate(),
        SignatureAlgorithm.RSA_SHA256, T0 + 1, codec, TestCerts.RND), 0);
    CertificateTrail loop = new CertificateTrail(codec, "A", 8);
    assertEquals(CertificateTrail.Step.NEXT, loop.accept(aByB));
    assertEquals(CertificateTrail.Step.NEXT, loop.accept(bByA));
    assertEquals(XEvent.CRT, assertThrows(AutokeyException.class, () -> loop.accept(aByB)).event());

    // over-long: a chain of 3 with limit 2
    CertificateTrail shortTrail = new CertificateTrail(codec, "A", 2);
    shortTrail.accept(aByB);
    shortTrail.accept(bByA);
    assertEquals(XEvent.CRT, assertThrows(AutokeyException.class,
        () -> shortTrail.accept(aByB)).event());
  }

  @Test
  void lruBoundEvictsExpiredFirst() throws Exception {
    CertificateCache cache = new CertificateCache(BcCertificateCodec.INSTANCE, "me", 3);
    byte[] own = selfSigned("me", k1, T0, NtpCertificates.Kind.TRUST_ROOT);
    cache.installOwn(BcCertificateCodec.INSTANCE.parse(own, T0));
    cache.install(selfSigned("a", k1, T0, NtpCertificates.Kind.ORDINARY), T0, T0);
    cache.install(selfSigned("b", k1, T0 - 400 * 86400L, NtpCertificates.Kind.ORDINARY), 0, T0); // expired
    cache.install(selfSigned("c", k1, T0, NtpCertificates.Kind.ORDINARY), T0, T0);
    assertEquals(3, cache.size());
    assertTrue(cache.find("b", "b").isEmpty(), "expired entry evicted first");
    cache.install(selfSigned("d", k1, T0, NtpCertificates.Kind.ORDINARY), T0, T0);
    assertTrue(cache.find("a", "a").isEmpty(), "then the least recently used");
    assertTrue(cache.find("me", "me").isPresent(), "own certificate pinned");
  }

  @Test
  void floodOfTenThousandSelfSignedCertificates_T20() throws Exception {
    // One 512-bit key signs 10,000 certificates with distinct subjects: every insert is a new
    // (subject, issuer) entry with a valid self-signature, which is what the bound must withstand.
    KeyPair k = TestCerts.rsa(512);
    CountingCodec codec = new CountingCodec();
    int bound = CertificateCache.DEFAULT_CAPACITY;
    CertificateCache cache = new CertificateCache(codec, "victim", bound);
    Runtime rt = Runtime.getRuntime();
    long heapAt2000 = 0;
    long maxSize = 0;
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      byte[] der = NtpCertificates.selfSigned(
          new NtpCertificates.Spec("flood-" + i + "@evil", BigInteger.valueOf(T0 + i), T0, 365,
              NtpCertificates.Kind.ORDINARY, null, k.getPublic()),
          k.getPrivate(), SignatureAlgorithm.RSA_MD5, TestCerts.RND);
      assertEquals(CertificateCache.Outcome.ADDED, cache.install(der, T0, T0).outcome());
      if (i % 3 == 0) {
        assertEquals(CertificateCache.Outcome.DUPLICATE, cache.install(der, T0, T0).outcome());
      }
      maxSize = Math.max(maxSize, cache.size());
      if (i == 2000) {
        heapAt2000 = usedAfterGc(rt);
      }
    }
    long heapAtEnd = usedAfterGc(rt);
    System.out.printf("flood: %d certificates, cache size %d (bound %d), signature checks %d, "
        + "heap after GC at 2000: %d KiB, at %d: %d KiB%n", n, cache.size(), bound,
        codec.verifies.get(), heapAt2000 / 1024, n, heapAtEnd / 1024);
    assertEquals(bound, cache.size());
    assertEquals(bound, maxSize);
    assertEquals(n, codec.verifies.get(), "exactly one check per new certificate, none for duplicates");
    assertEquals(n, cache.signatureChecks());
    assertTrue(heapAtEnd - heapAt2000 < 4L * 1024 * 1024,
        "heap grew by " + (heapAtEnd - heapAt2000) / 1024 + " KiB");
  }

  static long usedAfterGc(Runtime rt) throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best;
  }
}
