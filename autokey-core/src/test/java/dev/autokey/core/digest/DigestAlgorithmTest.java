package dev.autokey.core.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.testing.PropertyCheck;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DigestAlgorithmTest {
  @Test
  void nidsAndNamesAreOpenSsls() throws Exception {
    assertEquals(4, DigestAlgorithm.MD5.nid());
    assertEquals(64, DigestAlgorithm.SHA1.nid());
    assertEquals(672, DigestAlgorithm.SHA256.nid());
    assertEquals(117, DigestAlgorithm.RIPEMD160.nid());
    assertEquals(95, DigestAlgorithm.MDC2.nid());
    assertEquals(3, DigestAlgorithm.MD2.nid());
    assertSame(DigestAlgorithm.SHA1, DigestAlgorithm.forOpenSslName("SHA1"));
    assertSame(DigestAlgorithm.SHA1, DigestAlgorithm.forOpenSslName("RSA-SHA1"));
    assertSame(DigestAlgorithm.WHIRLPOOL, DigestAlgorithm.forOpenSslName("whirlpool"));
    assertSame(DigestAlgorithm.SHA512_224, DigestAlgorithm.forOpenSslName("SHA512-224"));
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      assertSame(a, DigestAlgorithm.forOpenSslName(a.openSslName()));
      assertSame(a, DigestAlgorithm.forNid(a.nid()));
      assertEquals(4 + Math.min(20, a.length()), a.macLength());
    }
  }

  @Test
  void namesAreCaseSensitiveLikeObjSn2nid() {
    AutokeyException e = assertThrows(AutokeyException.class,
        () -> DigestAlgorithm.forOpenSslName("sha1"));
    assertEquals(XEvent.MD, e.event());
    assertTrue(e.getMessage().contains("'SHA1'"), e.getMessage());
    assertEquals(XEvent.MD,
        assertThrows(AutokeyException.class, () -> DigestAlgorithm.forOpenSslName("SHA-1")).event());
    assertEquals(XEvent.MD,
        assertThrows(AutokeyException.class, () -> DigestAlgorithm.forOpenSslName(null)).event());
  }

  @Test
  void signatureNidsResolveToTheirDigestAsOpenSslDoes() throws Exception {
    assertSame(DigestAlgorithm.MD5, DigestAlgorithm.forNid(8)); // RSA-MD5, ntp-keygen's default
    assertSame(DigestAlgorithm.SHA1, DigestAlgorithm.forNid(65));
    assertSame(DigestAlgorithm.SHA256, DigestAlgorithm.forNid(668));
    assertSame(DigestAlgorithm.SHA224, DigestAlgorithm.forNid(671));
    assertSame(DigestAlgorithm.RIPEMD160, DigestAlgorithm.forNid(119));
    for (int none : new int[] {0, 41, 42, 66, 113, 6, 419, 65535}) {
      assertEquals(XEvent.MD,
          assertThrows(AutokeyException.class, () -> DigestAlgorithm.forNid(none)).event(),
          "NID " + none);
    }
  }

  @Test
  void jdkProvidesExactlyTheDocumentedSet() throws Exception {
    Set<DigestAlgorithm> notJdk = EnumSet.of(DigestAlgorithm.MD4, DigestAlgorithm.MDC2,
        DigestAlgorithm.RIPEMD160, DigestAlgorithm.SHAKE128, DigestAlgorithm.SHAKE256,
        DigestAlgorithm.BLAKE2B512, DigestAlgorithm.BLAKE2S256, DigestAlgorithm.SM3,
        DigestAlgorithm.WHIRLPOOL);
    JdkSessionDigests jdk = JdkSessionDigests.factory();
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      boolean expected = !notJdk.contains(a);
      assertEquals(expected, a.jdkSupported(), a.name());
      assertEquals(expected, jdk.supports(a), a.name());
      if (!expected) {
        UnsupportedDigestException e =
            assertThrows(UnsupportedDigestException.class, () -> jdk.create(a));
        assertEquals(XEvent.MD, e.event());
        assertSame(a, e.algorithm());
        assertTrue(e.getMessage().contains("Bouncy Castle"), e.getMessage());
      }
    }
  }

  @Test
  void referenceBuildSet() {
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      assertEquals(a != DigestAlgorithm.MD2 && a != DigestAlgorithm.MDC2, a.inReferenceBuild(),
          a.name());
    }
  }

  @Test
  void jdkEnginesMatchMessageDigestAndReset() {
    PropertyCheck.forAll("JDK session digest == MessageDigest, reusable", g -> {
      DigestAlgorithm a = g.pick(java.util.List.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA1,
          DigestAlgorithm.SHA256, DigestAlgorithm.SHA512, DigestAlgorithm.SHA3_256,
          DigestAlgorithm.SHA512_224, DigestAlgorithm.MD2, DigestAlgorithm.MD5_SHA1));
      SessionDigest d = JdkSessionDigests.factory().create(a);
      byte[] junk = g.bytes(0, 50);
      d.update(junk, 0, junk.length);
      d.reset();
      for (int round = 0; round < 2; round++) {
        byte[] in = g.bytes(0, 300);
        int off = in.length == 0 ? 0 : g.intBetween(0, in.length);
        int len = in.length - off;
        d.update(in, off, len);
        byte[] out = new byte[a.length() + 3];
        d.digest(out, 3);
        byte[] expected = reference(a, java.util.Arrays.copyOfRange(in, off, off + len));
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 3, out.length));
      }
    });
  }

  private static byte[] reference(DigestAlgorithm a, byte[] in) throws Exception {
    if (a == DigestAlgorithm.MD5_SHA1) {
      byte[] m = MessageDigest.getInstance("MD5").digest(in);
      byte[] s = MessageDigest.getInstance("SHA-1").digest(in);
      byte[] r = new byte[36];
      System.arraycopy(m, 0, r, 0, 16);
      System.arraycopy(s, 0, r, 16, 20);
      return r;
    }
    String name = switch (a) {
      case SHA1 -> "SHA-1";
      case SHA256 -> "SHA-256";
      case SHA512 -> "SHA-512";
      case SHA512_224 -> "SHA-512/224";
      default -> a.openSslName();
    };
    return MessageDigest.getInstance(name).digest(in);
  }

  @Test
  void digestRefusesShortOutput() throws Exception {
    SessionDigest d = JdkSessionDigests.factory().create(DigestAlgorithm.MD5);
    assertThrows(IndexOutOfBoundsException.class, () -> d.digest(new byte[20], 5));
    assertFalse(d.toString().isEmpty());
  }
}
