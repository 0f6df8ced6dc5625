package dev.autokey.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.testing.Gen;
import dev.autokey.testing.PropertyCheck;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** T37 and the MAC rules of docs/protocol.md §7.2. */
class MacPropertyTest {
  private static final List<DigestAlgorithm> ALGS = List.of(DigestAlgorithm.MD5,
      DigestAlgorithm.SHA1, DigestAlgorithm.SHA256, DigestAlgorithm.SHA512, DigestAlgorithm.MD5_SHA1);

  /** A random packet (header + EF bytes in multiples of 4) with a valid MAC. */
  private record Signed(SessionKeyEngine engine, AddressPair addresses, int cookie, byte[] packet,
      int macOffset) {}

  private static Signed signed(Gen g) throws Exception {
    SessionKeyEngine e = SessionKeyEngine.create(g.pick(ALGS));
    boolean v6 = g.bool();
    AddressPair a = AddressPair.ofRaw(g.bytes(v6 ? 16 : 4), g.bytes(v6 ? 16 : 4));
    int macOffset = 48 + 4 * g.intBetween(0, 100);
    byte[] pkt = new byte[macOffset + e.macLength()];
    System.arraycopy(g.bytes(macOffset), 0, pkt, 0, macOffset);
    int keyId = g.intBetween(65536, Integer.MAX_VALUE) ^ (g.bool() ? 0x80000000 : 0);
    int cookie = (int) g.u32();
    assertEquals(e.macLength(), e.computeMac(a, keyId, cookie, pkt, 0, macOffset));
    assertEquals(MacResult.VALID, e.verifyMac(a, cookie, pkt, 0, pkt.length, macOffset));
    return new Signed(e, a, cookie, pkt, macOffset);
  }

  @Test
  void tamperedByteAnywhereFails() {
    PropertyCheck.forAll("one changed byte in packet or MAC fails verification", g -> {
      Signed s = signed(g);
      byte[] bad = s.packet().clone();
      int i = g.intBetween(0, bad.length - 1);
      bad[i] ^= (byte) g.intBetween(1, 255);
      MacResult r = s.engine().verifyMac(s.addresses(), s.cookie(), bad, 0, bad.length,
          s.macOffset());
      assertNotEquals(MacResult.VALID, r, "byte " + i + " of " + bad.length);
    });
  }

  @Test
  void mutatedPacketsNeverVerify() {
    PropertyCheck.forAll("Gen.mutate(packet) fails unless unchanged", g -> {
      Signed s = signed(g);
      byte[] bad = g.mutate(s.packet());
      int macOffset = Math.max(0, Math.min(s.macOffset(), bad.length));
      MacResult r = s.engine().verifyMac(s.addresses(), s.cookie(), bad, 0, bad.length, macOffset);
      if (!Arrays.equals(bad, s.packet())) {
        assertNotEquals(MacResult.VALID, r);
      }
    });
  }

  @Test
  void wrongAddressesOrCookieFail() {
    PropertyCheck.forAll("MAC is bound to addresses and cookie", g -> {
      Signed s = signed(g);
      byte[] p = s.packet();
      assertEquals(MacResult.MISMATCH, s.engine().verifyMac(s.addresses(), s.cookie() ^ (1 << g.intBetween(0, 31)),
          p, 0, p.length, s.macOffset()));
      if (!Arrays.equals(s.addresses().sourceBytes(), s.addresses().destinationBytes())) {
        assertEquals(MacResult.MISMATCH, s.engine().verifyMac(s.addresses().reversed(), s.cookie(),
            p, 0, p.length, s.macOffset()));
      }
    });
  }

  /** T37: a MAC differing from the expected one in its first or last digest byte is rejected. */
  @Test
  void firstAndLastDigestByteBothRejected() throws Exception {
    PropertyCheck.forAll("byte 0 and byte 15 of the digest", g -> {
      Signed s = signed(g);
      for (int at : new int[] {0, 15, s.engine().macLength() - 5}) {
        byte[] bad = s.packet().clone();
        bad[s.macOffset() + 4 + at] ^= 0x01;
        assertEquals(MacResult.MISMATCH, s.engine().verifyMac(s.addresses(), s.cookie(), bad, 0,
            bad.length, s.macOffset()), "digest byte " + at);
      }
    });
  }

  @Test
  void exactMacLengthRequired() throws Exception {
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    AddressPair a = AddressPair.ofRaw(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
    byte[] pkt = new byte[48 + 24];
    md5.computeMac(a, 0x10000, 7, pkt, 0, 48);
    assertEquals(MacResult.VALID, md5.verifyMac(a, 7, pkt, 0, 68, 48));
    for (int len : new int[] {48, 52, 56, 60, 64, 67, 69, 72}) {
      assertEquals(MacResult.WRONG_LENGTH, md5.verifyMac(a, 7, pkt, 0, len, 48), "length " + len);
    }
    // SHA-1 and longer digests: 24-byte MAC field, digest truncated to 20
    SessionKeyEngine sha256 = SessionKeyEngine.create(DigestAlgorithm.SHA256);
    assertEquals(24, sha256.macLength());
    byte[] p2 = new byte[72];
    assertEquals(24, sha256.computeMac(a, 0x10000, 7, p2, 0, 48));
    assertEquals(MacResult.VALID, sha256.verifyMac(a, 7, p2, 0, 72, 48));
    assertEquals(MacResult.WRONG_LENGTH, sha256.verifyMac(a, 7, p2, 0, 68, 48));
    // no room for the MAC
    assertThrows(IndexOutOfBoundsException.class, () -> md5.computeMac(a, 0x10000, 7, new byte[67], 0, 48));
    assertThrows(IndexOutOfBoundsException.class, () -> md5.verifyMac(a, 7, pkt, 0, 68, 69));
    assertThrows(IndexOutOfBoundsException.class, () -> md5.verifyMac(a, 7, pkt, 0, 68, -1));
    assertThrows(IndexOutOfBoundsException.class, () -> md5.computeMac(a, 0x10000, 7, pkt, 8, -4));
  }

  @Test
  void keyIdFirstAndSymmetricKeyIdsAreNotAutokey() throws Exception {
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    AddressPair a = AddressPair.ofRaw(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
    byte[] pkt = new byte[68];
    md5.computeMac(a, 0xfe1119aa, 0, pkt, 0, 48);
    assertEquals((byte) 0xfe, pkt[48]);
    assertEquals((byte) 0xaa, pkt[51]);
    byte[] sym = new byte[68];
    md5.computeMac(a, 65535, 0, sym, 0, 48);
    assertEquals(MacResult.NOT_AUTOKEY_KEY_ID, md5.verifyMac(a, 0, sym, 0, 68, 48));
    byte[] nak = new byte[52];
    assertEquals(MacResult.WRONG_LENGTH, md5.verifyMac(a, 0, nak, 0, 52, 48));
  }

  @Test
  void packetAtAnOffsetInALargerBuffer() {
    PropertyCheck.forAll("computeMac/verifyMac honour the buffer offset", g -> {
      Signed s = signed(g);
      int off = g.intBetween(0, 40);
      byte[] buf = new byte[off + s.packet().length + g.intBetween(0, 40)];
      System.arraycopy(s.packet(), 0, buf, off, s.packet().length);
      assertEquals(MacResult.VALID, s.engine().verifyMac(s.addresses(), s.cookie(), buf, off,
          s.packet().length, s.macOffset()));
    });
  }

  @Test
  void macWithSessionKeyValueEqualsDerivedOne() {
    PropertyCheck.forAll("computeMac(SessionKey) == computeMac(addresses)", g -> {
      Signed s = signed(g);
      int keyId = KeyIds.readInt(s.packet(), s.macOffset());
      SessionKey k = s.engine().sessionKey(s.addresses(), keyId, s.cookie());
      byte[] again = s.packet().clone();
      Arrays.fill(again, s.macOffset(), again.length, (byte) 0);
      s.engine().computeMac(k, again, 0, s.macOffset());
      assertEquals(HexOf.hex(s.packet()), HexOf.hex(again));
      assertEquals(MacResult.VALID, s.engine().verifyMac(k, again, 0, again.length, s.macOffset()));
      SessionKey other = s.engine().sessionKey(s.addresses(), keyId + 1, s.cookie());
      assertEquals(MacResult.MISMATCH,
          s.engine().verifyMac(other, again, 0, again.length, s.macOffset()));
    });
  }

  static final class HexOf {
    static String hex(byte[] b) {
      return java.util.HexFormat.of().formatHex(b);
    }
  }
}
