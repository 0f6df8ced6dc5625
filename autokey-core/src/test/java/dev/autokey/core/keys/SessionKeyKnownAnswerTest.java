package dev.autokey.core.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.testing.PropertyCheck;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers from docs/testing.md §R5 and docs/protocol.md Appendix A, plus an independent oracle. */
class SessionKeyKnownAnswerTest {
  static final HexFormat HEX = HexFormat.of();

  static byte[] hex(String s) {
    return HEX.parseHex(s.replace(" ", "").replace("|", ""));
  }

  static AddressPair pair(String src, String dst) throws Exception {
    return AddressPair.of(InetAddress.getByName(src), InetAddress.getByName(dst));
  }

  /** docs/testing.md §R5 worked vector: runs/tc-client frame 12, server reply without EF. */
  @Test
  void referenceLabWorkedVector_tcClientFrame12() throws Exception {
    byte[] payload = hex("240503e8 00000000 00000000 7f000001 00000000 00000000 eead58f7 9d108a16"
        + " eead58f7 9d145381 eead58f7 9d1e9671 | 1baf6011 | 5019cc8b4df3c04fbca150e792e07241");
    assertEquals(68, payload.length);
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    AddressPair client = pair("192.0.2.2", "192.0.2.1");
    AddressPair server = client.reversed();
    assertEquals(pair("192.0.2.1", "192.0.2.2"), server);

    // the cookie: MD5(c0000202 c0000201 00000000 00000000) = a39798e0 23f4520f...
    int cookie = ServerCookies.ntpdCompatible().cookie(md5, client, 0);
    assertEquals(0xa39798e0, cookie);
    assertEquals(cookie, md5.nextKeyId(client, 0, 0));

    SessionKey key = md5.sessionKey(server, 0x1baf6011, cookie);
    assertArrayEquals(hex("cc597d905a4e5522b7dc80d872ed68c9"), key.bytes());
    assertEquals(MacResult.VALID, md5.verifyMac(server, cookie, payload, 0, 68, 48));
    assertEquals(MacResult.VALID, md5.verifyMac(key, payload, 0, 68, 48));
    byte[] rebuilt = Arrays.copyOf(payload, 68);
    Arrays.fill(rebuilt, 48, 68, (byte) 0);
    assertEquals(20, md5.computeMac(server, 0x1baf6011, cookie, rebuilt, 0, 48));
    assertArrayEquals(payload, rebuilt);

    // request (frame 11) key: 93a549ae cde95fff..., the key ID of the client's previous packet
    SessionKey request = md5.sessionKey(client, 0x1baf6011, cookie);
    assertEquals(0x93a549ae, request.nextKeyId());
    assertArrayEquals(hex("93a549aecde95fff5b1799d18b203d8e"), request.bytes());
    // frame 1 (ASSOC request, EF present → cookie 0)
    assertArrayEquals(hex("5d311c10f040fa09da7d4fdd7c886d4b"),
        md5.sessionKey(client, 0x4902c795, 0).bytes());
  }

  /** docs/protocol.md §A.1: session key from ntpd's debug log. */
  @Test
  void appendixA1_sessionKeyIpv4() throws Exception {
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    SessionKey k = md5.sessionKey(pair("10.77.0.2", "10.77.0.1"), 0x7854ce44, 0);
    assertArrayEquals(hex("7d4e7a1a52beb2426b0ad378bdd3382f"), k.bytes());
    assertEquals(0x7d4e7a1a, k.nextKeyId());
    assertEquals(0x7d4e7a1a,
        md5.nextKeyId(hex("0a4d0002"), hex("0a4d0001"), 0x7854ce44, 0));
  }

  /** docs/protocol.md §A.2: server cookies, MD5 and SHA-1, IPv4 and IPv6, private value 0. */
  @Test
  void appendixA2_serverCookies() throws Exception {
    ServerCookies ntpd = ServerCookies.ntpdCompatible();
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    SessionKeyEngine sha1 = SessionKeyEngine.create(DigestAlgorithm.SHA1);
    AddressPair v4 = pair("10.77.0.2", "10.77.0.1");
    assertEquals(0x9498bc2a, ntpd.cookie(md5, v4, 1));
    assertArrayEquals(hex("9498bc2a4616157ce961dfc01cd98d27"), md5.sessionKey(v4, 0, 0).bytes());
    assertEquals(0xb371cfa2, ntpd.cookie(sha1, v4, 1));
    assertArrayEquals(hex("b371cfa27bc23e76fe6a2bf7d1c07c36f0435971"),
        sha1.sessionKey(v4, 0, 0).bytes());
    assertEquals(0xc7c6f1fc, ntpd.cookie(md5, pair("fd77::2", "fd77::1"), 1));
  }

  /** docs/protocol.md §A.3: IPv6 session key of a captured ASSOC request. */
  @Test
  void appendixA3_sessionKeyIpv6() throws Exception {
    AddressPair v6 = pair("fd77::2", "fd77::1");
    assertTrue(v6.isIpv6());
    assertEquals(40, v6.sessionKeyInputLength());
    SessionKey k = SessionKeyEngine.md5().sessionKey(v6, 0x5a0dd686, 0);
    assertArrayEquals(hex("7be8d562f9800e5dae007add6f80dd21"), k.bytes());
    assertArrayEquals(independentSessionKey("MD5", InetAddress.getByName("fd77::2"),
        InetAddress.getByName("fd77::1"), 0x5a0dd686, 0), k.bytes());
  }

  /** docs/protocol.md §A.4: a complete 100-byte ASSOC request, MAC over header + EF. */
  @Test
  void appendixA4_completeAssocRequest() throws Exception {
    byte[] pkt = hex("e30004e80000000000000000494e4954" + "00000000000000000000000000000000"
        + "0000000000000000eead50aaa5e658b0" + "020100200000237c0000000000080001"
        + "00000007636c694067727000000000" + "00" + "1a42aad8e072af30c8e7a6409927e7e0"
        + "bb75e80e");
    assertEquals(100, pkt.length);
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    AddressPair a = pair("10.77.0.2", "10.77.0.1");
    assertArrayEquals(hex("3022cbaa09bd11080dd5c741de7d4c5c"),
        md5.sessionKey(a, 0x1a42aad8, 0).bytes());
    assertEquals(MacResult.VALID, md5.verifyMac(a, 0, pkt, 0, 100, 0x50));
    // with the cookie a client would use on a plain packet, it must fail
    assertEquals(MacResult.MISMATCH, md5.verifyMac(a, 0x9498bc2a, pkt, 0, 100, 0x50));
  }

  /** docs/protocol.md §A.6 (§7.4): the broadcast key chain of another ntpd run, hash by hash. */
  @Test
  void appendixA6_broadcastChain() throws Exception {
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    AddressPair bcast = pair("10.77.0.1", "10.77.0.255");
    int[] ids = {0xa3cbc7f6, 0x3d10228f, 0x6f616127, 0x76635d06, 0x65c98246, 0x4a4217c2,
        0x2ee4a948, 0xd1473e28, 0xc8ccc1e5};
    int previous = 0x1a939a19; // published AUTO key, seq 99
    for (int id : ids) {
      assertEquals(previous, md5.nextKeyId(bcast, id, 0), KeyIds.hex(id));
      previous = id;
    }
    // and through the receiver's check, skipping lost packets
    ChainResult r = KeyChain.check(md5, bcast, 0, ids[8], ids[5], 0x1a939a19, 90);
    assertTrue(r.accepted());
    assertEquals(3, r.hashes());
    assertEquals(2, r.skipped());
    assertEquals(88, r.remaining());
  }

  /** IPv6 and IPv4 session keys equal a second, straightforward MessageDigest implementation. */
  @Test
  void sessionKeysMatchIndependentImplementation() {
    PropertyCheck.forAll("session key == MessageDigest(src|dst|id|cookie)", g -> {
      boolean v6 = g.bool();
      byte[] s = g.bytes(v6 ? 16 : 4);
      byte[] d = g.bytes(v6 ? 16 : 4);
      InetAddress src = InetAddress.getByAddress(s);
      InetAddress dst = InetAddress.getByAddress(d);
      if (v6 && !(src instanceof java.net.Inet6Address && dst instanceof java.net.Inet6Address)) {
        return; // an IPv4-mapped draw: InetAddress turns it into IPv4 (checked separately)
      }
      int keyId = (int) g.u32();
      int cookie = (int) g.u32();
      DigestAlgorithm alg = g.pick(List.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA1,
          DigestAlgorithm.SHA256, DigestAlgorithm.SHA512));
      String jdk = switch (alg) {
        case SHA1 -> "SHA-1";
        case SHA256 -> "SHA-256";
        case SHA512 -> "SHA-512";
        default -> "MD5";
      };
      byte[] expected = independentSessionKey(jdk, src, dst, keyId, cookie);
      SessionKeyEngine e = SessionKeyEngine.create(alg);
      AddressPair p = AddressPair.of(src, dst);
      assertArrayEquals(expected, e.sessionKey(p, keyId, cookie).bytes());
      int next = ByteBuffer.wrap(expected).getInt();
      assertEquals(next, e.nextKeyId(p, keyId, cookie));
      assertEquals(next, e.nextKeyId(s, d, keyId, cookie));
      byte[] out = new byte[alg.length() + 5];
      assertEquals(next, e.sessionKey(p, keyId, cookie, out, 5));
      assertArrayEquals(expected, Arrays.copyOfRange(out, 5, out.length));
    });
  }

  static byte[] independentSessionKey(String jdkName, InetAddress src, InetAddress dst, int keyId,
      int cookie) throws Exception {
    MessageDigest md = MessageDigest.getInstance(jdkName);
    md.update(src.getAddress());
    md.update(dst.getAddress());
    md.update(ByteBuffer.allocate(8).putInt(keyId).putInt(cookie).array());
    return md.digest();
  }

  @Test
  void ipv4MappedInetAddressIsIpv4() throws Exception {
    byte[] mapped = hex("00000000000000000000ffffc0000202");
    InetAddress a = InetAddress.getByAddress(mapped);
    AddressPair p = AddressPair.of(a, InetAddress.getByName("192.0.2.1"));
    assertFalse(p.isIpv6());
    assertEquals(16, p.sessionKeyInputLength());
  }

  @Test
  void addressPairRejectsMixedFamiliesAndBadLengths() throws Exception {
    assertThrows(IllegalArgumentException.class,
        () -> pair("192.0.2.1", "fd77::1"));
    assertThrows(IllegalArgumentException.class,
        () -> AddressPair.ofRaw(new byte[5], new byte[5]));
    assertThrows(IllegalArgumentException.class,
        () -> SessionKeyEngine.md5().nextKeyId(new byte[4], new byte[16], 1, 2));
    assertEquals("192.0.2.2 -> 192.0.2.1", pair("192.0.2.2", "192.0.2.1").toString());
    assertEquals("[fd77:0:0:0:0:0:0:2] -> [fd77:0:0:0:0:0:0:1]",
        pair("fd77::2", "fd77::1").toString());
  }

  @Test
  void sessionKeyNeverPrintsItsBytes() throws Exception {
    SessionKey k = SessionKeyEngine.md5().sessionKey(pair("10.77.0.2", "10.77.0.1"), 0x7854ce44, 0);
    String s = k.toString();
    assertFalse(s.toLowerCase().contains("7d4e7a1a52"), s);
    assertTrue(s.contains("7854ce44"), s);
    SessionKey same = SessionKey.of(DigestAlgorithm.MD5, 0x7854ce44, k.bytes());
    assertTrue(k.sameAs(same));
    assertFalse(k.equals(same)); // identity only: no value equality on secrets
    byte[] other = k.bytes();
    other[15] ^= 1;
    assertFalse(k.sameAs(SessionKey.of(DigestAlgorithm.MD5, 0x7854ce44, other)));
    assertThrows(IllegalArgumentException.class,
        () -> SessionKey.of(DigestAlgorithm.SHA1, 1, new byte[16]));
  }
}
