package dev.autokey.interop;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long-running process started inside a network namespace (an ntpd, or a Java side for the
 * Java-to-ntpd cases). Stopped by its own process handle: SIGTERM, then SIGKILL after 5 s.
 */
public final class NetnsProcess implements AutoCloseable {
  private final String label;
  private final List<String> argv;
  private final Process process;
  private final Path log;

  NetnsProcess(String label, List<String> argv, Process process, Path log) {
    this.label = label;
    this.argv = List.copyOf(argv);
    this.process = process;
    this.log = log;
  }

  /** What this process is, e.g. {@code "ntpd server"}. */
  public String label() {
    return label;
  }

  /** The full command line (including {@code ip netns exec NS}). */
  public List<String> argv() {
    return argv;
  }

  /** Standard output and error of the process. */
  public Path log() {
    return log;
  }

  /** Its process id (after {@code ip netns exec} and {@code setpriv} exec'd: the program itself). */
  public long pid() {
    return process.pid();
  }

  /** True while it runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Its exit code, or null while it runs. */
  public Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
  }

  /** Waits up to {@code millis} for it to exit; true when it has. */
  public boolean waitFor(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  /** SIGTERM, up to 5 s grace, then SIGKILL. Idempotent. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return label + " (pid " + process.pid() + ")";
  }
}
