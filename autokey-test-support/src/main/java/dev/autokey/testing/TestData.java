package dev.autokey.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Locates the project's {@code testdata/} folder (real ntp-keygen 4.2.8p15 files, captures of
 * real ntpd Autokey exchanges, Wycheproof vectors). Surefire passes its path as the system
 * property {@code autokey.testdata}; otherwise the folder is searched upwards from the working
 * directory.
 */
public final class TestData {
  private TestData() {}

  /** The testdata root. */
  public static Path root() {
    String p = System.getProperty("autokey.testdata");
    if (p != null && !p.isBlank() && Files.isDirectory(Paths.get(p))) {
      return Paths.get(p).toAbsolutePath().normalize();
    }
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("testdata");
      if (Files.isDirectory(candidate.resolve("captures"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("testdata/ not found (set -Dautokey.testdata)");
  }

  /** A path below the testdata root, which must exist. */
  public static Path path(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing test data file: " + p);
    }
    return p;
  }

  /** The capture run folders ({@code testdata/captures/<run>/} holding a {@code capture.pcap}). */
  public static List<Path> captureRuns() {
    try (Stream<Path> s = Files.list(root().resolve("captures"))) {
      return s.filter(d -> Files.isRegularFile(d.resolve("capture.pcap")))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The capture run folder of the given name, e.g. {@code "tc-client"}. */
  public static Path captureRun(String name) {
    return path("captures/" + name);
  }
}
