package dev.autokey.crypto.keygen;

import dev.autokey.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The ntp-keygen sample set in testdata/keygen and its passwords (from MANIFEST.md). */
final class KeygenSamples {
  private KeygenSamples() {}

  /** Case folder → password of the -p files (host/sign key, group files). */
  static final Map<String, String> PASSWORDS =
      Map.of(
          "default", "kiwi.shared.test",
          "tc-iff", "Iff-Pass1",
          "tc-gq", "Gq-Pass3",
          "tc-mv", "Mv-Pass5",
          "dsa-sign", "Dsa-Pass7",
          "private", "Pc-Pass8",
          "dsa-sign-sha256", "Dsa-Pass9");

  /** The -q export passwords, by file name. */
  static final Map<String, String> EXPORT_PASSWORDS =
      Map.of(
          "ntpkey_iffkey_orchard.4004335813", "Iff-Export2",
          "ntpkey_gqkey_meadow.4004335813", "Gq-Export4",
          "ntpkey_mvkey_harbor.4004335813", "Mv-Export6");

  static Path dir(String name) {
    return TestData.path("keygen/" + name);
  }

  /** The password that opens a given sample file. */
  static char[] passwordFor(Path file) {
    String n = file.getFileName().toString();
    String pw = EXPORT_PASSWORDS.get(n);
    if (pw == null) {
      pw = PASSWORDS.get(file.getParent().getFileName().toString());
    }
    return pw == null ? null : pw.toCharArray();
  }

  /** Every ntp-keygen file proper (name with a filestamp), not the link stubs nor VERIFY.txt. */
  static List<Path> allFiles() {
    try (Stream<Path> s = Files.walk(TestData.path("keygen"))) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches("ntpkey_.*\\.[0-9]+"))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
