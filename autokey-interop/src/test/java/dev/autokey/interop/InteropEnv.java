package dev.autokey.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the live harness runs: the repository root, the run folders, and whether network
 * namespaces are possible on this machine.
 *
 * <p>Live cases call {@link #requireNamespaces()} first. Where namespaces are impossible (not
 * root, no {@code ip netns}) it prints a banner and aborts the test (JUnit counts it as skipped);
 * with {@code -Dautokey.interop.required=true} (CI) it fails instead, so a CI run can never pass
 * without having run the live cases.
 */
public final class InteropEnv {
  private static volatile String namespaceProblem;
  private static volatile boolean probed;

  private InteropEnv() {}

  /** The repository root (system property {@code autokey.repo}, else searched upwards). */
  public static Path repo() {
    String p = System.getProperty("autokey.repo");
    if (p != null && !p.isBlank() && Files.isRegularFile(Paths.get(p, "interop", "fetch-ntpd.sh"))) {
      return Paths.get(p).toAbsolutePath().normalize();
    }
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("interop/fetch-ntpd.sh"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("repository root with interop/fetch-ntpd.sh not found");
  }

  /** Folder receiving one sub-folder per live case (kept after the run for inspection). */
  public static Path runsDir() {
    String p = System.getProperty("autokey.interop.runs");
    return p != null && !p.isBlank()
        ? Paths.get(p)
        : repo().resolve("autokey-interop/target/interop-runs");
  }

  /** True when {@code -Dautokey.interop.required=true}: no skipping allowed. */
  public static boolean required() {
    return Boolean.getBoolean("autokey.interop.required");
  }

  /**
   * Returns normally when this process can create network namespaces; otherwise prints a loud
   * banner and aborts the calling test (or fails it when {@link #required()}).
   */
  public static void requireNamespaces() {
    String problem = namespaceProblem();
    if (problem == null) {
      return;
    }
    String text =
        "LIVE NTPD INTEROP NOT RUN: "
            + problem
            + ". These tests need root and 'ip netns' (Linux network namespaces); run"
            + " './mvnw -Pinterop verify' as root on Linux.";
    String bar = "#".repeat(Math.min(120, text.length() + 4));
    System.err.println(bar + "\n# " + text + "\n" + bar);
    if (required()) {
      Assertions.fail(text + " (autokey.interop.required=true, so this is a failure)");
    }
    Assumptions.abort(text);
  }

  /** Null when namespaces work, else the reason they do not. Probed once per JVM. */
  static String namespaceProblem() {
    if (!probed) {
      synchronized (InteropEnv.class) {
        if (!probed) {
          namespaceProblem = probe();
          probed = true;
        }
      }
    }
    return namespaceProblem;
  }

  private static String probe() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return "not Linux (" + System.getProperty("os.name") + ")";
    }
    Cmd.Result id = Cmd.run(List.of("id", "-u"));
    if (!id.ok() || !id.output().trim().equals("0")) {
      return "not running as root (id -u = " + id.output().trim() + ")";
    }
    Cmd.Result ip = Cmd.run(List.of("sh", "-c", "command -v ip"));
    if (!ip.ok()) {
      // fetch-ntpd.sh installs iproute2 when it is missing; it runs before the first namespace
      ReferenceNtpd.get();
      ip = Cmd.run(List.of("sh", "-c", "command -v ip"));
      if (!ip.ok()) {
        return "the 'ip' command (iproute2) is missing";
      }
    }
    String probeName = "akitprobe" + ProcessHandle.current().pid() % 100000;
    Cmd.Result add = Cmd.run(List.of("ip", "netns", "add", probeName));
    if (!add.ok()) {
      return "'ip netns add' failed: " + add.output().trim();
    }
    Cmd.Result lo = Cmd.run(List.of("ip", "-n", probeName, "link", "set", "lo", "up"));
    Cmd.run(List.of("ip", "netns", "del", probeName));
    if (!lo.ok()) {
      return "cannot configure a namespace: " + lo.output().trim();
    }
    return null;
  }
}
