package dev.autokey.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.TestData;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The judges of the symmetric and symmetric-key cases checked against what ntpd printed in the
 * reference symmetric run (testdata/captures/tc-symmetric, {@code ntpd -D 2}); no ntpd needed.
 */
class SymmetricHarnessParsersTest {
  @Test
  void referenceSymmetricTracesShowEveryDropWantingNtpdsOwnKey() throws Exception {
    // docs/testing.md (reference captures): "7 (client) + 8 (server) packets dropped 'Wanted keyID'"
    NtpdTrace client = NtpdTrace.of(Files.readString(
        TestData.path("captures/tc-symmetric/client/ntpd-debug.txt")), "192.0.2.1");
    NtpdTrace server = NtpdTrace.of(Files.readString(
        TestData.path("captures/tc-symmetric/server/ntpd-debug.txt")), "192.0.2.2");
    assertEquals(7, client.wantedDrops().size(), client.toString());
    assertEquals(8, server.wantedDrops().size(), server.toString());
    assertEquals(7, client.wantedIsOwnLastKey(), client.toString());
    assertEquals(8, server.wantedIsOwnLastKey(), server.toString());
    assertTrue(client.received() >= 7 && client.received() <= 8, client.toString());
    assertEquals(client.received(), client.authOk(), client.toString());
    assertTrue(client.wantedDrops().get(0).startsWith("receive: drop: Wanted keyID 604153377,"),
        client.wantedDrops().get(0));
  }

  @Test
  void ntpqCountersAreRead() {
    Map<String, Long> c = SymmetricKeyInteropTest.counters("uptime:                 42\n"
        + "authentication failed:  3\nrestricted:             20\n"
        + "time since reset:     9\ndecryptions:          4\nsomething: not a number\n");
    assertEquals(3L, c.get("authentication failed"));
    assertEquals(20L, c.get("restricted"));
    assertEquals(4L, c.get("decryptions"));
    assertEquals(5, c.size());
  }

  @Test
  void combinedTableHasOneRowPerCaseKeyAndOneColumnPerSide() {
    InteropTable.Row r = new InteropTable.Row("client/server", "AUTH", "IPv4", "MD5", "ours");
    InteropTable table = new InteropTable();
    table.add(r, InteropTable.Side.JAVA_SERVER, "1.1");
    table.add(r, InteropTable.Side.NTPD_PAIR, "1.0");
    String t = table.markdown();
    assertTrue(t.contains("| client/server | AUTH | IPv4 | MD5 | ours | 1.0 | – | 1.1 |"), t);
  }
}
