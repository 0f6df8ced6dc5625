package dev.autokey.core.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.testing.PropertyCheck;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentitySchemeTest {

  @Test
  void statusBitsAndOpcodesAreNtpds() {
    assertEquals(0, IdentityScheme.TC.statusBit());
    assertEquals(0x10, IdentityScheme.PC.statusBit());
    assertEquals(0x20, IdentityScheme.IFF.statusBit());
    assertEquals(0x40, IdentityScheme.GQ.statusBit());
    assertEquals(0x80, IdentityScheme.MV.statusBit());
    assertEquals(7, IdentityScheme.IFF.opcode());
    assertEquals(8, IdentityScheme.GQ.opcode());
    assertEquals(9, IdentityScheme.MV.opcode());
    assertFalse(IdentityScheme.TC.hasChallenge());
    assertFalse(IdentityScheme.PC.hasChallenge());
    assertThrows(IllegalStateException.class, IdentityScheme.TC::opcode);
    assertEquals(Optional.of(IdentityScheme.GQ), IdentityScheme.forOpcode(8));
    assertEquals(Optional.empty(), IdentityScheme.forOpcode(6));
    assertEquals(0xF0, IdentityScheme.STATUS_MASK);
  }

  @Test
  void capturedStatusWordsSelectTheCapturedScheme() throws AutokeyException {
    // low bytes of the server status seen in the reference runs (README of each capture)
    assertEquals(IdentityScheme.IFF, IdentityScheme.select(0x00080023L, false, true));
    assertEquals(IdentityScheme.GQ, IdentityScheme.select(0x00080043L, false, true));
    assertEquals(IdentityScheme.MV, IdentityScheme.select(0x00080083L, false, true));
    assertEquals(IdentityScheme.TC, IdentityScheme.select(0x00080003L, false, true));
    // without an ident name the certificate trail alone decides
    assertEquals(IdentityScheme.TC, IdentityScheme.select(0x00080023L, false, false));
  }

  @Test
  void selectionFollowsNtpdsOrderWithoutFallback() {
    PropertyCheck.forAll("select: first of IFF, GQ, MV; PC needs PRIV", g -> {
      long status = g.u32();
      boolean priv = g.bool();
      boolean ident = g.bool();
      if (priv) {
        if ((status & 0x10) == 0) {
          AutokeyException e = assertThrows(AutokeyException.class,
              () -> IdentityScheme.select(status, true, ident));
          assertEquals(XEvent.KEY, e.event());
        } else {
          assertEquals(IdentityScheme.PC, IdentityScheme.select(status, true, ident));
        }
        return;
      }
      IdentityScheme s = IdentityScheme.select(status, false, ident);
      IdentityScheme want = !ident ? IdentityScheme.TC
          : (status & 0x20) != 0 ? IdentityScheme.IFF
          : (status & 0x40) != 0 ? IdentityScheme.GQ
          : (status & 0x80) != 0 ? IdentityScheme.MV
          : IdentityScheme.TC;
      assertEquals(want, s);
      assertTrue(s == IdentityScheme.TC || s.advertisedIn(status));
    });
  }

  @Test
  void challengeIsAnImmutableValue() {
    byte[] v = {0, 1, 2, 3};
    IdentityChallenge c = new IdentityChallenge(IdentityScheme.MV, v);
    v[0] = 9;
    assertEquals(0, c.value()[0]);
    byte[] out = c.value();
    out[1] = 9;
    assertArrayEquals(new byte[] {0, 1, 2, 3}, c.value());
    assertNotSame(c.value(), c.value());
    assertEquals(4, c.length());
    assertEquals(new IdentityChallenge(IdentityScheme.MV, new byte[] {0, 1, 2, 3}), c);
    assertThrows(IllegalArgumentException.class,
        () -> new IdentityChallenge(IdentityScheme.TC, new byte[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> new IdentityChallenge(IdentityScheme.IFF, new byte[0]));
  }
}
