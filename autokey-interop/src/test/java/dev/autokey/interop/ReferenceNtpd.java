package dev.autokey.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference ntpd 4.2.8p15 (Debian bullseye build) unpacked by {@code interop/fetch-ntpd.sh}:
 * paths of {@code ntpd}, {@code ntp-keygen} and {@code ntpq} and the loader path they need.
 *
 * <p>{@link #get()} runs the script once per JVM (it is a no-op when the unpack in its cache
 * folder still verifies). The folder is the system property {@code autokey.ntpd.dest}, by default
 * {@code .interop-cache/ntpd-4.2.8p15} at the repository root.
 */
public final class ReferenceNtpd {
  private static ReferenceNtpd instance;

  private final Path dest;
  private final Path ntpd;
  private final Path ntpKeygen;
  private final Path ntpq;
  private final String libraryPath;

  private ReferenceNtpd(Path dest, Map<String, String> env) {
    this.dest = dest;
    this.ntpd = Paths.get(need(env, "NTPD"));
    this.ntpKeygen = Paths.get(need(env, "NTP_KEYGEN"));
    this.ntpq = Paths.get(need(env, "NTPQ"));
    this.libraryPath = need(env, "LD_LIBRARY_PATH");
  }

  /** Fetches (or finds cached) the reference binaries; fails the test when that is impossible. */
  public static synchronized ReferenceNtpd get() {
    if (instance == null) {
      Path repo = InteropEnv.repo();
      String d = System.getProperty("autokey.ntpd.dest");
      Path dest =
          d != null && !d.isBlank() ? Paths.get(d) : repo.resolve(".interop-cache/ntpd-4.2.8p15");
      Cmd.Result r =
          Cmd.run(
              List.of("bash", repo.resolve("interop/fetch-ntpd.sh").toString(), dest.toString()),
              repo,
              Map.of(),
              Duration.ofMinutes(10));
      if (!r.ok()) {
        throw new IllegalStateException(
            "interop/fetch-ntpd.sh failed (exit " + r.exit() + "):\n" + r.output());
      }
      instance = new ReferenceNtpd(dest, readEnv(dest.resolve("env")));
    }
    return instance;
  }

  private static Map<String, String> readEnv(Path file) {
    Map<String, String> m = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return m;
  }

  private static String need(Map<String, String> env, String key) {
    String v = env.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("fetch-ntpd.sh env file lacks " + key);
    }
    return v;
  }

  /** The folder fetch-ntpd.sh filled. */
  public Path dest() {
    return dest;
  }

  /** {@code usr/sbin/ntpd}. */
  public Path ntpd() {
    return ntpd;
  }

  /** {@code usr/sbin/ntp-keygen}. */
  public Path ntpKeygen() {
    return ntpKeygen;
  }

  /** {@code usr/bin/ntpq}. */
  public Path ntpq() {
    return ntpq;
  }

  /** Environment every reference binary needs ({@code LD_LIBRARY_PATH} to libssl1.1, libopts25). */
  public Map<String, String> environment() {
    return Map.of("LD_LIBRARY_PATH", libraryPath);
  }

  /**
   * Runs the reference {@code ntp-keygen} with {@code args} in {@code keysDir} and appends the
   * command and its diagnostics to {@code log}; fails when ntp-keygen fails. The result's
   * {@link Cmd.Result#output()} is ntp-keygen's standard output (the exported file for
   * {@code -e}/{@code -q}).
   */
  public Cmd.Result keygen(Path keysDir, Path log, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(ntpKeygen.toString());
    argv.addAll(List.of(args));
    // standard output apart: with -e / -q it is the exported file
    Cmd.Result r = Cmd.run(argv, keysDir, environment(), Duration.ofMinutes(2), false);
    try {
      Files.writeString(
          log,
          "+ (cd " + keysDir.getParent().getFileName() + "/" + keysDir.getFileName()
              + " && ntp-keygen " + String.join(" ", args) + ")\n"
              + r.errors() + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return r.orThrow();
  }
}
