package dev.autokey.crypto.modes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.crypto.SymmetricKey;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.SymmetricKeyAuth;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.crypto.BcSymmetricMacs;
import dev.autokey.crypto.keygen.SymmetricKeysFile;
import dev.autokey.testing.TestData;
import java.net.InetAddress;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AUTH (symmetric-key MAC, RFC 5905 §7.3) with the keys of ntp-keygen's {@code -M} file in
 * {@code testdata/keygen/md5}: known answers computed independently with the JDK's digests
 * ({@code Digest(secret || packet)}, SHA-1 truncated to 20 bytes), MD5 and SHA1 keys.
 */
class SymmetricKeyAuthTest {
  static List<SymmetricKey> keys;
  static final InetAddress CLIENT = addr("10.77.0.2");

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void load() throws Exception {
    keys = SymmetricKeysFile.parse(Files.readAllBytes(TestData.path("keygen/md5/ntpkey_MD5key_keys.shared.test.4004335814")),
        CryptoWarningListener.IGNORE);
  }

  static NtpHeader header() {
    return NtpHeader.builder().version(4).mode(NtpHeader.MODE_CLIENT).poll(6)
        .transmitTimestamp(0xE8A1_2345_6789_ABCDL).build();
  }

  static byte[] expected(SymmetricKey k, byte[] pkt) throws Exception {
    MessageDigest md = MessageDigest.getInstance(k.type().equals("MD5") ? "MD5" : "SHA-1");
    md.update(k.secret());
    md.update(pkt, 0, NtpHeader.LENGTH);
    byte[] d = md.digest();
    return Arrays.copyOf(d, Math.min(d.length, 20));
  }

  @Test
  void sealMatchesIndependentDigestForEveryKeyOfTheMinusMFile() throws Exception {
    assertEquals(20, keys.size());
    for (SymmetricKey k : keys) {
      SymmetricKeyAuth auth = SymmetricKeyAuth.create(keys, Set.of(k.keyId()),
          BcSymmetricMacs.INSTANCE);
      byte[] pkt = auth.seal(header(), k.keyId());
      byte[] want = expected(k, pkt);
      assertEquals(NtpHeader.LENGTH + 4 + want.length, pkt.length, k.toString());
      assertEquals(k.keyId(), ((pkt[48] & 0xFF) << 24) | ((pkt[49] & 0xFF) << 16)
          | ((pkt[50] & 0xFF) << 8) | (pkt[51] & 0xFF));
      assertArrayEquals(want, Arrays.copyOfRange(pkt, 52, pkt.length), k.toString());
      assertTrue(auth.check(pkt, 0, pkt.length, CLIENT).authentic());
      for (int i = 0; i < pkt.length; i += 7) {
        byte[] bad = pkt.clone();
        bad[i] ^= 1;
        assertFalse(auth.check(bad, 0, bad.length, CLIENT).authentic(), "flip at " + i);
      }
    }
  }

  @Test
  void untrustedOrUnknownKeysDoNotAuthenticateAndGetACryptoNak() throws Exception {
    SymmetricKeyAuth one = SymmetricKeyAuth.create(keys, Set.of(1), BcSymmetricMacs.INSTANCE);
    SymmetricKeyAuth two = SymmetricKeyAuth.create(keys, Set.of(2), BcSymmetricMacs.INSTANCE);
    byte[] pkt = two.seal(header(), 2);
    assertFalse(one.check(pkt, 0, pkt.length, CLIENT).authentic(), "key 2 not trusted");
    NtpHeader reply = NtpHeader.builder().version(4).mode(NtpHeader.MODE_SERVER).build();
    ServerResponse r = one.respond(pkt, 0, pkt.length, CLIENT, reply, false);
    assertEquals(ServerResponse.Kind.CRYPTO_NAK, r.kind());
    assertEquals(NtpHeader.LENGTH + 4, r.length());
    ServerResponse ok = two.respond(pkt, 0, pkt.length, CLIENT, reply, false);
    assertEquals(ServerResponse.Kind.REPLY, ok.kind());
    byte[] d = ok.datagram();
    assertTrue(two.check(d, 0, d.length, addr("10.77.0.1")).authentic());
    assertThrows(IllegalArgumentException.class, () -> one.seal(header(), 2));
    assertThrows(IllegalArgumentException.class,
        () -> SymmetricKeyAuth.create(keys, Set.of(99), BcSymmetricMacs.INSTANCE));
  }

  @Test
  void notrustRefusesUnauthenticatedRequests() throws Exception {
    SymmetricKeyAuth one = SymmetricKeyAuth.create(keys, Set.of(1), BcSymmetricMacs.INSTANCE);
    byte[] plain = header().toByteArray();
    NtpHeader reply = NtpHeader.builder().version(4).mode(NtpHeader.MODE_SERVER).build();
    assertEquals(ServerResponse.Kind.REPLY,
        one.respond(plain, 0, plain.length, CLIENT, reply, false).kind());
    assertEquals(ServerResponse.Kind.DROP,
        one.respond(plain, 0, plain.length, CLIENT, reply, true).kind());
  }
}
