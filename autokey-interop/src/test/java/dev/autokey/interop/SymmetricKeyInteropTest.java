package dev.autokey.interop;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.crypto.SymmetricKey;
import dev.autokey.core.protocol.SymmetricKeyAuth;
import dev.autokey.testing.Pcap;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Symmetric-key authentication (ntpd's AUTH cryptotype: {@code keys ntp.keys}, {@code trustedkey},
 * {@code server ADDR key N}) against the reference ntpd 4.2.8p15, with the {@code ntp.keys}
 * written by our {@link dev.autokey.crypto.keygen.SymmetricKeysFile} writer: ntpd client with
 * ntpd server (the reference), Java client ({@link NetSymmetricKeyClientMain}) with ntpd server,
 * ntpd client with the Java server ({@link NetSymmetricKeyServerMain}); MD5, SHA1 and AES128CMAC
 * keys. Judged by ntpd: an ntpd client's association shows authenb + auth while reachable, {@code
 * flash=00 ok}, the key ID, selects the server as sys.peer and logs 4 authenticated peerstats
 * samples; an ntpd server counts no authentication failure, has decrypted and encrypted every
 * request and reply, and every reply it sent carries the key ID and a MAC that our code verifies.
 * Two controls (a key with another value) prove the judge can say no.
 */
@Tag("interop")
class SymmetricKeyInteropTest {
  private static final int SAMPLES = 4;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String KEY_FILES = "ours (`SymmetricKeysFile`, ntp.keys)";
  private static final InteropTable.Row CONTROL_ROW = new InteropTable.Row("client/server",
      "AUTH", "IPv4", "MD5", "control, must fail: client's key 1 has another value");
  private static final Pattern SAMPLE = Pattern.compile(
      "(\\d+\\.\\d+) s  authenticated sample (\\d+): ");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("md5-v4", "MD5", IpFamily.IPV4),
        Arguments.of("md5-v6", "MD5", IpFamily.IPV6),
        Arguments.of("sha1-v4", "SHA1", IpFamily.IPV4),
        Arguments.of("aes128cmac-v4", "AES128CMAC", IpFamily.IPV4));
  }

  private static Path runDir(String name) throws Exception {
    Path dir = InteropEnv.runsDir().resolve(name);
    Files.createDirectories(dir);
    return dir;
  }

  private static NtpConf authConf(int orphan) {
    return NtpConf.plain().orphan(orphan).line("keys ntp.keys")
        .line("trustedkey " + SymmetricKeyFiles.TRUSTED);
  }

  private static String serverLine(String address, int keyId) {
    return "server " + address + " key " + keyId + " iburst minpoll 3 maxpoll 3";
  }

  private static InteropTable.Row row(String type, IpFamily family) {
    return new InteropTable.Row("client/server", "AUTH", InteropTable.family(family), type,
        KEY_FILES);
  }

  /** {@code name: value} lines of ntpq's {@code sysstats} / {@code authinfo}. */
  static Map<String, Long> counters(String ntpqOutput) {
    Map<String, Long> m = new HashMap<>();
    for (String l : ntpqOutput.split("\n")) {
      int c = l.indexOf(':');
      if (c > 0 && l.substring(c + 1).trim().matches("\\d+")) {
        m.put(l.substring(0, c).trim(), Long.parseLong(l.substring(c + 1).trim()));
      }
    }
    return m;
  }

  /**
   * The packets {@code from} sent in a capture, judged with our code: how many carry key {@code
   * keyId} with a MAC that verifies, and a description of every other one.
   */
  record CaptureCheck(int packets, int fromSender, int authentic, List<String> others) {}

  static CaptureCheck checkCapture(Path pcap, InetAddress from, SymmetricKeyAuth auth, int keyId)
      throws Exception {
    int packets = 0;
    int fromSender = 0;
    int authentic = 0;
    List<String> others = new ArrayList<>();
    for (Pcap.Udp u : Pcap.readUdp(pcap, 123)) {
      packets++;
      if (!u.src().equals(from)) {
        continue;
      }
      fromSender++;
      byte[] p = u.payload();
      SymmetricKeyAuth.Check c = auth.check(p, 0, p.length, u.src());
      if (c.authentic() && c.keyId() == keyId) {
        authentic++;
      } else {
        others.add(u + ": " + c.detail() + (p.length == 52 ? " (crypto-NAK)" : ""));
      }
    }
    return new CaptureCheck(packets, fromSender, authentic, others);
  }

  private static String ntpdReport(Ntpd n) {
    return n.ntpq("sysstats") + n.ntpq("authinfo");
  }

  /** The reference: ntpd client and ntpd server with the same (our) ntp.keys. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ntpdClientWithNtpdServer(String label, String type, IpFamily family) throws Exception {
    String name = "auth-ntpdpair-" + label;
    Path runDir = runDir(name);
    int keyId = SymmetricKeyFiles.keyId(type);
    List<SymmetricKey> keys = SymmetricKeyFiles.generate(RANDOM);
    try (NetnsPair net = NetnsPair.open(name)) {
      Ntpd server = Ntpd.prepare(NtpdPairCase.SERVER_HOST, runDir.resolve("server"), net.server());
      Ntpd client = Ntpd.prepare(NtpdPairCase.CLIENT_HOST, runDir.resolve("client"), net.client());
      Path keysFile = SymmetricKeyFiles.write(server.dir(), keys);
      SymmetricKeyFiles.write(client.dir(), keys);
      String srv = IpFamily.literal(net.server().address(family));
      server.configure(authConf(5));
      client.configure(authConf(10).line(serverLine(srv, keyId)));
      NetnsProcess capture = net.server().capture(runDir.resolve("capture.pcap"));
      server.start(0);
      server.awaitSynchronized(Duration.ofSeconds(20));
      long t0 = System.nanoTime();
      client.start(0);
      AuthWatch.Result w = AuthWatch.await(client, t0, Duration.ofSeconds(60), SAMPLES,
          server::isRunning);
      client.saveNtpqViews();
      server.saveNtpqViews();
      Map<String, Long> srvStats = counters(ntpdReport(server));
      Thread.sleep(1500); // tcpdump writes the last packets
      capture.close();
      CaptureCheck cap = checkCapture(runDir.resolve("capture.pcap"),
          net.server().address(family), SymmetricKeyFiles.read(keysFile, Set.of(keyId)), keyId);
      String report = report(name, w, srvStats, cap);
      InteropTable.record(row(type, family), InteropTable.Side.NTPD_PAIR, cell(w));
      Files.writeString(runDir.resolve("result.txt"), report);
      System.out.println("[interop-auth] " + report);
      assertNtpdClientAuthenticated(w, keyId, report);
      assertNtpdServerAuthenticated(srvStats, cap, report);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void javaClientWithNtpdServer(String label, String type, IpFamily family) throws Exception {
    String name = "auth-javacli-" + label;
    Path runDir = runDir(name);
    int keyId = SymmetricKeyFiles.keyId(type);
    List<SymmetricKey> keys = SymmetricKeyFiles.generate(RANDOM);
    try (NetnsPair net = NetnsPair.open(name)) {
      Ntpd server = Ntpd.prepare(NtpdPairCase.SERVER_HOST, runDir.resolve("server"), net.server());
      Path keysFile = SymmetricKeyFiles.write(server.dir(), keys);
      Path clientKeys = SymmetricKeyFiles.write(Files.createDirectories(runDir.resolve("client")),
          keys);
      server.configure(authConf(5));
      NetnsProcess capture = net.server().capture(runDir.resolve("capture.pcap"));
      server.start(0);
      server.awaitSynchronized(Duration.ofSeconds(20));
      JavaClientRun j = runJavaClient(net, runDir, family, clientKeys, keyId);
      server.saveNtpqViews();
      Map<String, Long> srvStats = counters(ntpdReport(server));
      Thread.sleep(1500); // tcpdump writes the last packets
      capture.close();
      CaptureCheck cap = checkCapture(runDir.resolve("capture.pcap"),
          net.server().address(family), SymmetricKeyFiles.read(keysFile, Set.of(keyId)), keyId);
      String report = "case " + name + "\n  java client exit " + j.exit() + ", first "
          + "authenticated sample " + j.firstSeconds() + " s, samples " + j.samples()
          + "\n  ntpd server counters " + srvStats + "\n  capture " + cap + "\n" + j.log();
      InteropTable.record(row(type, family), InteropTable.Side.JAVA_CLIENT,
          j.samples() >= SAMPLES ? j.firstSeconds() : "never");
      Files.writeString(runDir.resolve("result.txt"), report);
      System.out.println("[interop-auth] " + report);
      assertAll(
          () -> assertEquals(0, j.exit(), "java client exit code\n" + report),
          () -> assertEquals(SAMPLES, j.samples(), report));
      assertNtpdServerAuthenticated(srvStats, cap, report);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ntpdClientWithJavaServer(String label, String type, IpFamily family) throws Exception {
    String name = "auth-javasrv-" + label;
    Path runDir = runDir(name);
    int keyId = SymmetricKeyFiles.keyId(type);
    List<SymmetricKey> keys = SymmetricKeyFiles.generate(RANDOM);
    try (NetnsPair net = NetnsPair.open(name)) {
      Ntpd client = Ntpd.prepare(NtpdPairCase.CLIENT_HOST, runDir.resolve("client"), net.client());
      SymmetricKeyFiles.write(client.dir(), keys);
      Path serverKeys = SymmetricKeyFiles.write(
          Files.createDirectories(runDir.resolve("server")), keys);
      String srv = IpFamily.literal(net.server().address(family));
      client.configure(authConf(10).line(serverLine(srv, keyId)));
      NetnsProcess capture = net.server().capture(runDir.resolve("capture.pcap"));
      Path log = runDir.resolve("java-server.log");
      NetnsProcess java = startJavaServer(net, runDir, serverKeys, srv, log);
      long t0 = System.nanoTime();
      client.start(0);
      AuthWatch.Result w = AuthWatch.await(client, t0, Duration.ofSeconds(60), SAMPLES,
          java::isAlive);
      client.saveNtpqViews();
      Thread.sleep(1500); // tcpdump writes the last packets
      capture.close();
      CaptureCheck cap = checkCapture(runDir.resolve("capture.pcap"),
          net.server().address(family), SymmetricKeyFiles.read(serverKeys, Set.of(keyId)), keyId);
      String report = report(name, w, Map.of(), cap) + "\n" + Files.readString(log);
      InteropTable.record(row(type, family), InteropTable.Side.JAVA_SERVER, cell(w));
      Files.writeString(runDir.resolve("result.txt"), report);
      System.out.println("[interop-auth] " + report);
      assertNtpdClientAuthenticated(w, keyId, report);
      assertTrue(cap.authentic() >= SAMPLES && cap.others().isEmpty(),
          "Java server replies judged by our code\n" + report);
    }
  }

  /** Control: the Java client's key 1 has another value; ntpd must refuse it. */
  @Test
  void javaClientWithWrongKeyIsRefusedByNtpd() throws Exception {
    String name = "auth-control-javacli-wrongkey";
    Path runDir = runDir(name);
    List<SymmetricKey> keys = SymmetricKeyFiles.generate(RANDOM);
    try (NetnsPair net = NetnsPair.open(name)) {
      Ntpd server = Ntpd.prepare(NtpdPairCase.SERVER_HOST, runDir.resolve("server"), net.server());
      Path keysFile = SymmetricKeyFiles.write(server.dir(), keys);
      Path clientKeys = SymmetricKeyFiles.write(Files.createDirectories(runDir.resolve("client")),
          SymmetricKeyFiles.withWrongValue(keys, 1, RANDOM));
      server.configure(authConf(5));
      NetnsProcess capture = net.server().capture(runDir.resolve("capture.pcap"));
      server.start(0);
      server.awaitSynchronized(Duration.ofSeconds(20));
      JavaClientRun j = runJavaClientFor(net, runDir, IpFamily.IPV4, clientKeys, 1, 16);
      Map<String, Long> srvStats = counters(ntpdReport(server));
      Thread.sleep(1500); // tcpdump writes the last packets
      capture.close();
      CaptureCheck cap = checkCapture(runDir.resolve("capture.pcap"),
          net.server().address(IpFamily.IPV4), SymmetricKeyFiles.read(keysFile, Set.of(1)), 1);
      String report = "case " + name + "\n  java client exit " + j.exit() + ", samples "
          + j.samples() + "\n  ntpd server counters " + srvStats + "\n  capture " + cap + "\n"
          + j.log();
      Files.writeString(runDir.resolve("result.txt"), report);
      System.out.println("[interop-auth] " + report);
      InteropTable.record(CONTROL_ROW, InteropTable.Side.JAVA_CLIENT, j.samples() > 0 ? "PASSED?!"
          : "never (" + cap.fromSender() + " crypto-NAKs)");
      assertAll(
          () -> assertEquals(2, j.exit(), "java client must time out\n" + report),
          () -> assertEquals(0, j.samples(), report),
          // at least one request (a late-started client may send only one or two in its
          // window): ntpd refuses every one it got, and answers each with a crypto-NAK
          () -> assertTrue(srvStats.getOrDefault("authentication failed", 0L) >= 1,
              "ntpd counts the bad MACs\n" + report),
          () -> assertEquals(0, cap.authentic(), report),
          () -> assertTrue(cap.fromSender() >= 1 && cap.others().stream()
              .allMatch(o -> o.contains("(crypto-NAK)")), "ntpd answers crypto-NAKs\n" + report));
    }
  }

  /** Control: the ntpd client's key 1 has another value; it must never authenticate the Java server. */
  @Test
  void ntpdClientWithWrongKeyNeverAuthenticatesJavaServer() throws Exception {
    String name = "auth-control-javasrv-wrongkey";
    Path runDir = runDir(name);
    List<SymmetricKey> keys = SymmetricKeyFiles.generate(RANDOM);
    try (NetnsPair net = NetnsPair.open(name)) {
      Ntpd client = Ntpd.prepare(NtpdPairCase.CLIENT_HOST, runDir.resolve("client"), net.client());
      SymmetricKeyFiles.write(client.dir(), SymmetricKeyFiles.withWrongValue(keys, 1, RANDOM));
      Path serverKeys = SymmetricKeyFiles.write(
          Files.createDirectories(runDir.resolve("server")), keys);
      String srv = IpFamily.literal(net.server().address(IpFamily.IPV4));
      client.configure(authConf(10).line(serverLine(srv, 1)));
      Path log = runDir.resolve("java-server.log");
      NetnsProcess java = startJavaServer(net, runDir, serverKeys, srv, log);
      long t0 = System.nanoTime();
      client.start(0);
      AuthWatch.Result w = AuthWatch.await(client, t0, Duration.ofSeconds(24), SAMPLES,
          java::isAlive);
      client.saveNtpqViews();
      Thread.sleep(5500); // one more counter line of the Java server
      String javaLog = Files.readString(log);
      String report = report(name, w, Map.of(), null) + "\n" + javaLog;
      Files.writeString(runDir.resolve("result.txt"), report);
      System.out.println("[interop-auth] " + report);
      Matcher naks = Pattern.compile("cryptoNaks=(\\d+)").matcher(javaLog);
      long lastNaks = 0;
      while (naks.find()) {
        lastNaks = Long.parseLong(naks.group(1));
      }
      long nakCount = lastNaks;
      InteropTable.record(CONTROL_ROW, InteropTable.Side.JAVA_SERVER, w.authenticated()
          ? "PASSED?!" : "never (reach " + Integer.toOctalString(Math.max(0, w.reach())) + ")");
      assertAll(
          () -> assertFalse(w.authenticated(), report),
          () -> assertEquals(0, w.authenticatedSamples(), report),
          () -> assertEquals(0, w.reach(), "ntpd drops the crypto-NAKs\n" + report),
          () -> assertTrue(nakCount >= 3, "Java server answered crypto-NAKs\n" + report),
          () -> assertTrue(javaLog.contains("authentic=0,"), report));
    }
  }

  private static String cell(AuthWatch.Result w) {
    return w.authenticated() && w.authenticatedSamples() >= SAMPLES
        ? String.format(Locale.ROOT, "%.1f (sys.peer %.1f)", w.secondsToAuthenticated(),
            w.secondsToSysPeer()) : "never";
  }

  private static String report(String name, AuthWatch.Result w, Map<String, Long> srvStats,
      CaptureCheck cap) {
    return "case " + name + "\n  ntpd client: authenticated=" + w.authenticated() + " after "
        + w.secondsToAuthenticated() + " s, sys.peer after " + w.secondsToSysPeer()
        + " s\n  status=" + w.statusText() + " flash=" + w.flash() + " keyid=" + w.keyId()
        + " reach=" + Integer.toOctalString(Math.max(0, w.reach())) + "\n  peerstats: "
        + w.authenticatedSamples() + " authenticated, " + w.otherSamples() + " other"
        + "\n  timeline " + w.timeline()
        + (srvStats.isEmpty() ? "" : "\n  ntpd server counters " + srvStats)
        + (cap == null ? "" : "\n  capture " + cap);
  }

  private static void assertNtpdClientAuthenticated(AuthWatch.Result w, int keyId, String report) {
    assertAll(
        () -> assertTrue(w.authenticated(), "never authenticated and reachable\n" + report),
        () -> assertEquals(AuthWatch.CONF | AuthWatch.AUTHENB | AuthWatch.AUTH,
            w.status() & (AuthWatch.CONF | AuthWatch.AUTHENB | AuthWatch.AUTH),
            "status word\n" + report),
        () -> assertEquals(AuthWatch.SEL_SYSPEER, w.selection(), "not sys.peer\n" + report),
        () -> assertTrue(w.flash().startsWith("00 "), "flash\n" + report),
        () -> assertEquals(Integer.toString(keyId), w.keyId(), "keyid\n" + report),
        () -> assertTrue(w.reach() > 0, report),
        () -> assertTrue(w.authenticatedSamples() >= SAMPLES, report),
        () -> assertEquals(0, w.otherSamples(), "unauthenticated samples\n" + report));
  }

  private static void assertNtpdServerAuthenticated(Map<String, Long> c, CaptureCheck cap,
      String report) {
    assertAll(
        () -> assertEquals(0L, c.getOrDefault("authentication failed", -1L),
            "ntpd sysstats\n" + report),
        () -> assertTrue(c.getOrDefault("decryptions", 0L) >= SAMPLES, "decryptions\n" + report),
        () -> assertTrue(c.getOrDefault("encryptions", 0L) >= SAMPLES, "encryptions\n" + report),
        () -> assertTrue(cap.authentic() >= SAMPLES, "ntpd replies with our key\n" + report),
        () -> assertEquals(List.of(), cap.others(), "other ntpd replies\n" + report));
  }

  private static NetnsProcess startJavaServer(NetnsPair net, Path runDir, Path keys, String srv,
      Path log) throws Exception {
    NetnsProcess java = net.server().startJava("java auth server",
        NetSymmetricKeyServerMain.class.getName(), List.of("-Xmx96m"),
        List.of(keys.toString(), SymmetricKeyFiles.TRUSTED.replace(' ', ','), srv, "120"), runDir,
        log);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!(Files.exists(log) && Files.readString(log).contains("serving keys"))) {
      assertTrue(java.isAlive() && System.nanoTime() < deadline,
          "java server did not start: " + (Files.exists(log) ? Files.readString(log) : ""));
      Thread.sleep(100);
    }
    return java;
  }

  record JavaClientRun(int exit, int samples, String firstSeconds, String log) {}

  private static JavaClientRun runJavaClient(NetnsPair net, Path runDir, IpFamily family,
      Path keys, int keyId) throws Exception {
    return runJavaClientFor(net, runDir, family, keys, keyId, 60);
  }

  private static JavaClientRun runJavaClientFor(NetnsPair net, Path runDir, IpFamily family,
      Path keys, int keyId, int timeoutSeconds) throws Exception {
    Path log = runDir.resolve("java-client.log");
    NetnsProcess java = net.client().startJava("java auth client",
        NetSymmetricKeyClientMain.class.getName(), List.of("-Xmx96m"),
        List.of(keys.toString(), Integer.toString(keyId),
            IpFamily.literal(net.client().address(family)),
            IpFamily.literal(net.server().address(family)), Integer.toString(SAMPLES), "2000",
            Integer.toString(timeoutSeconds)), runDir, log);
    assertTrue(java.waitFor((timeoutSeconds + 20) * 1000L), "java client did not finish");
    String out = Files.readString(log);
    Matcher m = SAMPLE.matcher(out);
    int samples = 0;
    String first = "never";
    while (m.find()) {
      samples++;
      if (samples == 1) {
        first = m.group(1);
      }
    }
    return new JavaClientRun(java.exitCode(), samples, samples == 0 ? "never"
        : String.format(Locale.ROOT, "%.1f", Double.parseDouble(first)), out);
  }
}
