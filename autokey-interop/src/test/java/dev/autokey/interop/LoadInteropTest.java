package dev.autokey.interop;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.bench.load.LoadGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Must-show 6: authenticated plain Autokey requests per second answered by our UDP server
 * ({@code NtpNode} + {@code AutokeyResponderAuthenticator}, {@link NetAutokeyServerMain}) and by
 * ntpd 4.2.8p15, on the loopback of one network namespace, under the same load generator
 * ({@link LoadGenerator}, {@code ./autokey load}) with the same parameters, one after the other.
 *
 * <p>Same key setup for both: the server folder ntp-keygen made ({@code -T}, TC, MD5), read by
 * ntpd ({@code crypto pw .. host server}) and by our server ({@code
 * BcCryptoSuite.fromKeysDirectory}); the generator obtains its cookie from each server through a
 * real Autokey exchange (ASSOC, CERT, COOK) with the client folder, so each server is keyed with
 * its own private value (ntpd's is 0, which the test checks). Same CPU: the server process is
 * pinned to CPU 0 ({@code taskset}; ntpd after start with {@code -a -p}, the JVM started under
 * it) and the generator JVM to CPU 1. ntpd runs with {@code restrict default nomodify notrap}
 * (no {@code limited}, no {@code kod}). Each generator run: 4 s warm-up at full load (the Java
 * server's JIT warms up here; ntpd gets the same), then 5 s measured (at most 3,000,000 requests),
 * 4 sockets x 16 outstanding requests.
 *
 * <p>Runs {@link Isolated} (alone, not beside the other live cases) so both servers see the same
 * quiet machine. Asserts only sanity, never a timing: both servers answered at least {@value
 * #MIN_VALID} verified replies, no reply failed a check, no crypto-NAK. The figures go to the
 * case folder ({@code load-loopback/result.txt}) and SUMMARY.md.
 */
@Tag("interop")
@Isolated("a load measurement needs the machine to itself")
class LoadInteropTest {
  private static final int MIN_VALID = 10_000;
  private static final List<String> LOAD = List.of("--sockets", "4", "--window", "16",
      "--warmup", "4", "--seconds", "5", "--count", "3000000", "--timeout-ms", "1000",
      "--digest", "MD5");

  @Test
  void javaServerAgainstNtpdUnderTheSameLoad() throws Exception {
    String name = "load-loopback";
    Path runDir = InteropEnv.runsDir().resolve(name);
    Files.createDirectories(runDir.resolve("exported"));
    Files.createDirectories(runDir.resolve("client/keys"));
    try (NetnsPair net = NetnsPair.open(name)) {
      Netns ns = net.server();
      Ntpd ntpd = Ntpd.prepare(NtpdPairCase.SERVER_HOST, runDir.resolve("server"), ns);
      Path clientKeys = runDir.resolve("client/keys");
      NtpKeygenKeys.tc().write(new KeyContext(ntpd.keys(), runDir.resolve("exported"),
          clientKeys, runDir.resolve("keygen.log"), NtpdPairCase.SERVER_HOST,
          NtpdPairCase.SERVER_PW, NtpdPairCase.CLIENT_HOST, NtpdPairCase.CLIENT_PW, null));
      StringBuilder notes = new StringBuilder();

      // 1. ntpd 4.2.8p15 on the namespace's 127.0.0.1:123
      ntpd.configure(NtpConf.autokey(NtpdPairCase.SERVER_HOST, NtpdPairCase.SERVER_PW).orphan(5)
          .digest("MD5"));
      ntpd.start(0);
      ntpd.awaitSynchronized(Duration.ofSeconds(20));
      long ntpdPid = ntpd.process().orElseThrow().pid();
      notes.append(pin(ntpdPid, true));
      Map<String, String> n = generate(ns, "ntpd", ntpdPid, clientKeys, runDir);
      List<String> ntpdErrors = ntpd.cryptostatsErrors();
      ntpd.stop();

      // 2. our server on the same address, port and key folder
      List<String> argv = new ArrayList<>(List.of("taskset", "-c", "0", javaBin(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), NetAutokeyServerMain.class.getName(),
          ntpd.keys().toString(), NtpdPairCase.SERVER_HOST, NtpdPairCase.SERVER_PW, "-", "MD5",
          "127.0.0.1", "120"));
      Path javaLog = runDir.resolve("java-server.log");
      NetnsProcess java = ns.start("java server", argv, runDir, Map.of(), javaLog);
      awaitLine(java, javaLog, "serving ", Duration.ofSeconds(30));
      notes.append(pin(java.pid(), false));
      Map<String, String> j = generate(ns, "java", java.pid(), clientKeys, runDir);
      java.close();

      double ntpdRate = Double.parseDouble(n.get("rate"));
      double javaRate = Double.parseDouble(j.get("rate"));
      double ntpdCpu = Double.parseDouble(n.get("replies_per_server_cpu_second"));
      double javaCpu = Double.parseDouble(j.get("replies_per_server_cpu_second"));
      String table = String.format(Locale.ROOT,
          "Loopback load (one namespace, server pinned to CPU 0, generator to CPU 1; %s)%n%n"
              + "| server | valid replies/s | lost / sent | p50 us | p90 us | p99 us | p99.9 us |"
              + " server CPU s | replies per server CPU s | generator CPU s | other processes"
              + " CPU s |%n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n%s%s%n"
              + "ratio Java/ntpd: **%.2f** (valid replies/s), %s (replies per server CPU"
              + " second)%n%n(other processes CPU s: what the rest of the machine used during"
              + " the measurement, from /proc/stat; near 0 means nothing else competed)%n",
          String.join(" ", LOAD), row("ntpd 4.2.8p15", n),
          row("Java (NtpNode + AutokeyResponderAuthenticator)", j), javaRate / ntpdRate,
          ntpdCpu > 0 && javaCpu > 0 ? String.format(Locale.ROOT, "%.2f", javaCpu / ntpdCpu)
              : "n/a");
      StringBuilder warnings = new StringBuilder();
      for (Map<String, String> m : List.of(n, j)) {
        double other = Double.parseDouble(m.get("other_cpu_seconds"));
        if (other > 0.5) {
          warnings.append(String.format(Locale.ROOT, "WARNING: other processes used %.2f CPU s"
              + " during the %s measurement: its figures are disturbed%n", other,
              m.get("label")));
        }
      }
      System.out.println("[interop-load]\n" + table + warnings + notes);
      Files.writeString(runDir.resolve("result.txt"), table + warnings + "\n" + notes);
      InteropReport.section("Load: authenticated plain requests per second", table + warnings);

      assertAll(
          () -> assertTrue(Long.parseLong(n.get("valid")) >= MIN_VALID, "ntpd: " + n),
          () -> assertTrue(Long.parseLong(j.get("valid")) >= MIN_VALID, "java: " + j),
          () -> assertEquals("0", n.get("invalid"), "ntpd replies failing a check: " + n),
          () -> assertEquals("0", j.get("invalid"), "java replies failing a check: " + j),
          () -> assertEquals("0", n.get("crypto_naks"), "ntpd: " + n),
          () -> assertEquals("0", j.get("crypto_naks"), "java: " + j),
          () -> assertEquals("0", n.get("warmup_invalid"), "ntpd: " + n),
          () -> assertEquals("0", j.get("warmup_invalid"), "java: " + j),
          // docs/protocol.md §7.7: ntpd's private value is 0, ours is random
          () -> assertEquals("true", n.get("cookie_is_ntpd_formula"), "ntpd cookie: " + n),
          () -> assertEquals("false", j.get("cookie_is_ntpd_formula"), "java cookie: " + j),
          () -> assertEquals(List.of(), ntpdErrors, "ntpd cryptostats"));
    }
  }

  private static String row(String label, Map<String, String> m) {
    return String.format(Locale.ROOT,
        "| %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", label, m.get("rate"),
        m.get("lost"), m.get("sent"), m.get("p50_us"), m.get("p90_us"), m.get("p99_us"),
        m.get("p999_us"), m.get("server_cpu_seconds"), m.get("replies_per_server_cpu_second"),
        m.get("generator_cpu_seconds"), m.get("other_cpu_seconds"));
  }

  /** Runs the generator JVM on CPU 1 inside {@code ns} against 127.0.0.1:123; its figures. */
  private static Map<String, String> generate(Netns ns, String label, long serverPid,
      Path clientKeys, Path runDir) throws Exception {
    Path out = runDir.resolve("load-" + label + ".txt");
    Path log = runDir.resolve("load-" + label + ".log");
    List<String> argv = new ArrayList<>(List.of("taskset", "-c", "1", javaBin(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), LoadGenerator.class.getName(),
        "--server", "127.0.0.1", "--keys", clientKeys.toString(), "--host",
        NtpdPairCase.CLIENT_HOST, "--password", NtpdPairCase.CLIENT_PW, "--server-pid",
        Long.toString(serverPid), "--label", label, "--out", out.toString()));
    argv.addAll(LOAD);
    NetnsProcess gen = ns.start("load generator " + label, argv, runDir, Map.of(), log);
    Thread.sleep(2000); // inside its warm-up: taskset has exec'd the JVM, all threads started
    String affinity = gen.isAlive() ? pin(gen.pid(), false) : "";
    boolean done = gen.waitFor(60_000);
    String text = Files.readString(log);
    assertTrue(done, "load generator against " + label + " did not finish:\n" + text);
    System.out.println("[interop-load] " + label + ":\n" + text);
    Files.writeString(runDir.resolve("load-" + label + "-affinity.txt"), affinity);
    assertEquals(0, gen.exitCode(), "load generator against " + label + ":\n" + text);
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  /**
   * Pins {@code pid} (all its threads) to CPU 0 if {@code set}; returns taskset's listing of
   * the affinity of each of its threads.
   */
  private static String pin(long pid, boolean set) {
    if (set) {
      Cmd.run(List.of("taskset", "-a", "-p", "-c", "0", Long.toString(pid))).orThrow();
    }
    return Cmd.run(List.of("taskset", "-a", "-c", "-p", Long.toString(pid))).orThrow().output().trim()
        + "\n";
  }

  private static void awaitLine(NetnsProcess p, Path log, String text, Duration max)
      throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      String s = Files.exists(log) ? Files.readString(log) : "";
      if (s.contains(text)) {
        return;
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(p + " exited:\n" + s);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(p + " did not print '" + text + "' in " + max.toSeconds()
        + " s");
  }

  private static String javaBin() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }
}
