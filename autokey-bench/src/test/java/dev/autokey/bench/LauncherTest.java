package dev.autokey.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Guards the ./autokey launcher (without running JMH) and BenchMain's openssl parsing. */
class LauncherTest {
  private static Path root() {
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("autokey")) && Files.isRegularFile(dir.resolve("mvnw"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("repository root with ./autokey not found");
  }

  private record Run(int exit, String out) {}

  private static Run run(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 2];
    cmd[0] = "bash";
    cmd[1] = root().resolve("autokey").toString();
    System.arraycopy(args, 0, cmd, 2, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher did not finish");
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void helpListsTheCommands() throws Exception {
    Path script = root().resolve("autokey");
    assertTrue(Files.isExecutable(script), "./autokey must be executable");
    Run r = run("help");
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().startsWith("usage: ./autokey <command>"), r.out());
    for (String s : new String[] {"  bench ", "--quick", "--full", "--no-native", "  jmh ",
        "  load ", "--window"}) {
      assertTrue(r.out().contains(s), "help mentions '" + s + "': " + r.out());
    }
    assertEquals(r.out(), run().out(), "no command = help");
  }

  @Test
  void unknownCommandFailsWithUsage() throws Exception {
    Run r = run("no-such-command");
    assertEquals(2, r.exit(), r.out());
    assertTrue(r.out().contains("unknown command 'no-such-command'"), r.out());
    assertTrue(r.out().contains("usage: ./autokey"), r.out());
  }

  @Test
  void benchDriverDefaultsAreDocumented() throws Exception {
    // the options the launcher documents are the ones BenchMain accepts
    String src = Files.readString(root().resolve(
        "autokey-bench/src/main/java/dev/autokey/bench/BenchMain.java"));
    for (String s : new String[] {"\"--quick\"", "\"--full\"", "\"--no-native\"", "\"--include\""}) {
      assertTrue(src.contains(s), s);
    }
  }

  @Test
  void parsesOpensslSpeedMachineReadableLines() {
    assertEquals(100118231.58, BenchMain.parseF("+F:25:md5:100118231.58", Double.NaN));
    assertEquals(7.0, BenchMain.parseF("+DT:md5:1:16", 7.0));
    assertEquals(7.0, BenchMain.parseF("+F:25:md5:x", 7.0));
  }
}
