package dev.autokey.crypto.keygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.CryptoWarning;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.crypto.SymmetricKey;
import dev.autokey.core.crypto.SymmetricMac;
import dev.autokey.crypto.BcSymmetricMacs;
import dev.autokey.crypto.internal.keygen.Filestamps;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SymmetricKeysTest {
  static final Path SAMPLE =
      KeygenSamples.dir("md5").resolve("ntpkey_MD5key_keys.shared.test.4004335814");

  @Test
  void ntpKeygenFileLoadsAndRebuildsByteForByte() throws Exception {
    byte[] raw = Files.readAllBytes(SAMPLE);
    KeygenFile kf = KeygenFile.parse(raw);
    List<SymmetricKey> keys = SymmetricKeysFile.parse(raw, CryptoWarningListener.IGNORE);
    assertEquals(20, keys.size());
    for (int i = 0; i < 20; i++) {
      SymmetricKey k = keys.get(i);
      assertEquals(i + 1, k.keyId());
      assertEquals(i < 10 ? "MD5" : "SHA1", k.type());
      assertEquals(20, k.secretLength());
      if (i < 10) {
        for (byte b : k.secret()) {
          assertTrue(b >= 0x21 && b <= 0x7e && b != '#');
        }
      }
    }
    KeygenFile again = SymmetricKeysFile.file("keys.shared.test", kf.filestamp(),
        Filestamps.instant(kf.filestamp()), ZoneOffset.UTC, keys);
    assertArrayEquals(raw, again.toBytes());
    // the link stub ntp.keys resolves to it
    KeysDirectory d = KeysDirectory.of(KeygenSamples.dir("md5"),
        dev.autokey.core.crypto.CryptoPolicy.legacy(CryptoWarningListener.IGNORE));
    assertEquals(SAMPLE.getFileName(), d.resolve(KeygenFileName.SYMMETRIC_KEYS_LINK).getFileName());
  }

  @Test
  void generatedFileHasNtpKeygenShape() throws Exception {
    List<SymmetricKey> keys = SymmetricKeysFile.generate(new SecureRandom());
    KeygenFile f = SymmetricKeysFile.file("g", 4004335814L, Filestamps.instant(4004335814L),
        ZoneOffset.UTC, keys);
    String text = new String(f.toBytes(), StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\n");
    assertEquals(23, lines.length);
    assertEquals("# ntpkey_MD5key_g.4004335814", lines[0]);
    assertEquals("", lines[2]);
    for (int i = 0; i < 20; i++) {
      String l = lines[3 + i];
      if (i < 10) {
        assertTrue(l.matches(String.format("%2d", i + 1) + " MD5 [\\x21-\\x22\\x24-\\x7e]{20}  # MD5 key"), l);
      } else {
        assertTrue(l.matches(String.format("%2d", i + 1) + " SHA1 [0-9a-f]{40}  # SHA1 key"), l);
      }
    }
    List<SymmetricKey> back = SymmetricKeysFile.parse(f.toBytes(), CryptoWarningListener.IGNORE);
    for (int i = 0; i < 20; i++) {
      assertTrue(back.get(i).sameSecret(keys.get(i)));
    }
  }

  @Test
  void theObservedTwentySevenKeyFile() throws Exception {
    StringBuilder sb = new StringBuilder(Files.readString(SAMPLE, StandardCharsets.ISO_8859_1));
    sb.append("21 M abcdefghij\n");
    sb.append("22 md5 \"quoted#rest is comment\n");
    sb.append("23 SHA256 ").append("0123456789abcdef".repeat(4)).append("\n");
    sb.append("24 AES128CMAC ").append("2b7e151628aed2a6abf7158809cf4f3c").append("\n");
    sb.append("25 SHA1 ").append("ab".repeat(20)).append(" 127.0.0.1,10.0.0.0/8\n");
    sb.append("26 SHA1 ").append("cd".repeat(34)).append("\n");
    sb.append("65535 MD5 lastkey\n");
    List<SymmetricKey> keys =
        SymmetricKeysFile.parse(sb.toString().getBytes(StandardCharsets.ISO_8859_1), CryptoWarningListener.IGNORE);
    assertEquals(27, keys.size());
    SymmetricKey k21 = keys.get(20);
    assertEquals("MD5", k21.type());
    assertArrayEquals("abcdefghij".getBytes(StandardCharsets.US_ASCII), k21.secret());
    assertArrayEquals("\"quoted".getBytes(StandardCharsets.US_ASCII), keys.get(21).secret());
    assertEquals(32, keys.get(22).secretLength());
    assertEquals("AES128CMAC", keys.get(23).type());
    assertEquals(16, keys.get(23).secretLength());
    SymmetricKey k25 = keys.get(24);
    assertTrue(k25.allows(InetAddress.getByName("127.0.0.1")));
    assertTrue(k25.allows(InetAddress.getByName("10.200.1.2")));
    assertFalse(k25.allows(InetAddress.getByName("11.0.0.1")));
    assertEquals(32, keys.get(25).secretLength(), "68 digits: only the first 64 used");
    assertEquals(65535, keys.get(26).keyId());
  }

  @Test
  void ntpdRejectsTheWholeFileOnAnyError() {
    String good = " 1 MD5 abcdefghij  # ok\n";
    for (String bad : new String[] {"0 MD5 abc\n", "65536 MD5 abc\n", "2 SHA1 " + "z".repeat(40) + "\n",
        "3 MD5\n", "4\n", "5 SHA1 " + "ab".repeat(20) + " 300.1.1.1\n",
        "6 SHA1 " + "ab".repeat(20) + " 10.0.0.0/33\n", "x7 MD5 abc\n",
        "8 SHA1 " + "ab".repeat(20) + " host.example\n"}) {
      KeygenException e = assertThrows(KeygenException.class,
          () -> SymmetricKeysFile.parse((good + bad).getBytes(StandardCharsets.ISO_8859_1),
              CryptoWarningListener.IGNORE), bad);
      assertEquals(XEvent.LEN, e.event());
      assertTrue(e.getMessage().contains("rejecting keys file after 1 error(s)"), e.getMessage());
      assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
  }

  @Test
  void unknownTypeSkipsOnlyThatKey() throws Exception {
    List<CryptoWarning> w = new ArrayList<>();
    List<SymmetricKey> keys = SymmetricKeysFile.parse(
        "1 FOO abc\n2 SHA256 abc\n3 WHIRLPOOL abc\n".getBytes(StandardCharsets.US_ASCII), w::add);
    assertEquals(1, keys.size());
    assertEquals(2, keys.get(0).keyId());
    assertEquals(2, w.size());
  }

  @Test
  void digestMacsAreKeyThenPacketTruncatedTo20() throws Exception {
    byte[] packet = new byte[48];
    new SecureRandom().nextBytes(packet);
    byte[] key = "s:Bk[1K/*5vCJT+Jm3p,".getBytes(StandardCharsets.US_ASCII);
    for (String[] t : new String[][] {{"MD5", "MD5", "16"}, {"SHA1", "SHA-1", "20"},
        {"SHA256", "SHA-256", "20"}, {"SHA512", "SHA-512", "20"}, {"SHA224", "SHA-224", "20"}}) {
      SymmetricMac mac = BcSymmetricMacs.INSTANCE.forKey(new SymmetricKey(7, t[0], key, List.of()));
      MessageDigest md = MessageDigest.getInstance(t[1]);
      md.update(key);
      md.update(packet);
      byte[] want = Arrays.copyOf(md.digest(), Integer.parseInt(t[2]));
      assertEquals(want.length, mac.macLength());
      assertArrayEquals(want, mac.compute(packet, 0, packet.length), t[0]);
      assertTrue(mac.verify(packet, 0, packet.length, want));
      want[0] ^= 1;
      assertFalse(mac.verify(packet, 0, packet.length, want));
      assertFalse(mac.verify(packet, 0, packet.length, Arrays.copyOf(want, want.length - 1)));
    }
  }

  @Test
  void cmacMatchesRfc4493() throws Exception {
    HexFormat h = HexFormat.of();
    SymmetricMac mac = BcSymmetricMacs.INSTANCE.forKey(
        new SymmetricKey(24, "AES128CMAC", h.parseHex("2b7e151628aed2a6abf7158809cf4f3c"), List.of()));
    assertEquals(16, mac.macLength());
    assertEquals("bb1d6929e95937287fa37d129b756746", h.formatHex(mac.compute(new byte[0], 0, 0)));
    byte[] m16 = h.parseHex("6bc1bee22e409f96e93d7e117393172a");
    assertEquals("070a16b46b4d4144f79bdd9dd04a287c", h.formatHex(mac.compute(m16, 0, 16)));
    byte[] m40 = h.parseHex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        + "30c81c46a35ce411");
    assertEquals("dfa66747de9ae63030ca32611497c827", h.formatHex(mac.compute(m40, 0, 40)));
    // a short key is zero-padded to 16 bytes, as ntpd does
    SymmetricMac shortKey = BcSymmetricMacs.INSTANCE.forKey(
        new SymmetricKey(1, "AES128CMAC", h.parseHex("2b7e1516"), List.of()));
    SymmetricMac padded = BcSymmetricMacs.INSTANCE.forKey(
        new SymmetricKey(1, "AES128CMAC", h.parseHex("2b7e1516000000000000000000000000"), List.of()));
    assertArrayEquals(padded.compute(m16, 0, 16), shortKey.compute(m16, 0, 16));
  }
}
