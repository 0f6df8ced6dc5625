package dev.autokey.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.Gen;
import dev.autokey.testing.PropertyCheck;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Key lists (docs/protocol.md §7.4, T36) and the receiver's hash chain (§7.5, T35). */
class KeyListChainTest {

  /** A SecureRandom replaying a Gen, so the first key ID is known (and T36's "injected"). */
  static final class GenRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    final transient Gen g;
    int draws;

    GenRandom(Gen g) {
      this.g = g;
    }

    @Override
    public int nextInt() {
      draws++;
      return g.anyInt();
    }
  }

  static AddressPair addresses(Gen g) {
    boolean v6 = g.bool();
    return AddressPair.ofRaw(g.bytes(v6 ? 16 : 4), g.bytes(v6 ? 16 : 4));
  }

  @Test
  void keyListsFollowMakeKeylist() {
    PropertyCheck.forAll("T36: key list shape", g -> {
      SessionKeyEngine e = SessionKeyEngine.md5();
      AddressPair a = addresses(g);
      int cookie = g.bool() ? 0 : (int) g.u32();
      KeyListParameters p = new KeyListParameters(g.intBetween(0, 17), g.intBetween(3, 31),
          g.chance(0.9));
      Gen replay = new Gen(g.anyLong());
      KeyList list = KeyList.generate(e, a, cookie, p, new GenRandom(replay));
      // the first key ID is the first draw > 65535 of the injected generator
      Gen again = new Gen(replay.seed());
      int first;
      do {
        first = again.anyInt();
      } while (!KeyIds.isAutokey(first));
      assertEquals(first, list.keyId(0));
      assertTrue(list.size() >= 1 && list.size() <= KeyList.MAX_KEYS);
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        assertTrue(KeyIds.isAutokey(list.keyId(i)), "ID > 65535");
        assertTrue(seen.add(list.keyId(i)), "no duplicates");
        int next = e.nextKeyId(a, list.keyId(i), cookie);
        if (i + 1 < list.size()) {
          assertEquals(list.keyId(i + 1), next);
        } else {
          assertEquals(list.autokeyValues().keyId(), next);
        }
        assertEquals(p.lifetimeSeconds() - (long) i * p.pollSeconds() + p.pollSeconds(),
            list.lifetimeSeconds(i));
      }
      assertEquals(list.size() - 1, list.autokeyValues().sequence());
      // length: 100 while the lifetime lasts, 1 when unsynchronised
      long expected = !p.synchronised() ? 1
          : Math.min(KeyList.MAX_KEYS, p.lifetimeSeconds() / p.pollSeconds() + 1);
      if (KeyIds.isAutokey(list.autokeyValues().keyId())) {
        assertEquals(expected, list.size(), p.toString());
      } else {
        // a next key ID <= 65535 (chance 2^-16 per entry) ends the list early, as in ntpd
        assertTrue(list.size() <= expected, p.toString());
      }
      // reverse use
      KeyList.Cursor c = list.cursor();
      for (int i = list.size() - 1; i >= 0; i--) {
        assertEquals(list.size() - 1 - i, list.size() - c.remaining());
        assertEquals(list.keyId(i), c.nextKeyId());
      }
      assertFalse(c.hasNext());
      assertThrows(NoSuchElementException.class, c::nextKeyId);
    });
  }

  @Test
  void ntpdDefaultsGiveHundredAndSixtyFiveKeys() throws Exception {
    // A random list legitimately ends early when a next key ID falls to 65535 or below (ntpd's
    // make_keylist, p = 2^-16 per key, ~0.15 % for 100 keys), so the sizes are checked with
    // a fixed first key ID; the early end itself is covered by the chain property above.
    SessionKeyEngine e = SessionKeyEngine.md5();
    AddressPair a = AddressPair.ofRaw(new byte[] {(byte) 192, 0, 2, 1}, new byte[] {(byte) 192, 0, 2, (byte) 255});
    KeyList poll16 = KeyList.generate(e, a, 0, KeyListParameters.forPoll(4), fixedFirstKey(0x12345678));
    assertEquals(100, poll16.size());
    assertEquals(99, poll16.autokeyValues().sequence());
    assertEquals(1616, poll16.lifetimeSeconds(0));
    KeyList poll64 = KeyList.generate(e, a, 0, KeyListParameters.forPoll(6), fixedFirstKey(0x12345678));
    assertEquals(65, poll64.size());
    assertEquals(64, poll64.autokeyValues().sequence());
    KeyList unsync = KeyList.generate(e, a, 0, new KeyListParameters(4, 12, false), new SecureRandom());
    assertEquals(1, unsync.size());
    assertEquals(0, unsync.autokeyValues().sequence());
  }

  @Test
  void keyInUseStopsTheListAndIsNeverTheFirstKey() throws Exception {
    SessionKeyEngine e = SessionKeyEngine.md5();
    AddressPair a = AddressPair.ofRaw(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
    KeyList full = KeyList.generate(e, a, 5, KeyListParameters.forPoll(4), new SecureRandom());
    int stopAt = full.keyId(10);
    Gen gen = new Gen(1);
    // replay the same first key: a SecureRandom that returns full.keyId(0)
    SecureRandom fixed = new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public int nextInt() {
        return full.keyId(0);
      }
    };
    KeyList cut = KeyList.generate(e, a, 5, KeyListParameters.forPoll(4), fixed, k -> k == stopAt);
    assertEquals(10, cut.size());
    assertEquals(stopAt, cut.autokeyValues().keyId());
    assertEquals(9, cut.autokeyValues().sequence());
    assertThrows(IllegalStateException.class, () -> KeyList.generate(e, a, 5,
        KeyListParameters.forPoll(4), fixed, k -> true));
    assertTrue(gen.seed() == 1);
  }

  @Test
  void chainsOfEveryLengthVerify() {
    PropertyCheck.forAll("T35: chains of length 1..100 verify packet by packet", g -> {
      SessionKeyEngine e = SessionKeyEngine.md5();
      AddressPair a = addresses(g);
      int cookie = g.bool() ? 0 : (int) g.u32();
      int length = g.intBetween(1, 100);
      // a 100-key list; its last 'length' entries form a list of that length
      KeyList list = KeyList.generate(e, a, cookie, KeyListParameters.forPoll(4),
          new GenRandom(new Gen(g.anyLong())));
      if (list.size() < length) {
        return; // ended early at a next key ID <= 65535 (chance about 2^-16 per entry)
      }
      int n = length - 1; // use the last 'length' entries: a list published as {next(list[n]), n}
      int published = e.nextKeyId(a, list.keyId(n), cookie);
      int previous = published;
      int seq = n;
      for (int packet = 0; packet <= n; packet++) {
        int keyId = list.keyId(n - packet);
        // lose some packets: the receiver skips over them
        if (packet < n && g.chance(0.2)) {
          continue; // lost: never seen, so no decrement either
        }
        seq = Math.max(0, seq - 1); // ntpd: if (ap->seq > 0) ap->seq--
        CountingDigest d = CountingDigest.md5();
        ChainResult r = KeyChain.check(SessionKeyEngine.of(d), a, cookie, keyId, previous,
            published, seq);
        assertTrue(r.accepted(), "packet " + packet + " of chain length " + length);
        assertEquals(d.digests, r.hashes());
        assertTrue(r.hashes() <= seq + 2);
        previous = keyId;
        seq = r.remaining();
      }
    });
  }

  @Test
  void foreignKeyIdFailsAfterSeqPlusOneChainHashes() {
    PropertyCheck.forAll("T35: a foreign key ID costs exactly 1 + (seq + 1) hashes", g -> {
      CountingDigest d = CountingDigest.md5();
      SessionKeyEngine e = SessionKeyEngine.of(d);
      AddressPair a = addresses(g);
      int seq = g.intBetween(-5, 200);
      int foreign = g.intBetween(65536, Integer.MAX_VALUE);
      int previous = (int) g.u32();
      int published = (int) g.u32();
      ChainResult r = KeyChain.check(e, a, 0, foreign, previous, published, seq);
      int clamped = Math.max(0, Math.min(seq, KeyChain.MAX_SEQUENCE));
      // a random ID reaching a random target within 101 hashes has probability ~2^-25
      assertFalse(r.accepted());
      assertEquals(clamped + 2, d.digests, "counted hashes");
      assertEquals(d.digests, r.hashes());
      assertTrue(r.hashes() <= 101);
      assertEquals(clamped, r.remaining());
    });
  }

  @Test
  void chainWithTheWrongCookieOrAddressesFails() throws Exception {
    SessionKeyEngine e = SessionKeyEngine.md5();
    AddressPair a = AddressPair.ofRaw(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, (byte) 255});
    KeyList list = KeyList.generate(e, a, 0, KeyListParameters.forPoll(4), new SecureRandom());
    int published = list.autokeyValues().keyId();
    int first = list.transmitKeyId(0);
    assertTrue(KeyChain.check(e, a, 0, first, published, published, 98).accepted());
    assertFalse(KeyChain.check(e, a, 1, first, published, published, 98).accepted());
    assertFalse(KeyChain.check(e, a.reversed(), 0, first, published, published, 98).accepted());
  }

  @Test
  void autokeyValuesEncodeAsTheAutoValue() throws Exception {
    AutokeyValues v = new AutokeyValues(0x829db3db, 99);
    assertEquals("829db3db00000063", java.util.HexFormat.of().formatHex(v.encode()));
    assertEquals(v, AutokeyValues.decode(v.encode()));
    assertEquals("AutokeyValues[key 829db3db, seq 99]", v.toString());
    assertEquals(dev.autokey.core.XEvent.LEN, assertThrows(dev.autokey.core.AutokeyException.class,
        () -> AutokeyValues.decode(new byte[7])).event());
    assertThrows(IllegalArgumentException.class, () -> new KeyListParameters(18, 12, true));
    assertThrows(IllegalArgumentException.class, () -> new KeyListParameters(4, 2, true));
  }

  /** A generator whose first key ID is {@code keyId} (KeyList draws it with nextInt). */
  private static SecureRandom fixedFirstKey(int keyId) {
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public int nextInt() {
        return keyId;
      }
    };
  }
}
