package dev.autokey.crypto.keygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
import dev.autokey.crypto.internal.keygen.Filestamps;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.Pbes2Parameters;
import dev.autokey.crypto.internal.keygen.PemBlock;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.PrivateKeyEncryption;
import dev.autokey.crypto.internal.keygen.PrivateKeyFields;
import dev.autokey.crypto.internal.keygen.RsaKeyFields;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeygenEnvelopeTest {

  @Test
  void everySampleFileRoundTripsByteForByte() throws Exception {
    List<Path> files = KeygenSamples.allFiles();
    assertEquals(26, files.size(), "sample files: " + files);
    for (Path f : files) {
      byte[] raw = Files.readAllBytes(f);
      KeygenFile kf = KeygenFile.parse(raw);
      assertArrayEquals(raw, kf.toBytes(), f.toString());
      assertEquals(f.getFileName().toString(), kf.name(), "line 1 names the file");
      KeygenFileName fn = KeygenFileName.parse(kf.name());
      assertEquals(kf.filestamp(), fn.filestamp());
      assertEquals(fn.fileName(), kf.name());
      assertTrue(kf.date().isPresent());
      assertEquals(24, kf.date().get().length(), "ctime() text is 24 characters");
    }
  }

  @Test
  void everyPrivateKeyDecryptsAndReencryptsToTheSameBytes() throws Exception {
    int keys = 0;
    int files = 0;
    for (Path f : KeygenSamples.allFiles()) {
      byte[] raw = Files.readAllBytes(f);
      KeygenFile kf = KeygenFile.parse(raw);
      List<PemBlock> blocks = KeygenFiles.blocks(kf);
      if (blocks.isEmpty() || blocks.get(0).label().equals(PemBlock.CERTIFICATE)) {
        continue;
      }
      char[] pw = KeygenSamples.passwordFor(f);
      List<PemBlock> rebuilt = new ArrayList<>();
      for (PemBlock b : blocks) {
        PrivateKeyFields k = PrivateKeyBlocks.decode(b, pw);
        keys++;
        if (b.label().equals(PemBlock.ENCRYPTED_PRIVATE_KEY)) {
          Pbes2Parameters p = PrivateKeyEncryption.parameters(b.der());
          assertEquals(2048, p.iterations());
          assertEquals(Pbes2Parameters.Prf.HMAC_SHA256, p.prf());
          assertEquals(Pbes2Parameters.Cipher.DES_EDE3_CBC, p.cipher());
          assertEquals(8, p.salt().length);
          Pbes2Parameters same = Pbes2Parameters.ntpKeygen(p.salt(), p.iv());
          rebuilt.add(PrivateKeyBlocks.encrypted(k, pw, same));
        } else {
          assertEquals(PemBlock.PRIVATE_KEY, b.label(), f.toString());
          rebuilt.add(PrivateKeyBlocks.plain(k));
        }
      }
      KeygenFile again = KeygenFiles.of(kf.name(), kf.date().orElseThrow(), rebuilt);
      assertArrayEquals(raw, again.toBytes(), "rebuilt " + f);
      files++;
    }
    assertEquals(18, files);
    assertEquals(18 - 1 + 10, keys, "MVta holds 10 blocks");
  }

  @Test
  void hostKeysAreConsistentRsaKeys() throws Exception {
    for (String c : KeygenSamples.PASSWORDS.keySet()) {
      Path dir = KeygenSamples.dir(c);
      try (var s = Files.list(dir)) {
        for (Path f : (Iterable<Path>) s.filter(p -> p.getFileName().toString().startsWith("ntpkey_RSAhost_"))::iterator) {
          KeygenFile kf = KeygenFile.read(f);
          PrivateKeyFields k = PrivateKeyBlocks.decode(KeygenFiles.firstBlock(kf), KeygenSamples.passwordFor(f));
          RsaKeyFields r = assertInstanceOf(RsaKeyFields.class, k);
          assertEquals(c.equals("dsa-sign-sha256") ? 1024 : 512, r.bits(), c);
          assertEquals(BigInteger.valueOf(65537), r.e());
          assertTrue(r.isConsistentRsaKey());
          assertEquals(r.n(), r.toJcaPrivateKey().getModulus());
        }
      }
    }
  }

  @Test
  void wrongPasswordIsTyped() throws Exception {
    Path f = KeygenSamples.dir("default").resolve("ntpkey_RSAhost_kiwi.shared.test.4004335813");
    PemBlock b = KeygenFiles.firstBlock(KeygenFile.read(f));
    for (String wrong : new String[] {"", "kiwi", "kiwi.shared.tesT", "Iff-Pass1"}) {
      KeygenException e =
          assertThrows(KeygenException.class, () -> PrivateKeyBlocks.decode(b, wrong.toCharArray()));
      assertEquals(KeygenException.Reason.WRONG_PASSWORD, e.reason(), wrong);
      assertEquals(XEvent.PUB, e.event());
      assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    }
    KeygenException e = assertThrows(KeygenException.class, () -> PrivateKeyBlocks.decode(b, null));
    assertEquals(KeygenException.Reason.WRONG_PASSWORD, e.reason());
    assertEquals(XEvent.ID, e.withEvent(XEvent.ID).event());
  }

  @Test
  void malformedFilesGiveTypedErrors() throws Exception {
    Path f = KeygenSamples.dir("default").resolve("ntpkey_RSAhost_kiwi.shared.test.4004335813");
    String good = Files.readString(f, StandardCharsets.ISO_8859_1);
    char[] pw = "kiwi.shared.test".toCharArray();
    record Case(String text, KeygenException.Reason reason) {}
    List<Case> cases =
        List.of(
            new Case("", KeygenException.Reason.MALFORMED_HEADER),
            new Case(good.replace("4004335813\n", "\n"), KeygenException.Reason.MALFORMED_HEADER),
            new Case(good.replace("4004335813\n", "40043x5813\n"), KeygenException.Reason.MALFORMED_HEADER),
            new Case(good.replace("4004335813\n", "99999999999\n"), KeygenException.Reason.MALFORMED_HEADER),
            new Case(good.replace(".4004335813\n", "_4004335813\n").replace("shared.test_", "shared_test_"),
                KeygenException.Reason.MALFORMED_HEADER),
            new Case(good.substring(0, good.length() - 40), KeygenException.Reason.MALFORMED_PEM),
            new Case(good.replace("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n*"),
                KeygenException.Reason.MALFORMED_PEM),
            new Case(good.replace("-----END ENCRYPTED", "-----END RSA"), KeygenException.Reason.MALFORMED_PEM),
            new Case(good.substring(0, good.indexOf("-----BEGIN")), KeygenException.Reason.MALFORMED_PEM),
            new Case(good.replace("ENCRYPTED PRIVATE KEY", "CERTIFICATE"), KeygenException.Reason.MALFORMED_PEM));
    for (Case c : cases) {
      KeygenException e =
          assertThrows(
              KeygenException.class,
              () -> {
                KeygenFile kf = KeygenFile.parse(c.text().getBytes(StandardCharsets.ISO_8859_1));
                PrivateKeyBlocks.decode(KeygenFiles.firstBlock(kf), pw);
              },
              c.text());
      assertEquals(c.reason(), e.reason(), e.getMessage());
      assertFalse(e.getMessage().isBlank());
    }
    // a DER-level corruption of the ciphertext: the key no longer decrypts
    PemBlock b = KeygenFiles.firstBlock(KeygenFile.parse(good.getBytes(StandardCharsets.ISO_8859_1)));
    byte[] der = b.der();
    der[der.length - 1] ^= 0x55;
    KeygenException e =
        assertThrows(KeygenException.class,
            () -> PrivateKeyBlocks.decode(new PemBlock(b.label(), der), pw));
    assertEquals(KeygenException.Reason.WRONG_PASSWORD, e.reason());
    byte[] cut = java.util.Arrays.copyOf(b.der(), 40);
    e = assertThrows(KeygenException.class,
        () -> PrivateKeyBlocks.decode(new PemBlock(b.label(), cut), pw));
    assertEquals(KeygenException.Reason.MALFORMED_CONTENT, e.reason());
  }

  @Test
  void fileNamesAndLinks() throws Exception {
    KeygenFileName n = KeygenFileName.parse("ntpkey_RSA-MD5cert_kiwi.shared.test.4004335813");
    assertEquals("RSA-MD5cert", n.type());
    assertEquals("kiwi.shared.test", n.owner());
    assertEquals(4004335813L, n.filestamp());
    assertEquals("ntpkey_host_kiwi.shared.test", KeygenFileName.link(KeygenFileName.HOST, "kiwi.shared.test"));
    assertEquals("RSA-SHA256cert", KeygenFileName.certificateType("RSA-SHA256"));
    assertThrows(KeygenException.class, () -> KeygenFileName.parse("ntpkey_host_kiwi.shared.test"));
    assertThrows(KeygenException.class, () -> KeygenFileName.parse("ntpkey_RSAhost_.1"));
    assertThrows(KeygenException.class, () -> KeygenFileName.parse("ntp.keys"));
    assertThrows(IllegalArgumentException.class, () -> KeygenFileName.link("host", "../etc"));
    assertThrows(IllegalArgumentException.class, () -> KeygenFileName.of("RSAhost", "a/b", 1));
  }

  @Test
  void headerDateIsCtime() {
    var t = Filestamps.instant(4004335813L);
    assertEquals("Sun Nov 22 11:30:13 2026", Filestamps.ctime(t, ZoneOffset.UTC));
    assertEquals("Thu Jan  1 00:00:00 1970", Filestamps.ctime(Filestamps.instant(2208988800L), ZoneOffset.UTC));
    assertEquals(4004335813L, Filestamps.ntpSeconds(t));
  }

  @Test
  void concatenatedExportsSplit() throws Exception {
    Path d = KeygenSamples.dir("tc-mv");
    byte[] a = Files.readAllBytes(d.resolve("ntpkey_mvpar_harbor.4004335813"));
    byte[] b = Files.readAllBytes(d.resolve("ntpkey_mvkey_harbor.4004335813"));
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    List<KeygenFile> parts = KeygenFile.parseConcatenated(both);
    assertEquals(2, parts.size());
    assertArrayEquals(a, parts.get(0).toBytes());
    assertArrayEquals(b, parts.get(1).toBytes());
  }

  @Test
  void writeToAndLink(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path f = KeygenSamples.dir("default").resolve("ntpkey_RSAhost_kiwi.shared.test.4004335813");
    KeygenFile kf = KeygenFile.read(f);
    Path out = kf.writeTo(tmp);
    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out));
    assertEquals("rw-------", // a private key: owner only (ntp-keygen itself writes 0640)
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    Path link = KeygenFile.link(tmp, "ntpkey_host_kiwi.shared.test", kf.name());
    assertTrue(Files.isSymbolicLink(link));
    assertEquals(kf.name(), Files.readSymbolicLink(link).toString());
    KeygenFile.link(tmp, "ntpkey_host_kiwi.shared.test", kf.name());
    assertArrayEquals(Files.readAllBytes(f), KeygenFile.read(link).toBytes());
  }
}
