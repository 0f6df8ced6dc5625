package dev.autokey.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The harness path the Java-side cases use: a JVM started in the client namespace
 * ({@link Netns#startJava}) exchanges NTP with a reference ntpd in the server namespace, over
 * IPv4 and IPv6.
 */
@Tag("interop")
class JavaInNamespaceInteropTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(IpFamily.class)
  void javaProcessInNamespaceGetsAnswerFromNtpd(IpFamily family) throws Exception {
    String name = "java-probe-" + family.name().toLowerCase(java.util.Locale.ROOT);
    Path dir = InteropEnv.runsDir().resolve(name);
    Files.createDirectories(dir);
    try (NetnsPair net = NetnsPair.open(name)) {
      Ntpd server = Ntpd.prepare("server", dir.resolve("server"), net.server());
      server.configure(NtpConf.plain().orphan(5));
      server.start(0);
      server.awaitSynchronized(Duration.ofSeconds(20));
      Path log = dir.resolve("probe.log");
      NetnsProcess probe = net.client().startJava("probe", NtpProbe.class.getName(),
          List.of("-Xmx64m"), List.of(IpFamily.literal(net.server().address(family))), dir, log);
      assertTrue(probe.waitFor(30_000), "probe did not finish");
      String out = Files.readString(log);
      System.out.println("[interop] " + name + ": " + out.trim());
      assertEquals(0, probe.exitCode(), out);
      assertTrue(out.contains("mode=4 stratum=5"), out);
      assertTrue(out.contains("reply from " + IpFamily.literal(net.server().address(family))), out);
    }
  }
}
