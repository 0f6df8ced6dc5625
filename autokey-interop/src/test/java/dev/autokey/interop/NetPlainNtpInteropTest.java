package dev.autokey.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The minimal NTP of autokey-net against the reference ntpd 4.2.8p15, both ways, IPv4 and IPv6,
 * without authentication (the Autokey cases build on this): the Java client takes samples from
 * ntpd, and ntpd selects the Java server as its system peer.
 */
@Tag("interop")
class NetPlainNtpInteropTest {
  private static final Pattern SAMPLE = Pattern.compile(
      "sample (\\d+) t=\\S+ offset=(\\S+)s delay=(\\S+)s mode=(\\d) stratum=(\\d+) refid=(\\S+)"
          + " leap=(\\d) source=(\\S+) local=(\\S+)");

  @ParameterizedTest(name = "{0}")
  @EnumSource(IpFamily.class)
  void javaClientTakesSamplesFromNtpd(IpFamily family) throws Exception {
    String name = "net-plain-client-" + family.name().toLowerCase(Locale.ROOT);
    Path dir = InteropEnv.runsDir().resolve(name);
    Files.createDirectories(dir);
    try (NetnsPair net = NetnsPair.open(name)) {
      Ntpd server = Ntpd.prepare("server", dir.resolve("server"), net.server());
      server.configure(NtpConf.plain().orphan(5));
      server.start(0);
      server.awaitSynchronized(Duration.ofSeconds(20));
      String srv = IpFamily.literal(net.server().address(family));
      String cli = IpFamily.literal(net.client().address(family));
      Path log = dir.resolve("java-client.log");
      NetnsProcess p = net.client().startJava("java client", NetClientMain.class.getName(),
          List.of("-Xmx64m"), List.of(cli, srv, "6", "1000"), dir, log);
      assertTrue(p.waitFor(60_000), "java client did not finish");
      String out = Files.readString(log);
      System.out.println("[interop] " + name + ":\n" + out.trim());
      assertEquals(0, p.exitCode(), out);
      Matcher m = SAMPLE.matcher(out);
      int n = 0;
      while (m.find()) {
        n++;
        double offset = Double.parseDouble(m.group(2));
        double delay = Double.parseDouble(m.group(3));
        // both daemons read the same kernel clock: the offset is the measurement error only.
        // Bounds leave room for load: with the whole interop profile running (2 cores, about 25
        // live cases at once) a fresh JVM's samples measured a delay of 54 ms.
        assertTrue(Math.abs(offset) < 0.25, "offset " + offset);
        assertTrue(delay >= 0 && delay < 0.5, "delay " + delay);
        assertEquals("4", m.group(4));
        assertEquals("5", m.group(5)); // ntpd in orphan mode, stratum 5
        assertEquals("0", m.group(7));
        assertEquals(srv, m.group(8));
        assertEquals(cli, m.group(9));
      }
      assertEquals(6, n, out);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(IpFamily.class)
  void ntpdSelectsTheJavaServer(IpFamily family) throws Exception {
    String name = "net-plain-server-" + family.name().toLowerCase(Locale.ROOT);
    Path dir = InteropEnv.runsDir().resolve(name);
    Files.createDirectories(dir);
    try (NetnsPair net = NetnsPair.open(name)) {
      String srv = IpFamily.literal(net.server().address(family));
      Path log = dir.resolve("java-server.log");
      NetnsProcess java = net.server().startJava("java server", NetServerMain.class.getName(),
          List.of("-Xmx64m"), List.of(srv, "3", "120"), dir, log);
      Ntpd client = Ntpd.prepare("client", dir.resolve("client"), net.client());
      client.configure(NtpConf.plain().orphan(10)
          .line("server " + srv + " iburst minpoll 3 maxpoll 3"));
      long t0 = System.nanoTime();
      client.start(0);
      Optional<NtpqAssociation> peer = Optional.empty();
      long deadline = t0 + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline && peer.isEmpty()) {
        Thread.sleep(500);
        assertTrue(java.isAlive(), "java server died: " + Files.readString(log));
        peer = client.associations().stream()
            .filter(a -> a.condition().equals("sys.peer")).findFirst();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      client.saveNtpqViews();
      assertTrue(peer.isPresent(), "ntpd never selected the Java server: "
          + client.ntpq("associations") + "\n" + client.logTail(20));
      NtpqVars v = client.peerVars(peer.get().assid());
      System.out.printf(Locale.ROOT, "[interop] %s: ntpd selected the Java server after %.1f s: "
          + "%s%n", name, seconds, v);
      assertEquals(Optional.of("3"), v.get("stratum"), v.toString());
      // ntpq prints a stratum >= 2 reference ID as an address: "LOCL" = 76.79.67.76
      assertEquals(Optional.of("76.79.67.76"), v.get("refid"), v.toString());
      assertTrue(v.get("srcadr").orElse("").equals(srv), v.toString());
      NtpqVars sys = client.sysVars();
      assertEquals(Optional.of("4"), sys.get("stratum"), sys.toString());
      assertTrue(Files.readString(log).contains("serving on"), Files.readString(log));
    }
  }
}
