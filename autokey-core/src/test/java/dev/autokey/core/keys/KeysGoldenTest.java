package dev.autokey.core.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.MacField;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.testing.Pcap;
import dev.autokey.testing.TestData;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every MAC of every captured ntpd 4.2.8p15 packet, recomputed with the cookie the rules of
 * docs/protocol.md §7.3 / docs/testing.md §R5 derive from the addresses; the key-ID chains hash by
 * hash; the broadcast AUTO values.
 */
class KeysGoldenTest {
  private static final PacketCodec CODEC = PacketCodec.ntpd();
  private static final HexFormat HEX = HexFormat.of();
  private static final ServerCookies NTPD = ServerCookies.ntpdCompatible();
  private static final InetAddress BROADCAST = address("192.0.2.255");

  /** Packets with an Autokey MAC per run, as verify.txt of the reference lab counts them. */
  private static final Map<String, Integer> EXPECTED_MACS = Map.of(
      "tc-client", 16, "iff-client", 24, "gq-client", 24, "mv-client", 26, "tc-broadcast", 17,
      "tc-symmetric", 16, "iff-client-stock", 16, "gq-client-stock", 16, "mv-client-stock", 16);

  private static InetAddress address(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One captured packet with its decoded form and the verification outcome. */
  record Checked(int frame, Pcap.Udp udp, AutokeyPacket packet, int keyId, int cookie,
      SessionKey key) {
    int mode() {
      return packet.header().mode();
    }

    AddressPair addresses() {
      return AddressPair.of(udp.src(), udp.dst());
    }
  }

  static boolean completed(Path run) throws Exception {
    String readme = Files.readString(run.resolve("README.md"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?m)^Result: (complete|incomplete) ").matcher(readme);
    assertTrue(m.find(), "no Result line in " + run);
    return m.group(1).equals("complete");
  }

  /**
   * The cookie of a packet's MAC key, by the rules alone: 0 for broadcast and any packet with an
   * EF; in client/server mode the server cookie of (client, server).
   */
  static int ruleCookie(SessionKeyEngine md5, Pcap.Udp u, AutokeyPacket p) {
    int mode = p.header().mode();
    if (mode == 5) {
      return CookieRules.macCookie(KeyingMode.BROADCAST, !p.fields().isEmpty(), 0);
    }
    if (mode == 3 || mode == 4) {
      AddressPair clientToServer = mode == 3 ? AddressPair.of(u.src(), u.dst())
          : AddressPair.of(u.dst(), u.src());
      int serverCookie = NTPD.cookie(md5, clientToServer, 0);
      return CookieRules.macCookie(KeyingMode.CLIENT_SERVER, !p.fields().isEmpty(), serverCookie);
    }
    if (p.fields().isEmpty()) {
      fail("symmetric packet without EF: its cookie (hcookie XOR) is not derivable from addresses");
    }
    return CookieRules.macCookie(KeyingMode.SYMMETRIC, true, 0);
  }

  static List<Checked> verifyRun(Path run) throws Exception {
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    List<Pcap.Udp> udps = Pcap.readUdp(run.resolve("capture.pcap"), 123);
    List<Checked> out = new ArrayList<>();
    int frame = 0;
    for (Pcap.Udp u : udps) {
      frame++;
      byte[] payload = u.payload();
      AutokeyPacket p = CODEC.decode(payload);
      MacField mac = p.mac().orElse(null);
      assertNotNull(mac, run.getFileName() + " frame " + frame + ": no MAC");
      int keyId = (int) mac.keyId();
      assertTrue(KeyIds.isAutokey(keyId), "frame " + frame);
      int cookie = ruleCookie(md5, u, p);
      AddressPair a = AddressPair.of(u.src(), u.dst());
      MacResult r = md5.verifyMac(a, cookie, payload, 0, payload.length, p.macOffset());
      assertEquals(MacResult.VALID, r, run.getFileName() + " frame " + frame + " " + a
          + " key " + KeyIds.hex(keyId) + " cookie " + KeyIds.hex(cookie));
      out.add(new Checked(frame, u, p, keyId, cookie, md5.sessionKey(a, keyId, cookie)));
    }
    return out;
  }

  @Test
  void everyMacOfEveryRunVerifies() throws Exception {
    List<Path> runs = TestData.captureRuns();
    assertEquals(EXPECTED_MACS.keySet(), new java.util.TreeSet<>(runs.stream()
        .map(r -> r.getFileName().toString()).toList()).stream()
        .collect(java.util.stream.Collectors.toSet()));
    Map<String, String> report = new LinkedHashMap<>();
    int completedRuns = 0;
    int verifiedCompleted = 0;
    int verifiedAll = 0;
    for (Path run : runs) {
      String name = run.getFileName().toString();
      List<Checked> checked = verifyRun(run);
      assertEquals(EXPECTED_MACS.get(name), checked.size(), name);
      boolean complete = completed(run);
      report.put(name, checked.size() + "/" + checked.size() + (complete ? "" : " (incomplete run)"));
      verifiedAll += checked.size();
      if (complete) {
        completedRuns++;
        verifiedCompleted += checked.size();
      }
    }
    assertEquals(5, completedRuns);
    assertEquals(16 + 24 + 24 + 26 + 17, verifiedCompleted);
    System.out.println("[golden] MACs verified / packets with MAC: " + report
        + "; completed runs " + verifiedCompleted + "/" + verifiedCompleted + ", all runs "
        + verifiedAll + "/" + verifiedAll);
  }

  /** Session keys and MACs equal the reference lab's golden-vectors.json, packet by packet. */
  @Test
  void sessionKeysMatchGoldenVectors() throws Exception {
    Pattern entry = Pattern.compile("\\{\\s*\"frame\": (\\d+),(.*?)\\n  \\}", Pattern.DOTALL);
    Pattern field = Pattern.compile("\"(keyid|private|session_key|mac)\": \"([0-9a-f]+)\"");
    int compared = 0;
    for (Path run : TestData.captureRuns()) {
      Path json = run.resolve("golden-vectors.json");
      if (!Files.exists(json)) {
        continue; // the lab wrote vectors only for the completed runs
      }
      String text = Files.readString(json, StandardCharsets.UTF_8);
      Map<Integer, Checked> byFrame = new HashMap<>();
      for (Checked c : verifyRun(run)) {
        byFrame.put(c.frame(), c);
      }
      Matcher m = entry.matcher(text);
      int n = 0;
      while (m.find()) {
        int frame = Integer.parseInt(m.group(1));
        Map<String, String> f = new HashMap<>();
        Matcher fm = field.matcher(m.group(2));
        while (fm.find()) {
          f.put(fm.group(1), fm.group(2));
        }
        Checked c = byFrame.get(frame);
        assertNotNull(c, run.getFileName() + " frame " + frame);
        String where = run.getFileName() + " frame " + frame;
        assertEquals(f.get("keyid"), KeyIds.hex(c.keyId()), where);
        assertEquals(f.get("private"), KeyIds.hex(c.cookie()), where);
        assertArrayEquals(HEX.parseHex(f.get("session_key")), c.key().bytes(), where);
        byte[] payload = c.udp().payload();
        assertEquals(f.get("mac"), HEX.formatHex(java.util.Arrays.copyOfRange(payload,
            c.packet().macOffset() + 4, payload.length)), where);
        n++;
      }
      assertEquals(byFrame.size(), n, run.getFileName() + ": vectors for every packet");
      // the run's cookie (decrypted from the COOK response by the lab) = the formula's
      Matcher ck = Pattern.compile("\"cookie\": \"([0-9a-f]{8})\"").matcher(text);
      if (ck.find()) {
        assertEquals(ck.group(1), KeyIds.hex(NTPD.cookie(SessionKeyEngine.md5(),
            AddressPair.of(address("192.0.2.2"), address("192.0.2.1")), 0)), run.toString());
      }
      compared += n;
    }
    assertEquals(16 + 24 + 24 + 26 + 17, compared); // the five completed runs have vectors
  }

  /** verify.txt's decrypted cookie (RSA-OAEP of the COOK response) equals the derived one. */
  @Test
  void derivedCookieEqualsTheDecryptedOneOfEveryCompletedRun() throws Exception {
    Pattern decrypted = Pattern.compile("cookie decrypted from COOK response .*: 0x([0-9a-f]{8})");
    int runs = 0;
    for (Path run : TestData.captureRuns()) {
      if (!completed(run)) {
        continue;
      }
      Matcher m = decrypted.matcher(Files.readString(run.resolve("verify.txt")));
      assertTrue(m.find(), run.toString());
      int derived = NTPD.cookie(SessionKeyEngine.md5(),
          AddressPair.of(address("192.0.2.2"), address("192.0.2.1")), 0);
      assertEquals(m.group(1), KeyIds.hex(derived), run.toString());
      runs++;
    }
    assertEquals(5, runs);
  }

  /**
   * Key-ID chains per (source, destination) stream, counted like the lab's verify.txt: a packet
   * links if its key ID hashes (with cookie 0 or the run's cookie) to the previous key ID of its
   * stream; server replies reuse the request's key ID instead.
   */
  @Test
  void keyIdChainLinksMatchVerifyTxt() throws Exception {
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    Pattern links = Pattern.compile("key ID chain links found .*: (\\d+)");
    int cookie = NTPD.cookie(md5, AddressPair.of(address("192.0.2.2"), address("192.0.2.1")), 0);
    for (Path run : TestData.captureRuns()) {
      Map<AddressPair, Integer> previous = new HashMap<>();
      Map<AddressPair, Integer> lastRequest = new HashMap<>();
      int found = 0;
      for (Checked c : verifyRun(run)) {
        AddressPair a = c.addresses();
        if (c.mode() == 4) {
          // ntpd servers echo the key ID of the client's request
          assertEquals(lastRequest.get(a.reversed()), c.keyId(), run + " frame " + c.frame());
        } else if (previous.containsKey(a)) {
          int prev = previous.get(a);
          if (md5.nextKeyId(a, c.keyId(), 0) == prev || md5.nextKeyId(a, c.keyId(), cookie) == prev) {
            found++;
          }
        }
        if (c.mode() == 3) {
          lastRequest.put(a, c.keyId());
        }
        previous.put(a, c.keyId());
      }
      Matcher m = links.matcher(Files.readString(run.resolve("verify.txt")));
      assertTrue(m.find(), run.toString());
      assertEquals(Integer.parseInt(m.group(1)), found, run.toString());
    }
  }

  /**
   * tc-broadcast: the broadcast stream verifies hash by hash through the receiver's check,
   * starting from the published AUTO values, which equal next(first broadcast key ID) and 99.
   */
  @Test
  void broadcastChainVerifiesHashByHashAndAutoValuesMatch() throws Exception {
    SessionKeyEngine md5 = SessionKeyEngine.md5();
    List<Checked> run = verifyRun(TestData.captureRun("tc-broadcast"));
    List<Checked> broadcasts = run.stream().filter(c -> c.mode() == 5).toList();
    assertEquals(List.of(1, 2, 5, 14, 15, 16, 17), broadcasts.stream().map(Checked::frame).toList());
    AddressPair bcast = broadcasts.get(0).addresses();
    assertEquals(BROADCAST, bcast.destination());

    // every AUTO response in the run carries the same signed values
    List<AutokeyValues> autos = new ArrayList<>();
    for (Checked c : run) {
      for (ExtensionField f : c.packet().fields()) {
        if (f.opcode() == Opcode.AUTO && f.isResponse()) {
          autos.add(AutokeyValues.decode(f.value()));
          assertTrue(f.isSigned(), "frame " + c.frame());
        }
      }
    }
    assertEquals(2, autos.size()); // frame 1 (broadcast push) and frame 9 (answer to the volley)
    AutokeyValues published = autos.get(0);
    assertEquals(published, autos.get(1));
    assertEquals(new AutokeyValues(0x829db3db, 99), published);
    int first = broadcasts.get(0).keyId();
    assertEquals(published.keyId(), md5.nextKeyId(bcast, first, 0), "next(first key) = AUTO key");

    // the receiver: AUTO values arrive in frame 1 (signed, so its key ID is just remembered);
    // every later broadcast must hash back to the previous one
    int previousKeyId = first;
    int seq = published.sequence();
    for (Checked c : broadcasts.subList(1, broadcasts.size())) {
      seq = Math.max(0, seq - 1);
      int cookie = CookieRules.chainCookie(KeyingMode.BROADCAST, 0x12345678);
      ChainResult r = KeyChain.check(md5, bcast, cookie, c.keyId(), previousKeyId,
          published.keyId(), seq);
      assertTrue(r.accepted(), "frame " + c.frame());
      assertEquals(1, r.hashes(), "frame " + c.frame() + " follows directly");
      assertEquals(0, r.skipped());
      // and hash by hash
      assertEquals(previousKeyId, md5.nextKeyId(bcast, c.keyId(), 0));
      previousKeyId = c.keyId();
      seq = r.remaining();
    }
    // a key ID from the client's stream is foreign to the broadcast chain
    int foreign = run.get(2).keyId();
    ChainResult bad = KeyChain.check(md5, bcast, 0, foreign, previousKeyId, published.keyId(), seq);
    assertFalse(bad.accepted());
    assertEquals(seq + 2, bad.hashes());
  }
}
