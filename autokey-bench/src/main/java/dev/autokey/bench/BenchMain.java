package dev.autokey.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The {@code ./autokey bench} driver: runs the per-packet benchmarks with JMH's GC profiler and
 * prints ns/op and B/op as a table, then (unless {@code --no-native}) measures {@code openssl
 * speed -evp md5 -bytes 16} and {@code -bytes 64} in the same sitting and prints the ratio of
 * the native per-packet cost (one 16-byte and one 64-byte MD5) to the Java full per-packet
 * verify.
 *
 * <pre>
 * --quick     (default) 1 fork, 2 x 1 s warm-up, 3 x 1 s measurement
 * --full      2 forks, 3 x 1 s warm-up, 5 x 1 s measurement (use for quoted figures)
 * --no-native skip openssl speed
 * --include R run only benchmarks matching the regular expression R
 * </pre>
 */
public final class BenchMain {
  private BenchMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    int forks = 1;
    int warmups = 2;
    int iterations = 3;
    boolean nativeSpeed = true;
    String include = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> {
          forks = 1;
          warmups = 2;
          iterations = 3;
        }
        case "--full" -> {
          forks = 2;
          warmups = 3;
          iterations = 5;
        }
        case "--no-native" -> nativeSpeed = false;
        case "--include" -> include = args[++i];
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    System.out.printf(Locale.ROOT, "JVM: %s %s (%s); %d fork(s), %d x 1 s warm-up, %d x 1 s "
            + "measurement, -prof gc%n", System.getProperty("java.vm.name"),
        System.getProperty("java.version"), System.getProperty("java.home"), forks, warmups,
        iterations);
    List<RunResult> results = new ArrayList<>();
    String base = BenchMain.class.getPackageName() + ".";
    if (include == null) {
      results.addAll(run(options(forks, warmups, iterations)
          .include(base + "(SessionKeyBench|KeyListBench|DigestBench)\\.")
          .include(base + "MacBench\\.")
          .param("impl", "JDK")));
      results.addAll(run(options(forks, warmups, iterations)
          .include(base + "MacBench\\.fullPacketVerify")
          .param("impl", "BC")));
    } else {
      results.addAll(run(options(forks, warmups, iterations).include(include)));
    }
    printTable(results);
    if (nativeSpeed) {
      compareWithNative(results);
    }
  }

  private static ChainedOptionsBuilder options(int forks, int warmups, int iterations) {
    return new OptionsBuilder()
        .forks(forks)
        .warmupIterations(warmups)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(1))
        .timeUnit(TimeUnit.NANOSECONDS)
        .addProfiler(GCProfiler.class)
        .verbosity(VerboseMode.SILENT)
        .shouldFailOnError(true);
  }

  private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
    return new Runner(options.build()).run();
  }

  private static String label(RunResult r) {
    String name = r.getParams().getBenchmark();
    name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
    StringBuilder p = new StringBuilder();
    for (String k : r.getParams().getParamsKeys()) {
      p.append(p.length() == 0 ? "" : ",").append(k).append('=').append(r.getParams().getParam(k));
    }
    return p.length() == 0 ? name : name + " [" + p + "]";
  }

  private static double allocation(RunResult r) {
    Map<String, Result> sec = r.getSecondaryResults();
    Result a = sec.get("gc.alloc.rate.norm");
    return a == null ? Double.NaN : a.getScore();
  }

  private static void printTable(List<RunResult> results) {
    System.out.println();
    System.out.printf(Locale.ROOT, "%-58s %12s %10s %10s%n", "benchmark", "ns/op", "± (99.9%)",
        "B/op");
    for (RunResult r : results) {
      Result p = r.getPrimaryResult();
      System.out.printf(Locale.ROOT, "%-58s %12.1f %10.1f %10.1f%n", label(r), p.getScore(),
          p.getScoreError(), allocation(r));
    }
  }

  private static double score(List<RunResult> results, String suffix, String params) {
    for (RunResult r : results) {
      if (label(r).equals(suffix + params)) {
        return r.getPrimaryResult().getScore();
      }
    }
    return Double.NaN;
  }

  private static void compareWithNative(List<RunResult> results) throws Exception {
    double n16 = opensslNsPerOp(16);
    double n64 = opensslNsPerOp(64);
    System.out.println();
    if (Double.isNaN(n16) || Double.isNaN(n64)) {
      System.out.println("openssl not found or unparsable: no native comparison");
      return;
    }
    System.out.println(opensslVersion());
    System.out.printf(Locale.ROOT, "%-58s %12.1f%n", "openssl speed -evp md5 -bytes 16", n16);
    System.out.printf(Locale.ROOT, "%-58s %12.1f%n", "openssl speed -evp md5 -bytes 64", n64);
    double nativePacket = n16 + n64;
    System.out.printf(Locale.ROOT, "%-58s %12.1f%n",
        "native per-packet verify (16-byte + 64-byte MD5)", nativePacket);
    for (String impl : new String[] {"JDK", "BC"}) {
      double java = score(results, "MacBench.fullPacketVerify", " [digest=MD5,impl=" + impl + "]");
      if (!Double.isNaN(java)) {
        System.out.printf(Locale.ROOT, "%-58s %12.2f%n",
            "ratio Java/native speed, full per-packet verify MD5 " + impl, nativePacket / java);
      }
    }
    double j16 = score(results, "DigestBench.md5Jdk", " [bytes=16]");
    double j64 = score(results, "DigestBench.md5Jdk", " [bytes=64]");
    if (!Double.isNaN(j16)) {
      System.out.printf(Locale.ROOT, "%-58s %12.2f %12.2f%n",
          "ratio Java/native speed, MD5 16 / 64 bytes (JDK)", n16 / j16, n64 / j64);
    }
  }

  private static String opensslVersion() {
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line = r.readLine();
        p.waitFor();
        return line == null ? "openssl" : line.trim();
      }
    } catch (Exception e) {
      return "openssl";
    }
  }

  /** ns per EVP digest of {@code bytes} bytes from {@code openssl speed -mr} ("+F:i:md5:bytes/s"). */
  static double opensslNsPerOp(int bytes) {
    try {
      Process p = new ProcessBuilder("openssl", "speed", "-evp", "md5", "-bytes",
          Integer.toString(bytes), "-seconds", "3", "-mr").redirectErrorStream(true).start();
      double bytesPerSecond = Double.NaN;
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          bytesPerSecond = parseF(line, bytesPerSecond);
        }
      }
      if (p.waitFor() != 0) {
        return Double.NaN;
      }
      return 1e9 * bytes / bytesPerSecond;
    } catch (java.io.IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  static double parseF(String line, double otherwise) {
    if (line.startsWith("+F:")) {
      String[] f = line.trim().split(":");
      if (f.length >= 4) {
        try {
          return Double.parseDouble(f[f.length - 1]);
        } catch (NumberFormatException e) {
          return otherwise;
        }
      }
    }
    return otherwise;
  }
}
