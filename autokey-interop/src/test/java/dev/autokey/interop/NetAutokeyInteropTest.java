package dev.autokey.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java Autokey side against the reference ntpd 4.2.8p15, both ways, with the same key files
 * the ntpd-to-ntpd cases use (written by {@link KeyMaterial}): the Java client ({@link Demo}
 * {@code --ntpd --keys}) in the client namespace against an ntpd server, and an ntpd client
 * against the Java server ({@link NetAutokeyServerMain}). Pass: all flags on the client side,
 * then 4 authenticated samples, and no error line in ntpd's cryptostats.
 */
@Tag("interop")
class NetAutokeyInteropTest {
  private static final Pattern ALL_FLAGS = Pattern.compile(
      "(\\d+\\.\\d+) s  ALL FLAGS lit: .*status word (0x[0-9a-f]+)");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("tc-v4", NtpKeygenKeys.tc(), IpFamily.IPV4, "MD5"),
        Arguments.of("tc-v6", NtpKeygenKeys.tc(), IpFamily.IPV6, "MD5"),
        Arguments.of("tc-sha1-v4", NtpKeygenKeys.tc(), IpFamily.IPV4, "SHA1"),
        Arguments.of("iff-v4", NtpKeygenKeys.iffRepaired(), IpFamily.IPV4, "MD5"),
        Arguments.of("iff-v6", OurIdentityKeys.of(Scheme.IFF), IpFamily.IPV6, "MD5"),
        Arguments.of("gq-v4", OurIdentityKeys.of(Scheme.GQ), IpFamily.IPV4, "MD5"),
        Arguments.of("gq-v6", OurIdentityKeys.of(Scheme.GQ), IpFamily.IPV6, "MD5"),
        Arguments.of("mv-v4", OurIdentityKeys.of(Scheme.MV), IpFamily.IPV4, "MD5"),
        Arguments.of("mv-v6", OurIdentityKeys.of(Scheme.MV), IpFamily.IPV6, "MD5"));
  }

  private static Ntpd[] prepare(String name, KeyMaterial keys, NetnsPair net, Path runDir)
      throws Exception {
    Ntpd server = Ntpd.prepare(NtpdPairCase.SERVER_HOST, runDir.resolve("server"), net.server());
    Ntpd client = Ntpd.prepare(NtpdPairCase.CLIENT_HOST, runDir.resolve("client"), net.client());
    String group = keys.scheme() == Scheme.TC ? null : NtpdPairCase.GROUP;
    keys.write(new KeyContext(server.keys(), runDir.resolve("exported"), client.keys(),
        runDir.resolve("keygen.log"), NtpdPairCase.SERVER_HOST, NtpdPairCase.SERVER_PW,
        NtpdPairCase.CLIENT_HOST, NtpdPairCase.CLIENT_PW, group));
    return new Ntpd[] {server, client};
  }

  private static Path runDir(String name) throws Exception {
    Path runDir = InteropEnv.runsDir().resolve(name);
    Files.createDirectories(runDir.resolve("exported"));
    return runDir;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void javaClientReachesAllFlagsWithNtpdServer(String label, KeyMaterial keys, IpFamily family,
      String digest) throws Exception {
    String name = "net-javacli-" + label;
    Path runDir = runDir(name);
    try (NetnsPair net = NetnsPair.open(name)) {
      Ntpd[] hosts = prepare(name, keys, net, runDir);
      Ntpd server = hosts[0];
      String group = keys.scheme() == Scheme.TC ? null : NtpdPairCase.GROUP;
      NtpConf sc = NtpConf.autokey(NtpdPairCase.SERVER_HOST, NtpdPairCase.SERVER_PW).orphan(5)
          .digest(digest);
      if (group != null) {
        sc.ident(group);
      }
      server.configure(sc);
      server.start(0);
      server.awaitSynchronized(Duration.ofSeconds(20));
      List<String> args = new ArrayList<>(List.of("--ntpd",
          IpFamily.literal(net.server().address(family)), "--keys",
          hosts[1].keys().toString(), "--host", NtpdPairCase.CLIENT_HOST, "--password",
          NtpdPairCase.CLIENT_PW, "--digest", digest, "--samples", "4", "--interval", "2000",
          "--timeout", "150"));
      if (group != null) {
        args.addAll(List.of("--ident", group));
      }
      Path log = runDir.resolve("java-client.log");
      NetnsProcess java = net.client().startJava("java client", Demo.class.getName(),
          List.of("-Xmx128m"), args, runDir, log);
      assertTrue(java.waitFor(175_000), "java client did not finish");
      server.saveNtpqViews();
      String out = Files.readString(log);
      Matcher m = ALL_FLAGS.matcher(out);
      List<String> errors = server.cryptostatsErrors();
      String row = String.format(Locale.ROOT, "| Java client -> ntpd server | %s | %s | %s | %s |"
          + " %s |", keys.scheme(), family, digest, keys.description(),
          m.find() ? m.group(1) + " s (" + m.group(2) + ")" : "never");
      System.out.println("[interop-net] " + row);
      InteropTable.recordAutokey(keys.scheme(), family, digest, keys.description(),
          InteropTable.Side.JAVA_CLIENT, m.find(0)
              ? String.format(Locale.ROOT, "%.1f", Double.parseDouble(m.group(1))) : "never");
      Files.writeString(runDir.resolve("result.txt"), row + "\n" + out);
      assertEquals(0, java.exitCode(), out);
      assertTrue(out.contains("sample 4: offset"), out);
      assertTrue(errors.isEmpty(), "ntpd cryptostats errors: " + errors);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ntpdClientReachesAllFlagsWithJavaServer(String label, KeyMaterial keys, IpFamily family,
      String digest) throws Exception {
    String name = "net-javasrv-" + label;
    Path runDir = runDir(name);
    try (NetnsPair net = NetnsPair.open(name)) {
      Ntpd[] hosts = prepare(name, keys, net, runDir);
      Ntpd client = hosts[1];
      String group = keys.scheme() == Scheme.TC ? null : NtpdPairCase.GROUP;
      String srv = IpFamily.literal(net.server().address(family));
      Path log = runDir.resolve("java-server.log");
      NetnsProcess java = net.server().startJava("java server",
          NetAutokeyServerMain.class.getName(), List.of("-Xmx128m"),
          List.of(hosts[0].keys().toString(), NtpdPairCase.SERVER_HOST, NtpdPairCase.SERVER_PW,
              group == null ? "-" : group, digest, srv, "200"), runDir, log);
      NtpConf cc = NtpConf.autokey(NtpdPairCase.CLIENT_HOST, NtpdPairCase.CLIENT_PW).orphan(10)
          .digest(digest).server(srv, group, 3);
      if (group != null) {
        cc.ident(group);
      }
      client.configure(cc);
      Thread.sleep(1500); // JVM start-up
      long t0 = System.nanoTime();
      client.start(0);
      FlagWatch.Result w = FlagWatch.await(client, t0, Duration.ofSeconds(150), 3, 4,
          java::isAlive);
      client.saveNtpqViews();
      // ntpd's own short-challenge defect (docs/protocol.md §9.6) is tolerated as in the ntpd
      // pairs: at most two 10e lines on an identity response, then success
      List<String> clientLines = CryptoStats.lines(client.cryptostats());
      List<String> defect = CryptoStats.challengeDefectLines(clientLines);
      List<String> errors = CryptoStats.errorLines(clientLines).stream()
          .filter(l -> !defect.contains(l)).toList();
      String row = String.format(Locale.ROOT, "| ntpd client -> Java server | %s | %s | %s | %s |"
          + " %s |", keys.scheme(), family, digest, keys.description(),
          w.complete() ? String.format(Locale.ROOT, "%.1f s (0x%x)", w.seconds(), w.flags())
              : "never (0x" + Integer.toHexString(w.flags()) + ")");
      System.out.println("[interop-net] " + row);
      InteropTable.recordAutokey(keys.scheme(), family, digest, keys.description(),
          InteropTable.Side.JAVA_SERVER,
          w.complete() ? String.format(Locale.ROOT, "%.1f", w.seconds()) : "never");
      Files.writeString(runDir.resolve("result.txt"), row + "\n" + String.join("\n", w.timeline())
          + "\n" + Files.readString(log));
      assertTrue(w.complete(), "ntpd client never lit all flags: " + w.timeline() + "\n"
          + client.logTail(30) + "\n" + Files.readString(log));
      assertTrue(w.authenticatedAfter() >= 4, "authenticated samples " + w);
      assertTrue(errors.isEmpty(), "ntpd cryptostats errors: " + errors);
    }
  }
}
