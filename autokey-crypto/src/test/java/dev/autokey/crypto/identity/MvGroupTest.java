package dev.autokey.crypto.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityServer;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** MV group generation: ntp-keygen's relations, revocation, and the ntpd-friendly p size. */
class MvGroupTest {

  private static void checkGroup(MvGroup g, int keys) throws AutokeyException {
    BigInteger p = g.p();
    BigInteger q = g.q();
    assertEquals(p, q.shiftLeft(1).add(BigInteger.ONE));
    assertTrue(p.isProbablePrime(60));
    assertEquals(BigInteger.ONE, g.g().gcd(p.subtract(BigInteger.ONE)));
    assertEquals(BigInteger.ONE, g.g().modPow(q, p));
    assertEquals(BigInteger.ONE, g.a().modPow(q, p));
    assertEquals(BigInteger.ONE, g.b().gcd(q));
    assertEquals(keys, g.keyCount());
    assertEquals(keys, g.revokedKey(), "ntp-keygen revokes the last key");
    IdentityServer bob = g.serverKey().server();
    for (int j = 1; j <= keys; j++) {
      IdentityClient alice = g.clientKey(j).client();
      IdentityChallenge c = alice.challenge(Groups.random(j));
      byte[] response = bob.respond(c.value(), Groups.random(100 + j));
      if (j == keys) {
        AutokeyException e = assertThrows(AutokeyException.class,
            () -> alice.verify(c, response, bob.filestamp()));
        assertEquals(XEvent.ID, e.event());
      } else {
        alice.verify(c, response, bob.filestamp());
      }
    }
  }

  @Test
  void ntpKeygenSizes() throws AutokeyException {
    MvGroup g = MvGroup.generate(4, 256, Groups.random(21), 1L);
    assertTrue(g.q().bitLength() == 255 || g.q().bitLength() == 256, "q " + g.q().bitLength());
    checkGroup(g, 4);
    checkGroup(MvGroup.generate(8, 256, Groups.random(22), 1L), 8);
  }

  @Test
  void ntpdSizesGiveAByteAlignedP() throws AutokeyException {
    for (int keys : new int[] {3, 4, 5, 8}) {
      MvGroup g = MvGroup.generateForNtpd(keys, 256, Groups.random(30 + keys), 1L);
      assertEquals(256, g.p().bitLength(), keys + " keys");
      checkGroup(g, keys);
    }
    MvGroup g = MvGroup.generateForNtpd(4, 512, Groups.random(40), 1L);
    assertEquals(512, g.p().bitLength());
    assertThrows(IllegalArgumentException.class,
        () -> MvGroup.generateForNtpd(4, 257, Groups.random(1), 1L));
    // two 128-bit primes always make a 256-bit q: no 256-bit p is possible
    assertThrows(IllegalArgumentException.class,
        () -> MvGroup.generateForNtpd(2, 256, Groups.random(1), 1L));
  }
}
