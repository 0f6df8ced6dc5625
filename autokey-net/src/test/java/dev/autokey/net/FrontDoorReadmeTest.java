package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.crypto.identity.KeyFolderWriter;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.testing.TestData;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's "An authenticated client and server in ten lines": the two methods between
 * the markers are the README's code, character for character ({@link #readmeShowsTheseExamples}).
 * The server and the client run over UDP on 127.0.0.1 (free ports) with key folders written
 * in-process by {@link KeyFolderWriter} (IFF group {@code labgroup}); the client waits for its
 * events (all flags, four authenticated samples) with a 60 s deadline, never for a fixed time.
 */
class FrontDoorReadmeTest {
  // README-SERVER-BEGIN
  static AutokeyServer startServer(Path keysDir) throws Exception {
    CryptoSuite keys = BcCryptoSuite.fromKeysDirectory(keysDir, "server", "labgroup",
        "serverpw".toCharArray(), List.of(), CryptoPolicy.legacy(System.err::println),
        new SecureRandom());
    return AutokeyServer.builder().keys(keys)
        .bind(new InetSocketAddress("127.0.0.1", 0))   // 0: a free port (ntpd's is 123)
        .stratum(2)                                    // serves the local clock, never sets it
        .onEvent(e -> System.out.println("server: " + e.text()))
        .build();                                      // answers until close()
  }
  // README-SERVER-END

  // README-CLIENT-BEGIN
  static AutokeyClientStatus runClient(Path keysDir, InetSocketAddress server) throws Exception {
    CryptoSuite keys = BcCryptoSuite.fromKeysDirectory(keysDir, "client", null,
        "clientpw".toCharArray(), List.of("labgroup"), CryptoPolicy.legacy(System.err::println),
        new SecureRandom());
    try (AutokeyClient client = AutokeyClient.builder().keys(keys).ident("labgroup")
        .server(server)                                // e.g. 192.0.2.1:123
        .pollInterval(Duration.ofMillis(200))          // our own server; ntpd wants 2^poll s
        .onEvent(e -> System.out.println("client: " + e.text()))
        .onSample(s -> System.out.printf("offset %+.6f s, delay %.6f s%n", s.offsetSeconds(),
            s.delaySeconds()))                         // only authenticated samples
        .build()) {
      return client.await(s -> s.allFlags() && s.samples() >= 4, Duration.ofSeconds(60))
          .orElseThrow(() -> new IllegalStateException("no Autokey: " + client.status()));
    }
  }
  // README-CLIENT-END

  @Test
  void serverAndClientOnLoopback(@TempDir Path tmp) throws Exception {
    KeyFolderWriter w = KeyFolderWriter.builder().scheme(IdentityScheme.IFF).group("labgroup")
        .random(new SecureRandom()).build();
    w.writeServer(tmp.resolve("server"), "server", "serverpw".toCharArray());
    w.writeClient(tmp.resolve("client"), "client", "clientpw".toCharArray());
    try (AutokeyServer server = startServer(tmp.resolve("server"))) {
      InetSocketAddress address = server.addresses().get(0);
      assertEquals("127.0.0.1", address.getAddress().getHostAddress());
      assertTrue(address.getPort() > 0, address.toString());
      AutokeyClientStatus st = runClient(tmp.resolve("client"), address);
      System.out.println(st);
      assertTrue(st.synchronised(), st.toString());
      assertEquals(1, st.servers().size());
      AutokeyClientStatus.Server s = st.servers().get(0);
      assertEquals(address, s.server());
      assertEquals(AutokeyClientStatus.PROGRESS_FLAGS.size(), s.lit().size(), s.toString());
      assertTrue(s.samples() >= 4, s.toString());
      assertTrue(s.lastSample().orElseThrow().authenticated());
      assertEquals(2, s.lastSample().orElseThrow().stratum());
      assertEquals("server@labgroup", s.trail().get(0).subject());
      assertEquals(0, s.rejected(), s.toString());
      assertTrue(s.sent() >= s.received() && s.received() > s.samples(), s.toString());
      AutokeyServer.Stats stats = server.stats();
      assertTrue(stats.replies() >= s.received(), stats.toString());
      assertEquals(0, stats.cryptoNaks(), stats.toString());
    }
  }

  @Test
  void readmeShowsTheseExamples() throws Exception {
    String src = Files.readString(TestData.path("../autokey-net/src/test/java/dev/autokey/net/"
        + "FrontDoorReadmeTest.java"), StandardCharsets.UTF_8);
    String readme = Files.readString(TestData.path("../README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("\n## An authenticated client and server in ten lines\n");
    assertTrue(section > 0 && section > readme.indexOf("\n## Quick start")
        && section < readme.indexOf("\n## Maven coordinates"),
        "the section follows Quick start");
    for (String name : new String[] {"SERVER", "CLIENT"}) {
      String begin = "  // README-" + name + "-BEGIN\n";
      String body = src.substring(src.indexOf(begin) + begin.length(),
          src.indexOf("  // README-" + name + "-END"));
      StringBuilder expect = new StringBuilder("```java\n");
      for (String line : body.split("\n", -1)) {
        expect.append(line.length() >= 2 ? line.substring(2) : line.strip()).append('\n');
      }
      String e = expect.toString().strip() + "\n```";
      int at = readme.indexOf(e);
      assertTrue(at > section, "README's new section must contain the example:\n" + e);
      long lines = e.lines().count() - 2;
      assertTrue(lines >= 8 && lines <= 16, name + ": " + lines + " lines");
    }
  }
}
