package dev.autokey.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.Pcap;
import dev.autokey.testing.TestData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every captured ntpd 4.2.8p15 payload decodes, matches the run's texts and re-encodes exactly. */
class WireGoldenTest {
  private static final PacketCodec CODEC = PacketCodec.ntpd();

  /**
   * Packets per run and field kinds per run, as counted from the runs' README ("N NTP packets
   * captured") and checked against tshark's capture-decoded.txt below; the opcode tallies were
   * read from the fields' header words (see extension-examples.md for one of each).
   */
  private static final Map<String, String> EXPECTED_FIELDS = new TreeMap<>(Map.of(
      "gq-client", "02010000=1 02020000=1 02030000=1 02050000=1 02060000=1 02080000=1 "
          + "82010000=1 82020000=1 82030000=1 82050000=1 82060000=1 82080000=1",
      "gq-client-stock", "02010000=1 02020000=1 02080000=6 82010000=1 82020000=1 82080000=6",
      "iff-client", "02010000=1 02020000=1 02030000=1 02050000=1 02060000=1 02070000=1 "
          + "82010000=1 82020000=1 82030000=1 82050000=1 82060000=1 82070000=1",
      "iff-client-stock", "02010000=1 02020000=1 02070000=6 82010000=1 82020000=1 82070000=6",
      "mv-client", "02010000=1 02020000=1 02030000=1 02050000=1 02060000=1 02090000=2 "
          + "82010000=1 82020000=1 82030000=1 82050000=1 82060000=1 82090000=2",
      "mv-client-stock", "02010000=1 02020000=1 02090000=6 82010000=1 82020000=1 82090000=6",
      "tc-broadcast", "02020000=1 02030000=1 02040000=1 02050000=1 02060000=1 82010000=6 "
          + "82020000=1 82030000=1 82040000=2 82050000=1 82060000=1",
      "tc-client", "02010000=1 02020000=1 02030000=1 02050000=1 02060000=1 "
          + "82010000=1 82020000=1 82030000=1 82050000=1 82060000=1",
      "tc-symmetric", "02010000=16"));

  @Test
  void everyCapturedPayloadDecodesAndReencodesExactly() throws Exception {
    int total = 0;
    StringBuilder report = new StringBuilder();
    assertEquals(EXPECTED_FIELDS.keySet(), new TreeMap<>(Captures.byRun()).keySet());
    for (Map.Entry<String, List<Pcap.Udp>> run : Captures.byRun().entrySet()) {
      Map<String, Integer> tally = new TreeMap<>();
      int macs = 0;
      for (Pcap.Udp u : run.getValue()) {
        byte[] payload = u.payload();
        AutokeyPacket p = CODEC.decode(payload);
        assertArrayEquals(payload, CODEC.encode(p), run.getKey() + " " + u);
        ByteBuffer direct = ByteBuffer.allocateDirect(payload.length + 7);
        direct.position(3);
        assertEquals(payload.length, CODEC.encode(p, direct));
        direct.flip().position(3);
        assertEquals(p, CODEC.decode(direct), "ByteBuffer decode " + u);
        assertEquals(p, CODEC.decode(pad(payload, 5, 9), 5, payload.length), "offset decode");
        for (ExtensionField f : p.fields()) {
          assertTrue(f.isCanonical(), "ntpd sends canonical fields: " + f);
          assertEquals(2, f.version());
          tally.merge(String.format("%08x", f.headerWord() & 0xFFFF0000), 1, Integer::sum);
        }
        assertTrue(p.mac().isPresent(), "every ntpd Autokey packet has a MAC: " + u);
        assertEquals(16, p.mac().get().digestLength());
        assertTrue(p.mac().get().isAutokeyKeyId(), u.toString());
        assertEquals(payload.length - 20, p.macOffset());
        assertArrayEquals(java.util.Arrays.copyOf(payload, p.macOffset()), p.macInput());
        macs++;
      }
      String readme = Files.readString(TestData.captureRun(run.getKey()).resolve("README.md"));
      Matcher m = Pattern.compile("(\\d+) NTP packets captured").matcher(readme);
      assertTrue(m.find(), run.getKey());
      assertEquals(Integer.parseInt(m.group(1)), run.getValue().size(), run.getKey());
      assertEquals(run.getValue().size(), macs);
      StringBuilder t = new StringBuilder();
      tally.forEach((k, v) -> t.append(t.length() == 0 ? "" : " ").append(k).append('=').append(v));
      assertEquals(EXPECTED_FIELDS.get(run.getKey()), t.toString(), run.getKey());
      checkAgainstTshark(run.getKey(), run.getValue());
      total += run.getValue().size();
      report.append(String.format("%n  %-16s %3d packets, fields %s", run.getKey(),
          run.getValue().size(), t));
    }
    System.out.println("[wire] golden: " + total + " packets decoded and re-encoded:" + report);
    assertEquals(16 + 24 + 16 + 24 + 16 + 26 + 17 + 16 + 16, total);
  }

  /** capture-decoded.txt (tshark -V): same frames, same UDP payload sizes, same modes. */
  private static void checkAgainstTshark(String run, List<Pcap.Udp> udps) throws Exception {
    String text = Files.readString(TestData.captureRun(run).resolve("capture-decoded.txt"));
    List<Integer> sizes = new ArrayList<>();
    Matcher m = Pattern.compile("UDP payload \\((\\d+) bytes\\)").matcher(text);
    while (m.find()) {
      sizes.add(Integer.parseInt(m.group(1)));
    }
    List<Integer> modes = new ArrayList<>();
    Matcher mm = Pattern.compile("\\.\\.\\.\\. \\.(\\d{3}) = Mode").matcher(text);
    while (mm.find()) {
      modes.add(Integer.parseInt(mm.group(1), 2));
    }
    assertEquals(udps.size(), sizes.size(), run + " frames in capture-decoded.txt");
    assertEquals(udps.size(), modes.size(), run + " modes in capture-decoded.txt");
    for (int i = 0; i < udps.size(); i++) {
      byte[] p = udps.get(i).payload();
      assertEquals(sizes.get(i), p.length, run + " frame " + udps.get(i).frame());
      assertEquals(modes.get(i), NtpHeader.view(p, 0).mode(), run + " mode " + udps.get(i));
    }
  }

  private static byte[] pad(byte[] b, int before, int after) {
    byte[] out = new byte[before + b.length + after];
    java.util.Arrays.fill(out, (byte) 0xA5);
    System.arraycopy(b, 0, out, before, b.length);
    return out;
  }

  /** Every example of extension-examples.md: the table values and the hex match the decode. */
  @Test
  void extensionExamplesMatch() throws Exception {
    String md = Files.readString(TestData.path("captures/extension-examples.md"),
        StandardCharsets.UTF_8);
    String[] sections = md.split("\n## ");
    int checked = 0;
    List<String> seen = new ArrayList<>();
    for (int s = 1; s < sections.length; s++) {
      String sec = sections[s];
      String title = sec.substring(0, sec.indexOf('\n')).trim();
      Matcher run = Pattern.compile("run `([^`]+)`, frame (\\d+), \\S+ -> \\S+, NTP mode (\\d), "
          + "UDP payload (\\d+) octets, MAC (\\d+) octets \\(key ID ([0-9a-f]{8})\\)").matcher(sec);
      assertTrue(run.find(), title);
      Pcap.Udp u = Captures.frame(run.group(1), Integer.parseInt(run.group(2)));
      byte[] payload = u.payload();
      assertEquals(Integer.parseInt(run.group(4)), payload.length, title);
      AutokeyPacket p = CODEC.decode(payload);
      assertEquals(Integer.parseInt(run.group(3)), p.header().mode(), title);
      assertEquals(Integer.parseInt(run.group(5)), p.mac().get().length(), title);
      assertEquals(Long.parseLong(run.group(6), 16), p.mac().get().keyId(), title);
      assertEquals(1, p.fields().size(), title);
      ExtensionField f = p.fields().get(0);
      Matcher w0 = Pattern.compile("\\| word 0 \\| 0x([0-9a-f]{8}): R=(\\d) E=(\\d) version=(\\d) "
          + "opcode=(\\d+) \\((\\w+)\\) length=(\\d+) \\|").matcher(sec);
      assertTrue(w0.find(), title);
      assertEquals(Long.parseLong(w0.group(1), 16), f.headerWord() & 0xFFFFFFFFL, title);
      assertEquals(w0.group(2).equals("1"), f.isResponse(), title);
      assertEquals(w0.group(3).equals("1"), f.isError(), title);
      assertEquals(Integer.parseInt(w0.group(4)), f.version(), title);
      assertEquals(Integer.parseInt(w0.group(5)), f.opcode().code(), title);
      assertEquals(w0.group(6), f.opcode().name(), title);
      assertEquals(Integer.parseInt(w0.group(7)), f.length(), title);
      assertTrue(title.startsWith(f.opcode().name() + (f.isResponse() ? " response" : " request")),
          title);
      assertEquals(Long.parseLong(row(sec, "association ID")), f.associationId(), title);
      if (f.isValueForm()) {
        assertEquals(Long.parseLong(row(sec, "timestamp")), f.timestamp(), title);
        assertEquals(Long.parseLong(row(sec, "filestamp").split(" ")[0]), f.filestamp(), title);
        assertEquals(Integer.parseInt(row(sec, "value length")), f.valueLength(), title);
        assertEquals(Integer.parseInt(row(sec, "signature length")), f.signatureLength(), title);
      } else {
        assertFalse(sec.contains("| value length |"), title);
      }
      Matcher hex = Pattern.compile("hex of the extension field:\\s+```\\s+([0-9a-f \\n]+)```")
          .matcher(sec);
      assertTrue(hex.find(), title);
      byte[] fieldBytes = HexFormat.of().parseHex(hex.group(1).replaceAll("\\s+", ""));
      assertArrayEquals(fieldBytes, f.toByteArray(), title);
      seen.add(title);
      checked++;
    }
    System.out.println("[wire] extension-examples.md: " + checked + " examples match: " + seen);
    assertEquals(18, checked); // nine opcodes (NULL is never sent), request and response each
  }

  private static String row(String sec, String name) {
    Matcher m = Pattern.compile("\\| " + Pattern.quote(name) + " \\| ([^|]+) \\|").matcher(sec);
    assertTrue(m.find(), name);
    return m.group(1).trim();
  }

  /** Concrete values copied from extension-examples.md, one packet per opcode. */
  @Test
  void concreteValuesPerOpcode() throws Exception {
    ExtensionField assocReq = field("tc-client", 1);
    assertEquals(Opcode.ASSOC, assocReq.opcode());
    assertFalse(assocReq.isResponse());
    assertEquals(18382, assocReq.associationId());
    assertEquals(0, assocReq.timestamp());
    assertEquals("client", assocReq.assocHostName());
    assertEquals(0x00080001L, assocReq.assocStatus().word());
    assertEquals(8, assocReq.assocStatus().nid());
    assertEquals(SignatureNid.RSA_MD5, assocReq.assocStatus().signatureNid().get());
    assertTrue(assocReq.assocStatus().has(HostStatus.Flag.ENAB));

    ExtensionField assocResp = field("tc-client", 2);
    assertEquals("server", assocResp.assocHostName());
    assertEquals(0x00080003L, assocResp.assocStatus().word());
    assertEquals(4004337870L, assocResp.timestamp());
    assertTrue(assocResp.assocStatus().has(HostStatus.Flag.TAI));

    ExtensionField certReq = field("tc-client", 3);
    assertEquals(Opcode.CERT, certReq.opcode());
    assertEquals("server", certReq.certSubjectName());
    assertEquals(4004337879L, certReq.timestamp());
    assertEquals(0xeead58d6L, certReq.filestamp());

    ExtensionField certResp = field("tc-client", 4);
    assertEquals(424, certResp.length());
    byte[] der = certResp.certificateDer();
    assertEquals(336, der.length);
    assertEquals(0x30, der[0] & 0xFF); // SEQUENCE 0x82 0x01 0x4c: 4 + 332 bytes
    assertEquals(0x014c + 4, der.length);
    assertEquals(64, certResp.signatureLength());
    assertEquals(12 + 336, certResp.signedBytes().length);

    ExtensionField cookReq = field("tc-client", 5);
    assertEquals(Opcode.COOK, cookReq.opcode());
    assertEquals(74, cookReq.cookiePublicKeyDer().length);
    assertEquals(164, cookReq.length());
    ExtensionField cookResp = field("tc-client", 6);
    assertEquals(64, cookResp.cookieCiphertext().length);
    assertEquals(152, cookResp.length());

    ExtensionField autoReq = field("tc-broadcast", 8);
    assertEquals(Opcode.AUTO, autoReq.opcode());
    assertFalse(autoReq.isValueForm());
    assertEquals(8, autoReq.length());
    assertEquals(26979, autoReq.associationId());
    ExtensionField autoResp = field("tc-broadcast", 1);
    assertEquals(new AutoValues(0x829db3dbL, 99), autoResp.autoValues());
    assertEquals(4004338148L, autoResp.timestamp());
    assertEquals(NtpHeader.MODE_BROADCAST, packet("tc-broadcast", 1).header().mode());

    ExtensionField leapReq = field("tc-client", 9);
    assertEquals(Opcode.LEAP, leapReq.opcode());
    assertEquals(8, leapReq.length());
    ExtensionField leapResp = field("tc-client", 10);
    LeapValues leap = leapResp.leapValues();
    assertEquals(37, leap.taiOffset());
    assertEquals(0xdc12c500L, leap.eraStart());
    assertEquals(0xdc33ba80L, leap.expiration());
    assertTrue(leap.hasPlausibleTaiOffset());

    ExtensionField signReq = field("tc-client", 7);
    assertEquals(Opcode.SIGN, signReq.opcode());
    assertEquals(314, signReq.certificateDer().length);
    ExtensionField signResp = field("tc-client", 8);
    assertTrue(signResp.isResponse());
    assertEquals(314, signResp.certificateDer().length);

    ExtensionField iffReq = field("iff-client", 5);
    assertEquals(Opcode.IFF, iffReq.opcode());
    assertEquals(17302, iffReq.associationId());
    assertEquals(20, iffReq.identityValue().length);
    assertEquals(43, field("iff-client", 6).identityValue().length);
    ExtensionField gqReq = field("gq-client", 5);
    assertEquals(Opcode.GQ, gqReq.opcode());
    assertEquals(46005, gqReq.associationId());
    assertEquals(64, gqReq.identityValue().length);
    assertEquals(87, field("gq-client", 6).identityValue().length);
    ExtensionField mvReq = field("mv-client", 5);
    assertEquals(Opcode.MV, mvReq.opcode());
    assertEquals(1945, mvReq.associationId());
    assertEquals(32, mvReq.identityValue().length);
    assertEquals(106, field("mv-client", 6).identityValue().length);
  }

  static AutokeyPacket packet(String run, int frame) throws Exception {
    return CODEC.decode(Captures.frame(run, frame).payload());
  }

  static byte[] packetBytes(String run, int frame) {
    return Captures.frame(run, frame).payload();
  }

  static ExtensionField field(String run, int frame) throws Exception {
    AutokeyPacket p = packet(run, frame);
    assertEquals(1, p.fields().size());
    return p.fields().get(0);
  }
}
