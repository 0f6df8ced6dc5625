package dev.autokey.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;

/**
 * Collects the results of live cases: prints one table row per case and appends it to
 * {@code <runs>/SUMMARY.md}; holds the assertions every ntpd-judged case makes.
 */
public final class InteropReport {
  /** Header of the summary table. */
  public static final String HEADER =
      "| case | family | scheme | key files | s to all flags | client flags | auth samples after"
          + " | cryptostats errors | packets |\n|---|---|---|---|---|---|---|---|---|";

  /** Rows and extra sections of this JVM run: SUMMARY.md is rewritten from them. */
  private static final List<String> ROWS = new ArrayList<>();
  private static final Map<String, String> SECTIONS = new LinkedHashMap<>();

  private InteropReport() {}

  /**
   * Records {@code r}: prints its row and its report, adds the row to SUMMARY.md (which the
   * first result of a JVM run starts afresh).
   */
  public static synchronized void add(PairResult r) {
    System.out.println("[interop] " + r.summaryRow());
    System.out.println(r.report());
    ROWS.add(r.summaryRow());
    write();
    recordInTable(r);
  }

  /**
   * Adds (or replaces) a section {@code ## title} with {@code markdown} after the table of
   * SUMMARY.md (for figures that are not a pair result, e.g. the load benchmark).
   */
  public static synchronized void section(String title, String markdown) {
    SECTIONS.put(title, markdown);
    write();
  }

  private static void write() {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (String row : ROWS) {
      sb.append(row).append('\n');
    }
    for (Map.Entry<String, String> e : SECTIONS.entrySet()) {
      sb.append("\n## ").append(e.getKey()).append("\n\n").append(e.getValue()).append('\n');
    }
    Path summary = InteropEnv.runsDir().resolve("SUMMARY.md");
    try {
      Files.createDirectories(summary.getParent());
      Files.writeString(summary, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String DIGEST_SUFFIX = ", session digest ";

  /** Adds an ntpd-to-ntpd case to the run's {@link InteropTable}. */
  private static void recordInTable(PairResult r) {
    String keys = r.keys();
    String digest = "MD5";
    int d = keys.indexOf(DIGEST_SUFFIX);
    if (d >= 0) {
      digest = keys.substring(d + DIGEST_SUFFIX.length());
      keys = keys.substring(0, d);
    }
    String mode = "client/server";
    InteropTable.Side side = InteropTable.Side.NTPD_PAIR;
    if (r.name().startsWith("bcast-")) {
      // NetBroadcastInteropTest: bcast-<server>srv-<client>cli-...; seconds = the client volley
      mode = "broadcast (volley)";
      if (r.name().startsWith("bcast-ntpdsrv-javacli")) {
        side = InteropTable.Side.JAVA_CLIENT;
      } else if (r.name().startsWith("bcast-javasrv-ntpdcli")) {
        side = InteropTable.Side.JAVA_SERVER;
      }
    }
    InteropTable.record(new InteropTable.Row(mode, r.scheme().name(),
        InteropTable.family(r.family()), digest, keys), side,
        r.complete() ? String.format(java.util.Locale.ROOT, "%.1f", r.secondsToAllFlags())
            : "never");
  }

  /**
   * The pass criteria from ntpd's own view: all seven flags lit while reachable, the expected
   * scheme bit in the server status, at least {@code minSamples} authenticated samples after all
   * flags and none unauthenticated, no error line in either cryptostats (except, on the client,
   * at most two identity retries caused by ntpd's own short-challenge defect, which are reported
   * in the row), and every captured packet decodes with our wire codec.
   */
  public static void assertAllFlags(PairResult r, int minSamples) {
    String ctx = "\n" + r.report();
    Assertions.assertAll(
        () -> Assertions.assertTrue(r.complete(),
            "client association never reached all flags (0x7f00) while reachable" + ctx),
        () -> Assertions.assertEquals(AutokeyFlags.ALL, r.flags() & AutokeyFlags.ALL,
            "flags word " + AutokeyFlags.describe(r.flags()) + ctx),
        () -> Assertions.assertEquals(r.scheme().statusBit(), AutokeyFlags.schemeBits(r.flags()),
            "server status shows another identity scheme" + ctx),
        () -> Assertions.assertTrue(r.reachable(), "association not reachable" + ctx),
        () -> Assertions.assertTrue(r.authenticatedAfter() >= minSamples,
            "authenticated samples after all flags: " + r.authenticatedAfter() + ctx),
        () -> Assertions.assertEquals(0, r.unauthenticatedAfter(),
            "unauthenticated samples after all flags" + ctx),
        () -> Assertions.assertEquals(List.of(), r.serverErrors(), "server cryptostats" + ctx),
        () -> Assertions.assertEquals(List.of(), r.clientErrors(), "client cryptostats" + ctx),
        () -> Assertions.assertTrue(r.capture().packets() > 0, "nothing captured" + ctx),
        () -> Assertions.assertEquals(List.of(), r.capture().undecodable(),
            "captured ntpd packets our PacketCodec rejects" + ctx));
  }
}
