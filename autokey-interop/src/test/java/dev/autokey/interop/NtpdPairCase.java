package dev.autokey.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One live case: a reference ntpd server and a reference ntpd client ({@code server ADDR
 * autokey [ident G] iburst minpoll P maxpoll P}) in two namespaces, with key folders written by
 * a {@link KeyMaterial}. Passing is judged from ntpd's own view: the client association's flags
 * word contains 0x7f00 (CERT VRFY PROV COOK AUTO SIGN LEAP) while it is reachable, the scheme bit
 * of the server's status is the one expected, further samples are authenticated, and neither
 * cryptostats shows an error line.
 *
 * <p>Run folder: {@code <runs>/<name>/} with {@code server/} and {@code client/} (ntp.conf,
 * keys/, stats/, ntpd.log, ntpq views), {@code exported/}, {@code keygen.log},
 * {@code capture.pcap} (UDP port 123 on the server's veth end),
 * {@code timeline.txt} and {@code result.txt}.
 */
public final class NtpdPairCase {
  /** Host names and passwords used in every case (as in the reference lab). */
  public static final String SERVER_HOST = "server";
  /** Server key-file password. */
  public static final String SERVER_PW = "serverpw";
  /** Client host name. */
  public static final String CLIENT_HOST = "client";
  /** Client key-file password. */
  public static final String CLIENT_PW = "clientpw";
  /** Identity group of IFF/GQ/MV cases. */
  public static final String GROUP = "labgroup";

  private final String name;
  private final KeyMaterial keys;
  private IpFamily family = IpFamily.IPV4;
  private Duration timeout = Duration.ofSeconds(120);
  private int poll = 3;
  private int authenticatedSamples = 2;
  private int debug;
  private String digest;

  private NtpdPairCase(String name, KeyMaterial keys) {
    this.name = name;
    this.keys = keys;
  }

  /** A case named {@code name} (also its run folder) with key folders from {@code keys}. */
  public static NtpdPairCase of(String name, KeyMaterial keys) {
    return new NtpdPairCase(name, keys);
  }

  /** Address family of the client's {@code server} line (default IPv4). */
  public NtpdPairCase family(IpFamily f) {
    this.family = f;
    return this;
  }

  /** Time limit for all flags (default 120 s). */
  public NtpdPairCase timeout(Duration t) {
    this.timeout = t;
    return this;
  }

  /** log2 poll interval for minpoll and maxpoll (default 3 = 8 s, ntpd's smallest). */
  public NtpdPairCase poll(int log2) {
    this.poll = log2;
    return this;
  }

  /** Authenticated samples to wait for after all flags (default 2; 0 = stop at all flags). */
  public NtpdPairCase authenticatedSamples(int n) {
    this.authenticatedSamples = n;
    return this;
  }

  /** ntpd debug level for both daemons (trace in ntpd-stdout.txt). */
  public NtpdPairCase debug(int level) {
    this.debug = level;
    return this;
  }

  /** Session digest ({@code crypto digest D}) on both hosts; default MD5. */
  public NtpdPairCase digest(String d) {
    this.digest = d;
    return this;
  }

  /** Runs the case and returns what ntpd showed; never throws for a merely failed exchange. */
  public PairResult run() throws Exception {
    Path runDir = InteropEnv.runsDir().resolve(name);
    deleteTree(runDir);
    Files.createDirectories(runDir.resolve("exported"));
    try (NetnsPair net = NetnsPair.open(name)) {
      Netns.writeAll(runDir.resolve("network.txt"), net + "\n");
      Ntpd server = Ntpd.prepare(SERVER_HOST, runDir.resolve("server"), net.server());
      Ntpd client = Ntpd.prepare(CLIENT_HOST, runDir.resolve("client"), net.client());
      String group = keys.scheme() == Scheme.TC ? null : GROUP;
      keys.write(
          new KeyContext(server.keys(), runDir.resolve("exported"), client.keys(),
              runDir.resolve("keygen.log"), SERVER_HOST, SERVER_PW, CLIENT_HOST, CLIENT_PW,
              group));
      NtpConf sc = NtpConf.autokey(SERVER_HOST, SERVER_PW).orphan(5)
          .line("# serves the client; no association of its own");
      NtpConf cc = NtpConf.autokey(CLIENT_HOST, CLIENT_PW).orphan(10)
          .server(IpFamily.literal(net.server().address(family)), group, poll);
      if (group != null) {
        sc.ident(group);
        cc.ident(group);
      }
      if (digest != null) {
        sc.digest(digest);
        cc.digest(digest);
      }
      server.configure(sc);
      client.configure(cc);

      NetnsProcess capture = net.server().capture(runDir.resolve("capture.pcap"));
      server.start(debug);
      server.awaitSynchronized(Duration.ofSeconds(20));
      long t0 = System.nanoTime();
      client.start(debug);
      FlagWatch.Result w =
          FlagWatch.await(client, t0, timeout, poll, authenticatedSamples, server::isRunning);

      server.saveNtpqViews();
      client.saveNtpqViews();
      server.stop();
      client.stop();
      capture.close();
      List<String> clientLines = CryptoStats.lines(client.cryptostats());
      List<String> clientErrors = CryptoStats.errorLines(clientLines);
      List<String> defect = CryptoStats.challengeDefectLines(clientLines);
      PairResult r =
          new PairResult(
              name,
              family,
              keys.scheme(),
              keys.description() + (digest == null ? "" : ", session digest " + digest),
              w.complete(),
              w.seconds(),
              w.flags(),
              w.reach(),
              w.reachable(),
              w.authenticatedAfter(),
              w.unauthenticatedAfter(),
              server.cryptostatsErrors(),
              clientErrors.stream().filter(l -> !defect.contains(l)).toList(),
              defect,
              w.timeline(),
              CryptoStats.steps(clientLines),
              CaptureSummary.of(runDir.resolve("capture.pcap")),
              runDir);
      Netns.writeAll(runDir.resolve("timeline.txt"),
          "# seconds since client start, client association flags, reach (octal)\n"
              + String.join("\n", w.timeline()) + "\n");
      Netns.writeAll(runDir.resolve("result.txt"), r.report() + "\n");
      return r;
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
