package dev.autokey.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs short external commands with a time bound and captures their output (stdout + stderr). */
public final class Cmd {
  private Cmd() {}

  /** Exit code and combined output of a finished command. */
  public record Result(List<String> argv, int exit, String output, String errors) {
    /** True when the command exited 0. */
    public boolean ok() {
      return exit == 0;
    }

    /** This result, or an exception naming the command, its exit code and output. */
    public Result orThrow() {
      if (exit != 0) {
        throw new IllegalStateException(
            "command failed (exit " + exit + "): " + String.join(" ", argv) + "\n" + output + errors);
      }
      return this;
    }
  }

  /** Runs {@code argv} in the current directory without extra environment, within 30 s. */
  public static Result run(List<String> argv) {
    return run(argv, null, Map.of(), Duration.ofSeconds(30));
  }

  /**
   * Runs {@code argv} in {@code dir} (null: inherited) with {@code env} added to the environment;
   * the process is killed (by its own handle) when it exceeds {@code timeout}, and the result then
   * has exit code -1.
   */
  public static Result run(List<String> argv, Path dir, Map<String, String> env, Duration timeout) {
    return run(argv, dir, env, timeout, true);
  }

  /**
   * As {@link #run(List, Path, Map, Duration)}; with {@code mergeErrors} false, standard error is
   * kept apart in {@link Result#errors()} and {@link Result#output()} is standard output alone.
   */
  public static Result run(
      List<String> argv, Path dir, Map<String, String> env, Duration timeout, boolean mergeErrors) {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(mergeErrors);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().putAll(env);
    Path out = null;
    Path err = null;
    try {
      // output goes to temporary files, so a chatty command can never block on a full pipe
      out = Files.createTempFile("autokey-cmd", ".out");
      pb.redirectOutput(out.toFile());
      if (!mergeErrors) {
        err = Files.createTempFile("autokey-cmd", ".err");
        pb.redirectError(err.toFile());
      }
      Process p = pb.start();
      int exit;
      if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        exit = p.exitValue();
      } else {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        exit = -1;
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      String errText = err == null ? "" : Files.readString(err, StandardCharsets.UTF_8);
      if (exit == -1) {
        errText = errText + "\n[killed after " + timeout.toSeconds() + " s]";
      }
      return new Result(List.copyOf(argv), exit, text, errText);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
    } finally {
      delete(out);
      delete(err);
    }
  }

  private static void delete(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // a leftover temporary file is harmless; the command result is what matters
        System.err.println("autokey-interop: cannot delete " + p + ": " + e);
      }
    }
  }
}
