package dev.autokey.crypto.keygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing key files and links: private material is owner-only from the first byte, planted
 * temporary files and links are neither reused nor followed, existing files are only replaced
 * on request and never with a wider mode, links never delete a regular file, a failed write
 * leaves no temporary file and the old file intact.
 */
class KeyFileSafetyTest {
  private static final String HOST_KEY = "ntpkey_RSAhost_kiwi.shared.test.4004335813";
  private static final String CERT = "ntpkey_RSA-MD5cert_kiwi.shared.test.4004335813";

  @TempDir Path tmp;

  private static KeygenFile sample(String name) throws Exception {
    return KeygenFile.read(KeygenSamples.dir("default").resolve(name));
  }

  /** Same name as {@code f}, other content (another date line). */
  private static KeygenFile otherVersionOf(KeygenFile f) {
    return KeygenFile.withBody(f.name(), "Thu Jan  1 00:00:00 2099", f.body());
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private static void chmod(Path p, String mode) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }

  private static Set<String> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void privateFilesAreOwnerOnlyFromTheirCreationCertificatesPublic() throws Exception {
    // the JVM's umask: a file created without a mode shows what a umask-mode temp file would get
    Path probe = Files.createFile(tmp.resolve("probe"));
    System.out.println("umask probe: a plain new file gets " + mode(probe));
    Files.delete(probe);
    Path plain = sample(HOST_KEY).writeTo(Files.createDirectory(tmp.resolve("plain")));
    assertEquals("rw-------", mode(plain), "a private key is owner-only");


    KeygenFile symmetric = KeygenFile.withBody("ntpkey_MD5key_kiwi.shared.test.4004335813",
        "Sat Nov 21 12:05:36 2026", "\n 1 MD5 abcdefghijklmnop  # MD5 key\n");
    List<String> temps = new ArrayList<>();
    for (KeygenFile f : List.of(sample(HOST_KEY), symmetric, sample(CERT))) {
      boolean cert = f.name().equals(CERT);
      List<String> seen = new ArrayList<>();
      Path out = f.writeTo(tmp, KeygenFile.Overwrite.REFUSE, (step, temp) -> {
        // the temporary file is in the target folder, hidden, not the old predictable name
        assertEquals(tmp, temp.getParent());
        assertTrue(temp.getFileName().toString().startsWith("."), temp.toString());
        assertNotEquals("." + f.name() + ".tmp", temp.getFileName().toString());
        assertFalse(Files.isSymbolicLink(temp));
        if (step == KeygenFile.Step.CREATED) {
          assertEquals(0, Files.size(temp), "nothing written yet");
        } else {
          assertArrayEquals(f.toBytes(), Files.readAllBytes(temp));
        }
        // before the first byte and after the last: never wider than the final mode
        assertEquals(cert ? "rw-r--r--" : "rw-------", mode(temp), step + " " + f.name());
        assertFalse(Files.exists(tmp.resolve(f.name())), "not published before it is written");
        seen.add(step + " " + temp.getFileName());
      });
      assertEquals(2, seen.size(), "CREATED and WRITTEN seen: " + seen);
      temps.add(seen.get(0).substring("CREATED ".length()));
      assertEquals(cert ? "rw-r--r--" : "rw-------", mode(out), f.name());
      assertArrayEquals(f.toBytes(), Files.readAllBytes(out));
    }
    assertEquals(3, new TreeSet<>(temps).size(), "a fresh temporary name each time: " + temps);
    assertEquals(Set.of("plain", HOST_KEY, CERT, symmetric.name()), entries(tmp),
        "no temporary file left");
  }

  @Test
  void plantedTemporaryFileIsNeitherReusedNorFollowed() throws Exception {
    KeygenFile key = sample(HOST_KEY);
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path stolen = outside.resolve("stolen"); // does not exist: a symlink would create it
    Path victim = Files.writeString(outside.resolve("victim"), "victim\n");
    chmod(victim, "rw-r--r--");

    // a world-writable regular file planted under the old predictable temporary name
    Path d1 = Files.createDirectories(tmp.resolve("d1"));
    Path planted = Files.writeString(d1.resolve("." + HOST_KEY + ".tmp"), "planted\n");
    chmod(planted, "rw-rw-rw-");
    Path out1 = key.writeTo(d1);
    assertEquals("planted\n", Files.readString(planted), "planted file not reused");
    assertEquals("rw-rw-rw-", mode(planted));
    assertEquals("rw-------", mode(out1));
    assertArrayEquals(key.toBytes(), Files.readAllBytes(out1));
    assertFalse(Files.isSymbolicLink(out1));

    // symbolic links planted under the old temporary name, to a new and to an existing file
    for (Path to : List.of(stolen, victim)) {
      Path d = Files.createDirectories(tmp.resolve("d-" + to.getFileName()));
      Path link = Files.createSymbolicLink(d.resolve("." + HOST_KEY + ".tmp"), to);
      Path out = key.writeTo(d);
      assertTrue(Files.isSymbolicLink(link), "planted link left alone");
      assertFalse(Files.isSymbolicLink(out), "the key is a file, not the planted link");
      assertEquals("rw-------", mode(out));
      assertArrayEquals(key.toBytes(), Files.readAllBytes(out));
    }
    assertFalse(Files.exists(stolen, LinkOption.NOFOLLOW_LINKS), "no key written through a link");
    assertEquals("victim\n", Files.readString(victim));
    assertEquals("rw-r--r--", mode(victim));

    // a link planted under the final name is not replaced, not even on request
    Path d2 = Files.createDirectories(tmp.resolve("d2"));
    Path finalLink = Files.createSymbolicLink(d2.resolve(HOST_KEY), victim);
    for (KeygenFile.Overwrite o : KeygenFile.Overwrite.values()) {
      FileAlreadyExistsException e =
          assertThrows(FileAlreadyExistsException.class, () -> key.writeTo(d2, o));
      assertEquals(finalLink.toString(), e.getFile());
    }
    assertTrue(Files.isSymbolicLink(finalLink));
    assertEquals("victim\n", Files.readString(victim));
    assertEquals(Set.of(HOST_KEY), entries(d2));
  }

  @Test
  void existingFileIsReplacedOnlyOnRequestAndNeverWithAWiderMode() throws Exception {
    KeygenFile key = sample(HOST_KEY);
    KeygenFile newer = otherVersionOf(key);
    Path out = key.writeTo(tmp);
    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, () -> newer.writeTo(tmp));
    assertEquals(out.toString(), e.getFile());
    assertTrue(e.getMessage().contains(HOST_KEY), e.getMessage());
    assertThrows(FileAlreadyExistsException.class,
        () -> newer.writeTo(tmp, KeygenFile.Overwrite.REFUSE));
    assertArrayEquals(key.toBytes(), Files.readAllBytes(out), "old key kept");
    assertEquals(Set.of(HOST_KEY), entries(tmp));

    assertEquals(out, newer.writeTo(tmp, KeygenFile.Overwrite.REPLACE));
    assertArrayEquals(newer.toBytes(), Files.readAllBytes(out), "replaced on request");
    assertEquals("rw-------", mode(out), "0600 stays 0600");
    assertEquals(Set.of(HOST_KEY), entries(tmp));

    // a private key replacing a wider file gets 0600; a certificate replacing an 0600 one
    // stays 0600
    chmod(out, "rw-r--r--");
    key.writeTo(tmp, KeygenFile.Overwrite.REPLACE);
    assertEquals("rw-------", mode(out));
    KeygenFile cert = sample(CERT);
    Path c = cert.writeTo(tmp);
    assertEquals("rw-r--r--", mode(c), "a certificate is public");
    chmod(c, "rw-------");
    otherVersionOf(cert).writeTo(tmp, KeygenFile.Overwrite.REPLACE);
    assertEquals("rw-------", mode(c), "not widened to the certificate default");
    chmod(c, "rw-r-----");
    cert.writeTo(tmp, KeygenFile.Overwrite.REPLACE);
    assertEquals("rw-r-----", mode(c));
    assertArrayEquals(cert.toBytes(), Files.readAllBytes(c));
    assertEquals(Set.of(HOST_KEY, CERT), entries(tmp));
  }

  @Test
  void linkReplacesOnlySymbolicLinksAndNeverDeletesAFile() throws Exception {
    Path kept = Files.writeString(tmp.resolve("ntpkey_host_kiwi.shared.test"), "a copied key\n");
    FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
        () -> KeygenFile.link(tmp, "ntpkey_host_kiwi.shared.test", HOST_KEY));
    assertEquals(kept.toString(), e.getFile());
    assertTrue(e.getMessage().contains("regular file"), e.getMessage());
    assertFalse(Files.isSymbolicLink(kept));
    assertEquals("a copied key\n", Files.readString(kept));

    Path dir = Files.createDirectory(tmp.resolve("ntpkey_cert_kiwi.shared.test"));
    assertThrows(FileAlreadyExistsException.class,
        () -> KeygenFile.link(tmp, "ntpkey_cert_kiwi.shared.test", CERT));
    assertTrue(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS));

    // an existing link is replaced by one to the new target; no temporary link stays behind
    Path sub = Files.createDirectory(tmp.resolve("sub"));
    Path l = KeygenFile.link(tmp, "ntpkey_iffkey_g", "sub");
    assertEquals(Path.of("sub"), Files.readSymbolicLink(l));
    assertEquals(l, KeygenFile.link(tmp, "ntpkey_iffkey_g", "ntpkey_IFFkey_g.2"));
    assertEquals(Path.of("ntpkey_IFFkey_g.2"), Files.readSymbolicLink(l));
    assertTrue(Files.isDirectory(sub), "the old link's directory target is not touched");
    assertEquals(Set.of("ntpkey_host_kiwi.shared.test", "ntpkey_cert_kiwi.shared.test", "sub",
        "ntpkey_iffkey_g"), entries(tmp));
  }

  @Test
  void failedWriteLeavesNoTemporaryFileAndTheOldFileIntact() throws Exception {
    KeygenFile key = sample(HOST_KEY);
    Path out = key.writeTo(tmp);
    chmod(out, "rw-------");
    KeygenFile newer = otherVersionOf(key);
    for (KeygenFile.Step failAt : KeygenFile.Step.values()) {
      List<Path> temps = new ArrayList<>();
      IOException e = assertThrows(IOException.class,
          () -> newer.writeTo(tmp, KeygenFile.Overwrite.REPLACE, (step, temp) -> {
            temps.add(temp);
            if (step == failAt) {
              throw new IOException("simulated failure at " + step);
            }
          }));
      assertEquals("simulated failure at " + failAt, e.getMessage());
      assertFalse(temps.isEmpty());
      assertFalse(Files.exists(temps.get(0), LinkOption.NOFOLLOW_LINKS), "temporary removed");
      assertEquals(Set.of(HOST_KEY), entries(tmp));
      assertArrayEquals(key.toBytes(), Files.readAllBytes(out), "old file intact");
      assertEquals("rw-------", mode(out));
    }

    // a new file failing: nothing at all under the final name
    KeygenFile cert = sample(CERT);
    assertThrows(IOException.class, () -> cert.writeTo(tmp, KeygenFile.Overwrite.REFUSE,
        (step, temp) -> {
          if (step == KeygenFile.Step.WRITTEN) {
            throw new IOException("simulated");
          }
        }));
    assertEquals(Set.of(HOST_KEY), entries(tmp));

    // another writer creates the file meanwhile: it is kept, ours refused and removed
    FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
        () -> cert.writeTo(tmp, KeygenFile.Overwrite.REFUSE, (step, temp) -> {
          if (step == KeygenFile.Step.WRITTEN) {
            Files.writeString(tmp.resolve(CERT), "the other writer's\n");
          }
        }));
    assertEquals(tmp.resolve(CERT).toString(), e.getFile());
    assertEquals("the other writer's\n", Files.readString(tmp.resolve(CERT)));
    assertEquals(Set.of(HOST_KEY, CERT), entries(tmp));
  }

  @Test
  void unpublishableTargetLeavesNoTemporaryFile() throws Exception {
    // a non-empty directory where the file should go: a rename onto it fails
    Path blocker = Files.createDirectory(tmp.resolve(HOST_KEY));
    Files.writeString(blocker.resolve("inside"), "x\n");
    for (KeygenFile.Overwrite o : KeygenFile.Overwrite.values()) {
      assertThrows(IOException.class, () -> sample(HOST_KEY).writeTo(tmp, o));
      assertEquals(Set.of(HOST_KEY), entries(tmp), o + ": no temporary file left");
      assertTrue(Files.isDirectory(blocker));
      assertEquals("x\n", Files.readString(blocker.resolve("inside")));
    }
  }
}
