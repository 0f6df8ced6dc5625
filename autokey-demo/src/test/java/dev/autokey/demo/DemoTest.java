package dev.autokey.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's main job, as CI runs it: the loopback demo must reach all flags and exit 0. */
class DemoTest {
  private record Run(int exit, String out) {}

  private static Run demo(String... args) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int code;
    try (PrintStream ps = new PrintStream(b, true, StandardCharsets.UTF_8)) {
      code = Demo.run(args, ps);
    }
    String out = b.toString(StandardCharsets.UTF_8);
    System.out.println(out);
    return new Run(code, out);
  }

  @Test
  void loopbackDemoShowsEveryStepAndAuthenticatedSamples() throws Exception {
    Run r = demo("--interval", "100", "--samples", "3");
    assertEquals(0, r.exit(), r.out());
    String[] inOrder = {"generated in-process: IFF group key 'demo'",
        "client -> server  ASSOC request", "server -> client  ASSOC response",
        "CERT request", "CERT response", "flag cert", "IFF request", "IFF response",
        "flag vrfy", "COOK request", "COOK response", "flag cook", "SIGN request",
        "SIGN response", "flag sign", "LEAP request", "LEAP response", "flag leap",
        "ALL FLAGS lit", "sample 1: offset", "sample 3: offset", "done: 3 authenticated"};
    int at = 0;
    for (String s : inOrder) {
      int i = r.out().indexOf(s, at);
      assertTrue(i >= 0, "missing (in order) '" + s + "' in:\n" + r.out());
      at = i;
    }
    assertTrue(!r.out().contains("REJECTED"), r.out());
  }

  @Test
  void loopbackDemoOverIpv6() throws Exception {
    Run r = demo("--ipv6", "--interval", "100", "--samples", "1");
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("[0:0:0:0:0:0:0:1]") || r.out().contains("/0:0:0:0:0:0:0:1"),
        r.out());
  }

  @Test
  void badUsageExitsTwo() throws Exception {
    assertEquals(2, demo("--samples").exit());
    assertEquals(2, demo("--keys", "/tmp").exit());
    assertEquals(2, demo("--bogus", "1").exit());
  }

  @Test
  void launcherListsTheDemoAndTheDemoListsItsOptions() throws Exception {
    java.nio.file.Path dir = java.nio.file.Paths.get("").toAbsolutePath();
    while (!java.nio.file.Files.isRegularFile(dir.resolve("autokey"))) {
      dir = dir.getParent();
    }
    Process p = new ProcessBuilder("bash", dir.resolve("autokey").toString(), "help")
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), help);
    assertTrue(help.contains("  demo [options]"), help);
    Run r = demo("--help");
    assertEquals(0, r.exit());
    for (String o : new String[] {"--ntpd", "--keys", "--host", "--password", "--ident",
        "--samples", "--interval", "--timeout", "--ipv6", "--digest"}) {
      assertTrue(r.out().contains(o), o);
    }
  }

  @Test
  void parsesServerAddresses() throws Exception {
    assertEquals(123, Demo.parseAddress("192.0.2.1").getPort());
    assertEquals(1123, Demo.parseAddress("192.0.2.1:1123").getPort());
    assertEquals(123, Demo.parseAddress("2001:db8::1").getPort());
    assertEquals(5, Demo.parseAddress("[2001:db8::1]:5").getPort());
  }
}
