package dev.autokey.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.testing.Pcap;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SHA-1 and IPv6 MACs of live ntpd 4.2.8p15 exchanges (resources {@code live/}, see its README):
 * every MAC recomputed with the rule cookie, including the plain packets keyed with the SHA-1 and
 * the IPv6 server cookie, and the client's key-ID chain links.
 */
class LiveCaptureGoldenTest {
  private static final ServerCookies NTPD = ServerCookies.ntpdCompatible();

  private record Tally(int packets, int plain, int links) {}

  private static Tally verify(String file, DigestAlgorithm alg, boolean ipv6) throws Exception {
    Path pcap = Path.of(LiveCaptureGoldenTest.class.getResource("live/" + file).toURI());
    SessionKeyEngine e = SessionKeyEngine.create(alg);
    List<Pcap.Udp> udps = Pcap.readUdp(pcap, 123);
    int plain = 0;
    int links = 0;
    Map<AddressPair, Integer> previous = new HashMap<>();
    for (Pcap.Udp u : udps) {
      byte[] payload = u.payload();
      AutokeyPacket p = PacketCodec.ntpd().decode(payload);
      AddressPair a = AddressPair.of(u.src(), u.dst());
      assertEquals(ipv6, a.isIpv6(), file);
      int mode = p.header().mode();
      assertTrue(mode == 3 || mode == 4, file);
      AddressPair clientToServer = mode == 3 ? a : a.reversed();
      int serverCookie = NTPD.cookie(e, clientToServer, 0);
      boolean ef = !p.fields().isEmpty();
      int cookie = CookieRules.macCookie(KeyingMode.CLIENT_SERVER, ef, serverCookie);
      assertEquals(4 + alg.macDigestLength(), payload.length - p.macOffset(), file);
      assertEquals(MacResult.VALID, e.verifyMac(a, cookie, payload, 0, payload.length,
          p.macOffset()), file + " " + a + " mode " + mode + (ef ? " with EF" : " plain"));
      if (!ef) {
        plain++;
        // a plain packet is keyed with the server cookie: cookie 0 must not verify
        assertEquals(MacResult.MISMATCH,
            e.verifyMac(a, 0, payload, 0, payload.length, p.macOffset()), file);
      }
      int keyId = (int) p.mac().orElseThrow().keyId();
      if (mode == 3) {
        Integer prev = previous.get(a);
        if (prev != null && (e.nextKeyId(a, keyId, 0) == prev
            || e.nextKeyId(a, keyId, serverCookie) == prev)) {
          links++;
        }
        previous.put(a, keyId);
      }
    }
    System.out.println("[live] " + file + " " + alg + ": " + udps.size() + "/" + udps.size()
        + " MACs verified, " + plain + " plain (server cookie), " + links + " client chain links");
    return new Tally(udps.size(), plain, links);
  }

  @Test
  void sha1SessionDigestIpv4() throws Exception {
    Tally t = verify("tc-ntpkeygen-sha1-v4.pcap", DigestAlgorithm.SHA1, false);
    assertEquals(12, t.packets());
    assertEquals(2, t.plain());
    assertTrue(t.links() >= 1, "client key-ID chain links: " + t.links());
  }

  @Test
  void md5Ipv6Tc() throws Exception {
    Tally t = verify("tc-ntpkeygen-v6.pcap", DigestAlgorithm.MD5, true);
    assertEquals(12, t.packets());
    assertEquals(2, t.plain());
    assertTrue(t.links() >= 1, "client key-ID chain links: " + t.links());
  }

  @Test
  void md5Ipv6Iff() throws Exception {
    Tally t = verify("iff-ntpkeygen-repaired-v6.pcap", DigestAlgorithm.MD5, true);
    assertEquals(14, t.packets());
    assertEquals(2, t.plain());
  }
}
