package dev.autokey.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * Autokey broadcast mode on the wire against the reference ntpd 4.2.8p15, IPv4 (IPv6 has no
 * broadcast; ntpd would use multicast, not done here), in both directions:
 *
 * <ul>
 *   <li>ntpd broadcast server ({@code broadcast BCAST autokey minpoll 3}) to the Java broadcast
 *       client ({@link NetBroadcastClientMain}): the Java client reaches all seven flags in its
 *       unicast volley and then keeps verifying ntpd's broadcasts by key-ID hashing (at least 4
 *       after the volley, each independently rechecked against the chain).
 *   <li>Java broadcast server ({@link NetBroadcastServerMain}) to the ntpd broadcast client
 *       ({@code broadcastclient}): ntpd completes its volley against the Java server (flags word
 *       contains 0x7f00 while reachable) and afterwards drops every broadcast because of its
 *       "Wanted keyID" check (bug 3454, 4.2.8p11 and later). The case asserts what ntpd itself
 *       shows: its debug trace ({@code -D 2}) names the Java server's broadcast key IDs as
 *       dropped and the client's own last volley key ID ({@code ntpq rv keyid}) as wanted, the
 *       {@code restricted} counter of {@code ntpq sysstats} grows, and no broadcast becomes a
 *       peerstats sample.
 *   <li>ntpd to ntpd (TC) as the reference: the same drop, from ntpd's own broadcast server.
 * </ul>
 */
@Tag("interop")
class NetBroadcastInteropTest {
  /** Broadcasts to observe after ntpd's volley, 8 s apart. */
  static final int OBSERVED_BROADCASTS = 5;
  private static final Pattern ALL_FLAGS = Pattern.compile(
      "(\\d+\\.\\d+) s  ALL FLAGS lit: status word (0x[0-9a-f]+)");
  private static final Pattern WANTED = Pattern.compile(
      "receive: drop: Wanted keyID (-?\\d+), got (-?\\d+) from (\\S+)");
  private static final Pattern PROCPKT = Pattern.compile(
      "receive: at \\d+ \\S+<-(\\S+) mode 5/broadcast:AM_PROCPKT keyid ([0-9a-f]{8}) len \\d+"
          + " auth (\\d)");
  private static final Pattern JAVA_BROADCAST = Pattern.compile(
      "broadcast \\d+ t=\\S+ keyid=([0-9a-f]{8}) field=(\\S+)");

  static Stream<Arguments> schemes() {
    return Stream.of(
        Arguments.of("tc", NtpKeygenKeys.tc()),
        Arguments.of("iff", NtpKeygenKeys.iffRepaired()),
        Arguments.of("gq", OurIdentityKeys.of(Scheme.GQ)),
        Arguments.of("mv", OurIdentityKeys.of(Scheme.MV)));
  }

  private static Path runDir(String name) throws Exception {
    Path runDir = InteropEnv.runsDir().resolve(name);
    Files.createDirectories(runDir.resolve("exported"));
    return runDir;
  }

  private static String group(KeyMaterial keys) {
    return keys.scheme() == Scheme.TC ? null : NtpdPairCase.GROUP;
  }

  private static Ntpd[] prepare(KeyMaterial keys, NetnsPair net, Path runDir) throws Exception {
    Ntpd server = Ntpd.prepare(NtpdPairCase.SERVER_HOST, runDir.resolve("server"), net.server());
    Ntpd client = Ntpd.prepare(NtpdPairCase.CLIENT_HOST, runDir.resolve("client"), net.client());
    keys.write(new KeyContext(server.keys(), runDir.resolve("exported"), client.keys(),
        runDir.resolve("keygen.log"), NtpdPairCase.SERVER_HOST, NtpdPairCase.SERVER_PW,
        NtpdPairCase.CLIENT_HOST, NtpdPairCase.CLIENT_PW, group(keys)));
    return new Ntpd[] {server, client};
  }

  private static NtpConf broadcastServerConf(NetnsPair net, String group) {
    NtpConf sc = NtpConf.autokey(NtpdPairCase.SERVER_HOST, NtpdPairCase.SERVER_PW).orphan(5)
        .line("broadcast " + net.server().ipv4Broadcast().getHostAddress()
            + " autokey minpoll 3");
    if (group != null) {
      sc.ident(group);
    }
    return sc;
  }

  private static NtpConf broadcastClientConf(String group) {
    NtpConf cc = NtpConf.autokey(NtpdPairCase.CLIENT_HOST, NtpdPairCase.CLIENT_PW).orphan(10);
    if (group != null) {
      cc.ident(group).line("ident " + group);
    }
    return cc.line("broadcastclient");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void javaBroadcastClientVerifiesNtpdBroadcastsAfterTheVolley(String label, KeyMaterial keys)
      throws Exception {
    String name = "bcast-ntpdsrv-javacli-" + label;
    Path runDir = runDir(name);
    try (NetnsPair net = NetnsPair.open(name)) {
      Netns.writeAll(runDir.resolve("network.txt"), net + "\n");
      Ntpd[] hosts = prepare(keys, net, runDir);
      Ntpd server = hosts[0];
      String group = group(keys);
      server.configure(broadcastServerConf(net, group));
      NetnsProcess capture = net.server().capture(runDir.resolve("capture.pcap"));
      server.start(0);
      server.awaitSynchronized(Duration.ofSeconds(20));
      Path log = runDir.resolve("java-client.log");
      NetnsProcess java = net.client().startJava("java broadcast client",
          NetBroadcastClientMain.class.getName(), List.of("-Xmx128m"),
          List.of(hosts[1].keys().toString(), NtpdPairCase.CLIENT_HOST, NtpdPairCase.CLIENT_PW,
              group == null ? "-" : group, net.client().ipv4().getHostAddress(),
              net.client().ipv4Broadcast().getHostAddress(), "4", "150"), runDir, log);
      assertTrue(java.waitFor(175_000), "java broadcast client did not finish");
      server.saveNtpqViews();
      server.stop();
      capture.close();
      String out = Files.readString(log);
      Matcher m = ALL_FLAGS.matcher(out);
      boolean complete = m.find();
      double secs = complete ? Double.parseDouble(m.group(1)) : Double.NaN;
      int flags = complete ? Integer.parseUnsignedInt(m.group(2).substring(2), 16) : 0;
      long verified = out.lines().filter(l -> l.startsWith("verified broadcast ")).count();
      long hashed = out.lines().filter(l -> l.startsWith("verified broadcast ")
          && l.contains("hashes to the previous key ID")).count();
      PairResult r = new PairResult(name + " (ntpd broadcast server -> Java broadcast client;"
          + " auth column: broadcasts verified after the volley)", IpFamily.IPV4, keys.scheme(),
          keys.description(), complete, secs, flags, 0, complete, (int) verified, 0,
          server.cryptostatsErrors(), List.of(), List.of(),
          out.lines().filter(l -> l.startsWith("mobilised") || l.contains("ALL FLAGS")
              || l.startsWith("verified broadcast") || l.startsWith("done:")).toList(),
          List.of(), CaptureSummary.of(runDir.resolve("capture.pcap")), runDir);
      InteropReport.add(r); // combined table: row "broadcast (volley)", Java client column
      Files.writeString(runDir.resolve("result.txt"), r.report() + "\n\n" + out);
      assertEquals(0, java.exitCode(), out);
      assertTrue(complete, out);
      assertEquals(0x7f00, flags & 0x7f00, out);
      assertEquals(keys.scheme().statusBit(), AutokeyFlags.schemeBits(flags), out);
      assertTrue(verified >= 4 && hashed >= 4, "broadcasts verified by key-ID hashing after the"
          + " volley: " + hashed + " of " + verified + "\n" + out);
      assertEquals(List.of(), server.cryptostatsErrors(), "ntpd server cryptostats");
      assertEquals(List.of(), r.capture().undecodable());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void ntpdBroadcastClientCompletesVolleyWithJavaServerThenDropsItsBroadcasts(String label,
      KeyMaterial keys) throws Exception {
    String name = "bcast-javasrv-ntpdcli-" + label;
    Path runDir = runDir(name);
    try (NetnsPair net = NetnsPair.open(name)) {
      Netns.writeAll(runDir.resolve("network.txt"), net + "\n");
      Ntpd[] hosts = prepare(keys, net, runDir);
      Ntpd client = hosts[1];
      String group = group(keys);
      Path log = runDir.resolve("java-server.log");
      NetnsProcess capture = net.server().capture(runDir.resolve("capture.pcap"));
      NetnsProcess java = net.server().startJava("java broadcast server",
          NetBroadcastServerMain.class.getName(), List.of("-Xmx128m"),
          List.of(hosts[0].keys().toString(), NtpdPairCase.SERVER_HOST, NtpdPairCase.SERVER_PW,
              group == null ? "-" : group, net.server().ipv4().getHostAddress(),
              net.server().ipv4Broadcast().getHostAddress(), "200"), runDir, log);
      client.configure(broadcastClientConf(group));
      Thread.sleep(1500); // JVM start-up
      long t0 = System.nanoTime();
      client.start(2);
      Evidence ev = watchNtpdBroadcastClient(client, t0, java::isAlive);
      client.saveNtpqViews();
      client.stop();
      java.close();
      capture.close();
      String javaLog = Files.readString(log);
      Set<Integer> sent = new LinkedHashSet<>();
      Matcher jm = JAVA_BROADCAST.matcher(javaLog);
      while (jm.find()) {
        sent.add(Integer.parseUnsignedInt(jm.group(1), 16));
      }
      finish(name + " (Java broadcast server -> ntpd broadcast client; auth column: ntpd's"
          + " authenticated samples after the volley)", keys, net, runDir, client, ev, sent,
          javaLog);
    }
  }

  @Test
  void ntpdBroadcastClientDropsNtpdBroadcastsAfterTheVolleyToo() throws Exception {
    KeyMaterial keys = NtpKeygenKeys.tc();
    String name = "bcast-ntpdsrv-ntpdcli-tc";
    Path runDir = runDir(name);
    try (NetnsPair net = NetnsPair.open(name)) {
      Netns.writeAll(runDir.resolve("network.txt"), net + "\n");
      Ntpd[] hosts = prepare(keys, net, runDir);
      Ntpd server = hosts[0];
      Ntpd client = hosts[1];
      server.configure(broadcastServerConf(net, null));
      client.configure(broadcastClientConf(null));
      NetnsProcess capture = net.server().capture(runDir.resolve("capture.pcap"));
      server.start(2);
      server.awaitSynchronized(Duration.ofSeconds(20));
      long t0 = System.nanoTime();
      client.start(2);
      Evidence ev = watchNtpdBroadcastClient(client, t0, server::isRunning);
      client.saveNtpqViews();
      server.saveNtpqViews();
      client.stop();
      server.stop();
      capture.close();
      // the server's broadcast key IDs, from its own trace of each transmission
      Set<Integer> sent = new LinkedHashSet<>();
      Matcher sm = Pattern.compile("peer_xmit: at \\d+ \\S+->(\\S+) mode 5 keyid ([0-9a-f]{8})")
          .matcher(Files.readString(server.dir().resolve("ntpd-stdout.txt")));
      while (sm.find()) {
        sent.add(Integer.parseUnsignedInt(sm.group(2), 16));
      }
      finish(name + " (reference: ntpd broadcast server -> ntpd broadcast client)", keys, net,
          runDir, client, ev, sent, "");
    }
  }

  /** What the ntpd broadcast client showed: the flag watch, then the views after the volley. */
  record Evidence(FlagWatch.Result watch, NtpqVars atComplete, NtpqVars atEnd,
      long restrictedAtComplete, long restrictedAtEnd, List<String> dropsAtComplete,
      List<String> dropsAtEnd, int samplesAfter) {}

  private static Evidence watchNtpdBroadcastClient(Ntpd client, long t0,
      java.util.function.BooleanSupplier othersAlive) throws Exception {
    FlagWatch.Result w = FlagWatch.await(client, t0, Duration.ofSeconds(150), 3, 0,
        othersAlive);
    NtpqVars at = w.assid() == 0 ? NtpqVars.parse("") : client.peerVars(w.assid());
    long restricted0 = restricted(client);
    List<String> drops0 = drops(client);
    double completeEpoch = System.currentTimeMillis() / 1000.0;
    if (w.complete()) {
      Thread.sleep(Duration.ofSeconds(8L * OBSERVED_BROADCASTS + 4).toMillis());
    }
    NtpqVars end = w.assid() == 0 ? NtpqVars.parse("") : client.peerVars(w.assid());
    long restricted1 = restricted(client);
    List<String> drops1 = drops(client);
    int after = 0;
    for (PeerStats.Sample s : PeerStats.read(client.dir().resolve("stats/peerstats"))) {
      if (s.epochSeconds() > completeEpoch && s.authenticated()) {
        after++;
      }
    }
    Netns.writeAll(client.dir().resolve("ntpq-sysstats.txt"), client.ntpq("sysstats"));
    return new Evidence(w, at, end, restricted0, restricted1, drops0, drops1, after);
  }

  private static long restricted(Ntpd ntpd) {
    Matcher m = Pattern.compile("(?m)^restricted:\\s+(\\d+)").matcher(ntpd.ntpq("sysstats"));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static List<String> drops(Ntpd ntpd) throws Exception {
    Path trace = ntpd.dir().resolve("ntpd-stdout.txt");
    if (!Files.exists(trace)) {
      return List.of();
    }
    return Files.readAllLines(trace).stream().filter(l -> WANTED.matcher(l).find()).toList();
  }

  private static void finish(String title, KeyMaterial keys, NetnsPair net, Path runDir,
      Ntpd client, Evidence ev, Set<Integer> sentKeyIds, String otherLog) throws Exception {
    FlagWatch.Result w = ev.watch();
    String server = net.server().ipv4().getHostAddress();
    List<String> newDrops = ev.dropsAtEnd().subList(Math.min(ev.dropsAtComplete().size(),
        ev.dropsAtEnd().size()), ev.dropsAtEnd().size());
    long wantedKey = Long.decode(ev.atEnd().get("keyid").orElse("0"));
    int ofServer = 0;
    int wantedOwnKey = 0;
    int gotSentKey = 0;
    int macOk = 0;
    java.util.Map<Integer, String> authOf = new java.util.HashMap<>();
    Path trace = client.dir().resolve("ntpd-stdout.txt");
    if (Files.exists(trace)) {
      Matcher pm = PROCPKT.matcher(Files.readString(trace));
      while (pm.find()) {
        authOf.put(Integer.parseUnsignedInt(pm.group(2), 16), pm.group(3));
      }
    }
    Set<Long> wantedSeen = new LinkedHashSet<>();
    for (String l : newDrops) {
      Matcher m = WANTED.matcher(l);
      if (m.find() && m.group(3).equals(server)) {
        ofServer++;
        long wanted = Integer.parseInt(m.group(1)) & 0xFFFF_FFFFL;
        wantedSeen.add(wanted);
        if (wanted == wantedKey) {
          wantedOwnKey++;
        }
        if (sentKeyIds.contains(Integer.parseInt(m.group(2)))) {
          gotSentKey++;
        }
        if ("1".equals(authOf.get(Integer.parseInt(m.group(2))))) {
          macOk++;
        }
      }
    }
    List<String> evidence = new ArrayList<>(w.timeline());
    evidence.add(String.format(Locale.ROOT, "after all flags, %d s observed: %d 'Wanted keyID'"
        + " drops of %s broadcasts (wanted %s = ntpq keyid 0x%08x in %d; got one of the"
        + " server's sent broadcast key IDs in %d; MAC verified by ntpd, 'auth 1', in %d); sysstats restricted %d -> %d; authenticated"
        + " peerstats samples after the volley: %d; rv at all flags: hmode=%s reach=%s keyid=%s;"
        + " rv at the end: hmode=%s reach=%s keyid=%s flags=%s",
        8 * OBSERVED_BROADCASTS + 4, ofServer, server, wantedSeen.stream()
            .map(x -> String.format(Locale.ROOT, "%08x", x)).toList(), wantedKey, wantedOwnKey,
        gotSentKey, macOk, ev.restrictedAtComplete(), ev.restrictedAtEnd(), ev.samplesAfter(),
        ev.atComplete().get("hmode").orElse("?"), ev.atComplete().get("reach").orElse("?"),
        ev.atComplete().get("keyid").orElse("?"), ev.atEnd().get("hmode").orElse("?"),
        ev.atEnd().get("reach").orElse("?"), ev.atEnd().get("keyid").orElse("?"),
        ev.atEnd().get("flags").orElse("?")));
    List<String> clientLines = CryptoStats.lines(client.cryptostats());
    // ntpd's own short-challenge defect (docs/protocol.md §9.6) is tolerated here as in the
    // client/server pairs: at most two 10e lines on an identity response, then success
    List<String> defect = CryptoStats.challengeDefectLines(clientLines);
    PairResult r = new PairResult(title, IpFamily.IPV4, keys.scheme(), keys.description(),
        w.complete(), w.seconds(), w.flags(), w.reach(), w.reachable(), ev.samplesAfter(), 0,
        List.of(), CryptoStats.errorLines(clientLines).stream()
            .filter(l -> !defect.contains(l)).toList(), defect, evidence,
        CryptoStats.steps(clientLines), CaptureSummary.of(runDir.resolve("capture.pcap")),
        runDir);
    InteropReport.add(r); // combined table: row "broadcast (volley)", column by case name
    Netns.writeAll(runDir.resolve("timeline.txt"), String.join("\n", evidence) + "\n");
    Netns.writeAll(runDir.resolve("drops.txt"), String.join("\n", newDrops) + "\n");
    Files.writeString(runDir.resolve("result.txt"), r.report() + "\n" + otherLog);
    String ctx = "\n" + r.report() + "\n" + client.logTail(30);
    assertTrue(w.complete(), "ntpd broadcast client never lit all flags" + ctx);
    assertEquals(0x7f00, w.flags() & 0x7f00, ctx);
    assertEquals(keys.scheme().statusBit(), AutokeyFlags.schemeBits(w.flags()), ctx);
    assertEquals(List.of(), r.clientErrors(), "ntpd client cryptostats" + ctx);
    // ntpd's defect, as ntpd itself shows it
    assertTrue(ofServer >= OBSERVED_BROADCASTS - 1, "'Wanted keyID' drops after the volley: "
        + ofServer + ctx);
    assertEquals(ofServer, wantedOwnKey, "every drop wants the association's own key ID" + ctx);
    assertEquals(ofServer, gotSentKey, "every dropped key ID is one the server broadcast" + ctx);
    assertEquals(ofServer, macOk, "ntpd verified each dropped broadcast's MAC first" + ctx);
    assertTrue(ev.restrictedAtEnd() - ev.restrictedAtComplete() >= ofServer,
        "sysstats restricted grows with each drop" + ctx);
    assertEquals(0, ev.samplesAfter(), "no broadcast became a sample" + ctx);
    assertEquals(List.of(), r.capture().undecodable());
  }
}
