package dev.autokey.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autokey.core.XEvent;
import dev.autokey.core.AutokeyException;
import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.core.digest.JdkSessionDigests;
import dev.autokey.core.digest.SessionDigest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BcSessionDigestsTest {
  static byte[] run(SessionDigest d, byte[] in) {
    byte[] out = new byte[d.length() + 3];
    d.update(in, 0, in.length);
    d.digest(out, 3);
    return java.util.Arrays.copyOfRange(out, 3, out.length);
  }

  @Test
  void agreesWithTheJdkWhereBothHaveIt() throws Exception {
    Random r = new Random(7);
    int n = 0;
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      if (!a.jdkSupported() || !JdkSessionDigests.factory().supports(a)) {
        continue;
      }
      SessionDigest bc = BcSessionDigests.INSTANCE.create(a);
      SessionDigest jdk = JdkSessionDigests.factory().create(a);
      for (int len : new int[] {0, 1, 16, 40, 1000}) {
        byte[] in = new byte[len];
        r.nextBytes(in);
        assertArrayEquals(run(jdk, in), run(bc, in), a + " length " + len);
      }
      n++;
    }
    assertEquals(true, n >= 10, "compared " + n);
  }

  @Test
  void knownAnswersForTheOthers() throws Exception {
    Map<DigestAlgorithm, String> abc = Map.of(
        DigestAlgorithm.MD4, "a448017aaf21d8525fc10ae87aa6729d",
        DigestAlgorithm.RIPEMD160, "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc",
        DigestAlgorithm.SM3, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
        DigestAlgorithm.BLAKE2S256, "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
        DigestAlgorithm.SHAKE128, "5881092dd818bf5cf8a3ddb793fbcba7");
    for (var e : abc.entrySet()) {
      assertEquals(e.getValue(), HexFormat.of().formatHex(
          run(BcSessionDigests.INSTANCE.create(e.getKey()), "abc".getBytes(StandardCharsets.US_ASCII))),
          e.getKey().toString());
    }
    assertFalse(BcSessionDigests.INSTANCE.supports(DigestAlgorithm.MDC2));
    assertEquals(XEvent.MD, assertThrows(AutokeyException.class,
        () -> BcSessionDigests.INSTANCE.create(DigestAlgorithm.MDC2)).event());
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      if (a != DigestAlgorithm.MDC2) {
        assertEquals(a.length(), BcSessionDigests.INSTANCE.create(a).length());
      }
    }
  }
}
