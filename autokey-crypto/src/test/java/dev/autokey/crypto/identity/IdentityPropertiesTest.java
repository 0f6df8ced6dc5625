package dev.autokey.crypto.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.identity.IdentityServer;
import dev.autokey.testing.Gen;
import dev.autokey.testing.PropertyCheck;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of IFF, GQ and MV (≥ 1000 cases each): honest responders verify; responders without
 * the group secret, of another group, flipped bytes, r = 0, r ≥ modulus and overlong values are
 * rejected with ntpd's XEVNT code, without big-integer work sized by the attacker (T24).
 */
class IdentityPropertiesTest {

  /** One scheme's client, honest server, and servers that must fail. */
  record Fixture(String name, IdentityClient client, IdentityServer server,
      IdentityServer noSecret, IdentityServer otherGroup, BigInteger modulus) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Fixture> fixtures() {
    IffKey iff = Groups.IFF;
    GqKey gq = Groups.GQ;
    MvGroup mv = Groups.MV;
    // IFF without the secret: same group, another b
    IffKey iffWrongB = IffKey.of(iff.p(), iff.q(), iff.g(),
        iff.b().add(BigInteger.ONE).mod(iff.q()).max(BigInteger.ONE), iff.filestamp());
    // GQ without the secret: a u' that does not match v (v' = (u'^-1)^b for another u')
    BigInteger u2 = iff.q().mod(gq.n()); // any value coprime to n
    GqKey gqWrongU = GqKey.of(gq.n(), gq.b(), u2, u2.modInverse(gq.n()).modPow(gq.b(), gq.n()),
        gq.filestamp());
    // MV without the secret: the server key of another group cannot serve this group's client
    MvServerKey s = mv.serverKey();
    MvServerKey mvWrongE = MvServerKey.of(s.p(), s.q(), s.gbar(), s.gbar(), s.ghat(),
        s.filestamp());
    return Stream.of(
        new Fixture("IFF", iff.parameters().client(), iff.server(), iffWrongB.server(),
            Groups.IFF_OTHER.server(), iff.q()),
        new Fixture("GQ", gq.parameters().client(gq.v()), gq.server(), gqWrongU.server(),
            Groups.GQ_OTHER.server(), gq.n()),
        new Fixture("MV", mv.clientKey(1).client(), s.server(), mvWrongE.server(),
            Groups.MV_OTHER.serverKey().server(), mv.p()));
  }

  private static SecureRandom rnd(Gen g) {
    return new SeededRandom(g.anyLong());
  }

  private static XEvent rejection(ThrowingRunnable r) {
    AutokeyException e = assertThrows(AutokeyException.class, r::run);
    return e.event();
  }

  interface ThrowingRunnable {
    void run() throws Throwable;
  }

  private static int len(BigInteger m) {
    return (m.bitLength() + 7) / 8;
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void honestResponderAlwaysVerifies(Fixture f) {
    int[] shortChallenges = {0};
    PropertyCheck.forAll(f + ": honest responder verifies", g -> {
      IdentityChallenge c = f.client().challenge(rnd(g));
      assertEquals(len(f.modulus()), c.length(), "challenge length = modulus length");
      byte[] v = c.value();
      BigInteger r = new BigInteger(1, v);
      assertTrue(r.signum() > 0 && r.compareTo(f.modulus()) < 0, "0 < r < modulus");
      if (v[0] == 0) {
        shortChallenges[0]++; // ntpd would have sent garbage in the tail here (docs/protocol.md §9.6)
      }
      byte[] response = f.server().respond(v, rnd(g));
      f.client().verify(c, response, f.server().filestamp());
    });
    if (f.name().equals("MV")) {
      // p has 257 bits: about half of all challenges start with a zero byte
      assertTrue(shortChallenges[0] > 300, "left-padded MV challenges seen: " + shortChallenges[0]);
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void responderWithoutTheGroupSecretIsRejected(Fixture f) {
    PropertyCheck.forAll(f + ": no group secret", g -> {
      IdentityChallenge c = f.client().challenge(rnd(g));
      byte[] response = f.noSecret().respond(c.value(), rnd(g));
      assertEquals(XEvent.ID, rejection(() -> f.client().verify(c, response, f.server().filestamp())));
    });
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void responderOfAnotherGroupIsRejected(Fixture f) {
    PropertyCheck.forAll(f + ": wrong group", g -> {
      IdentityChallenge c = f.client().challenge(rnd(g));
      byte[] response;
      try {
        response = f.otherGroup().respond(c.value(), rnd(g));
      } catch (AutokeyException e) {
        assertEquals(XEvent.ID, e.event()); // r not below the other group's modulus
        return;
      }
      assertEquals(XEvent.ID, rejection(() -> f.client().verify(c, response, f.server().filestamp())));
    });
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void anyFlippedResponseByteIsRejected(Fixture f) {
    PropertyCheck.forAll(f + ": flipped response byte", g -> {
      IdentityChallenge c = f.client().challenge(rnd(g));
      byte[] response = f.server().respond(c.value(), rnd(g));
      byte[] bad = response.clone();
      int i = g.intBetween(0, bad.length - 1);
      bad[i] ^= (byte) g.intBetween(1, 255);
      XEvent e = rejection(() -> f.client().verify(c, bad, f.server().filestamp()));
      assertTrue(e == XEvent.ID || e == XEvent.ERR, "rejected with " + e);
    });
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void flippedValueBytesInsideIntegersAreIdentityFailures(Fixture f) {
    PropertyCheck.forAll(f + ": flipped INTEGER content byte", g -> {
      IdentityChallenge c = f.client().challenge(rnd(g));
      byte[] response = f.server().respond(c.value(), rnd(g));
      List<int[]> spans = integerContentSpans(response);
      int[] span = g.pick(spans);
      // keep the first content byte, and the one after a 0x00 sign byte, so the encoding
      // stays minimal and non-negative
      int keep = response[span[0]] == 0 ? 2 : 1;
      if (span[1] <= keep) {
        return;
      }
      int i = span[0] + g.intBetween(keep, span[1] - 1);
      byte[] bad = response.clone();
      bad[i] ^= (byte) g.intBetween(1, 255);
      assertEquals(XEvent.ID, rejection(() -> f.client().verify(c, bad, f.server().filestamp())));
    });
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void anyFlippedChallengeByteFails(Fixture f) {
    PropertyCheck.forAll(f + ": flipped challenge byte", g -> {
      IdentityChallenge c = f.client().challenge(rnd(g));
      byte[] sent = c.value();
      sent[g.intBetween(0, sent.length - 1)] ^= (byte) g.intBetween(1, 255);
      byte[] response;
      try {
        response = f.server().respond(sent, rnd(g));
      } catch (AutokeyException e) {
        assertEquals(XEvent.ID, e.event()); // flipped into r = 0 or r >= modulus
        return;
      }
      assertEquals(XEvent.ID, rejection(() -> f.client().verify(c, response, f.server().filestamp())));
    });
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void serverBoundsEveryChallengeBeforeArithmetic(Fixture f) {
    int modLen = len(f.modulus());
    byte[] modulusBytes = IdentityMath.fixedLength(f.modulus(), modLen);
    long start = System.nanoTime();
    PropertyCheck.forAll(f + ": bad challenges", g -> {
      switch (g.intBetween(0, 4)) {
        case 0: // r = 0, any length up to the modulus length
          assertEquals(XEvent.ID, rejection(
              () -> f.server().respond(new byte[g.intBetween(1, modLen)], rnd(g))));
          break;
        case 1: { // r >= modulus at full length
          BigInteger r = f.modulus().add(new BigInteger(f.modulus().bitLength() - 1, rnd(g)));
          byte[] v = r.bitLength() <= modLen * 8 ? IdentityMath.fixedLength(r, modLen) : modulusBytes;
          assertEquals(XEvent.ID, rejection(() -> f.server().respond(v, rnd(g))));
          break;
        }
        case 2: // overlong: up to ntpd's MAX_VALLEN and beyond
          assertEquals(XEvent.LEN, rejection(() -> f.server().respond(
              g.bytes(g.pickInt(modLen + 1, modLen + 2, 1024, 65511, 65536)), rnd(g))));
          break;
        case 3: // empty
          assertEquals(XEvent.LEN, rejection(() -> f.server().respond(new byte[0], rnd(g))));
          break;
        default: // r = modulus exactly
          assertEquals(XEvent.ID, rejection(() -> f.server().respond(modulusBytes, rnd(g))));
      }
    });
    long ms = (System.nanoTime() - start) / 1_000_000;
    // 1000 rejections, ~200 of them with 64 KiB values: a single modexp with such an exponent
    // would take longer than this whole budget
    assertTrue(ms < 5_000, "bad challenges took " + ms + " ms");
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void clientBoundsEveryResponseBeforeArithmetic(Fixture f) {
    int modLen = len(f.modulus());
    int ints = f.name().equals("MV") ? 3 : 2;
    long start = System.nanoTime();
    PropertyCheck.forAll(f + ": bad responses", g -> {
      IdentityChallenge c = f.client().challenge(rnd(g));
      byte[] bad;
      XEvent want;
      switch (g.intBetween(0, 5)) {
        case 0: { // huge INTEGERs (would mean huge exponents)
          BigInteger[] v = new BigInteger[ints];
          for (int i = 0; i < ints; i++) {
            v[i] = new BigInteger(1, g.bytes(g.pickInt(modLen + 2, 4096, 60000)));
          }
          bad = Der.encodeIntegers(v);
          want = XEvent.ERR;
          break;
        }
        case 1: { // zero values
          BigInteger[] v = new BigInteger[ints];
          Arrays.fill(v, BigInteger.ZERO);
          bad = Der.encodeIntegers(v);
          want = XEvent.ID;
          break;
        }
        case 2: { // values >= modulus
          BigInteger[] v = new BigInteger[ints];
          Arrays.fill(v, f.modulus());
          if (ints == 2) {
            v[1] = BigInteger.ONE; // a plausible hash
          }
          bad = Der.encodeIntegers(v);
          want = XEvent.ID;
          break;
        }
        case 3: // random junk up to 64 KiB
          bad = g.bytes(0, 65536);
          want = XEvent.ERR;
          break;
        case 4: { // trailing bytes after an honest response
          byte[] ok = f.server().respond(c.value(), rnd(g));
          bad = Arrays.copyOf(ok, ok.length + g.intBetween(1, 64));
          want = XEvent.ERR;
          break;
        }
        default: { // a mutation of an honest response
          byte[] ok = f.server().respond(c.value(), rnd(g));
          bad = g.mutate(ok);
          if (Arrays.equals(ok, bad)) {
            return; // the mutation happened to restore the original
          }
          want = null;
        }
      }
      byte[] value = bad;
      XEvent e = rejection(() -> f.client().verify(c, value, f.server().filestamp()));
      if (want != null) {
        assertEquals(want, e);
      } else {
        assertTrue(e == XEvent.ID || e == XEvent.ERR, "rejected with " + e);
      }
    });
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 8_000, "bad responses took " + ms + " ms");
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void filestampAndOutstandingChallengeRules(Fixture f) {
    Set<IdentityScheme> exactFs = EnumSet.of(IdentityScheme.IFF, IdentityScheme.MV);
    PropertyCheck.forAll(f + ": filestamp rule", g -> {
      IdentityChallenge c = f.client().challenge(rnd(g));
      byte[] response = f.server().respond(c.value(), rnd(g));
      long fs = f.client().filestamp();
      long other = g.u32();
      if (other == fs) {
        return;
      }
      boolean accept = !exactFs.contains(f.client().scheme()) && other > fs;
      if (accept) {
        f.client().verify(c, response, other);
      } else {
        assertEquals(XEvent.FSP, rejection(() -> f.client().verify(c, response, other)));
      }
      assertEquals(XEvent.ID, rejection(() -> f.client().verify(null, response, fs)));
      IdentityScheme another = f.client().scheme() == IdentityScheme.IFF
          ? IdentityScheme.MV : IdentityScheme.IFF;
      assertEquals(XEvent.ID, rejection(() -> f.client().verify(
          new IdentityChallenge(another, c.value()), response, fs)));
    });
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void responseIsMinimalDerOfTheSchemeStructure(Fixture f) {
    PropertyCheck.forAll(f + ": DER shape", g -> {
      IdentityChallenge c = f.client().challenge(rnd(g));
      byte[] response = f.server().respond(c.value(), rnd(g));
      int ints = f.name().equals("MV") ? 3 : 2;
      int max = len(f.modulus()) + 1;
      BigInteger[] v = Der.decodeIntegers(response, "shape", ints == 3
          ? new int[] {max, max, max} : new int[] {max, 17});
      assertArrayEquals(response, Der.encodeIntegers(v));
      if (ints == 2) {
        assertTrue(v[1].bitLength() <= 128, "hash is an MD5 value");
      }
    });
  }

  private static List<int[]> integerContentSpans(byte[] der) {
    List<int[]> out = new java.util.ArrayList<>();
    int i = 1;
    i += (der[i] & 0x80) != 0 ? 1 + (der[i] & 0x7f) : 1;
    while (i < der.length) {
      i++; // tag 02
      int l = der[i] & 0xff;
      if (l >= 0x80) {
        int n = l & 0x7f;
        l = 0;
        for (int k = 1; k <= n; k++) {
          l = (l << 8) | (der[i + k] & 0xff);
        }
        i += n;
      }
      i++;
      out.add(new int[] {i, l});
      i += l;
    }
    return out;
  }
}
