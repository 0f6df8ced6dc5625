package dev.autokey.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** CookieRules (docs/protocol.md §7.3) and ServerCookies (§8.1, §7.7). */
class CookiesTest {
  static final AddressPair CLIENT_TO_SERVER =
      AddressPair.ofRaw(new byte[] {(byte) 192, 0, 2, 2}, new byte[] {(byte) 192, 0, 2, 1});

  @Test
  void whichCookie() {
    int c = 0xa39798e0;
    assertEquals(c, CookieRules.macCookie(KeyingMode.CLIENT_SERVER, false, c));
    assertEquals(0, CookieRules.macCookie(KeyingMode.CLIENT_SERVER, true, c));
    assertEquals(c, CookieRules.macCookie(KeyingMode.SYMMETRIC, false, c));
    assertEquals(0, CookieRules.macCookie(KeyingMode.SYMMETRIC, true, c));
    assertEquals(0, CookieRules.macCookie(KeyingMode.BROADCAST, false, c));
    assertEquals(0, CookieRules.macCookie(KeyingMode.BROADCAST, true, c));
    assertEquals(c, CookieRules.chainCookie(KeyingMode.CLIENT_SERVER, c));
    assertEquals(c, CookieRules.chainCookie(KeyingMode.SYMMETRIC, c));
    assertEquals(0, CookieRules.chainCookie(KeyingMode.BROADCAST, c));
    assertEquals(0x12345678 ^ 0x0f0f0f0f, CookieRules.symmetricCookie(0x12345678, 0x0f0f0f0f));
    assertFalse(CookieRules.requestHadExtensionFields(68));
    assertFalse(CookieRules.requestHadExtensionFields(72)); // SHA-1 MAC, no EF
    assertTrue(CookieRules.requestHadExtensionFields(76)); // 8-byte AUTO/LEAP request + MD5 MAC
  }

  @Test
  void ntpdCompatibleCookieIsTheCapturedOne() {
    ServerCookies ntpd = ServerCookies.ntpdCompatible();
    assertTrue(ntpd.isNtpdCompatible());
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    for (long now : new long[] {0, 1, 1L << 40, Long.MAX_VALUE}) {
      assertEquals(0xa39798e0, ntpd.cookie(md5, CLIENT_TO_SERVER, now));
    }
  }

  @Test
  void randomPrivateValueIsRefreshedOnTheRevokeInterval() {
    ServerCookies s = ServerCookies.random(new SecureRandom(), 3); // every 8 s
    assertEquals(8, s.refreshIntervalSeconds());
    assertFalse(s.isNtpdCompatible());
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    int c0 = s.cookie(md5, CLIENT_TO_SERVER, 1000);
    assertEquals(c0, s.cookie(md5, CLIENT_TO_SERVER, 1007));
    // different clients, different cookies (same private value)
    assertNotEquals(c0, s.cookie(md5, CLIENT_TO_SERVER.reversed(), 1007));
    int changes = 0;
    int prev = c0;
    for (long t = 1008; t < 1008 + 8 * 20; t += 8) {
      int c = s.cookie(md5, CLIENT_TO_SERVER, t);
      assertEquals(c, s.cookie(md5, CLIENT_TO_SERVER, t + 7));
      if (c != prev) {
        changes++;
      }
      prev = c;
    }
    assertTrue(changes >= 19, "refreshes seen: " + changes);
    // a random private value is not ntpd's 0
    assertNotEquals(0xa39798e0, ServerCookies.random(new SecureRandom()).cookie(md5, CLIENT_TO_SERVER, 0));
  }

  @Test
  void privateValueNeverPrinted() {
    SecureRandom fixed = new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public int nextInt() {
        return 0x5eed5eed;
      }
    };
    ServerCookies s = ServerCookies.random(fixed);
    s.cookie(SessionKeyEngine.md5(), CLIENT_TO_SERVER, 5);
    assertFalse(s.toString().toLowerCase().contains("5eed"), s.toString());
    assertEquals(SessionKeyEngine.md5().nextKeyId(CLIENT_TO_SERVER, 0, 0x5eed5eed),
        s.cookie(SessionKeyEngine.md5(), CLIENT_TO_SERVER, 6));
    assertThrows(IllegalArgumentException.class, () -> ServerCookies.random(fixed, 2));
  }
}
