package dev.autokey.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one table of a run: every live case (ntpd client with ntpd server, Java client with ntpd
 * server, ntpd client with Java server) records its seconds to all flags (Autokey) or to the first
 * authenticated sample (AUTH) under its (mode, scheme, family, digest, key files) row, and {@link
 * InteropTableListener} writes {@code <runs>/COMBINED.md} when the test plan has finished, so the
 * figures side by side come from the same run.
 */
public final class InteropTable {
  /** Who played which role in a case. */
  public enum Side {
    /** Reference ntpd client against reference ntpd server. */
    NTPD_PAIR("ntpd client ↔ ntpd server"),
    /** Java client against reference ntpd server. */
    JAVA_CLIENT("Java client → ntpd server"),
    /** Reference ntpd client against the Java server. */
    JAVA_SERVER("ntpd client → Java server");

    private final String title;

    Side(String title) {
      this.title = title;
    }

    /** Column title. */
    public String title() {
      return title;
    }
  }

  /**
   * A row.
   *
   * @param mode association mode ({@code client/server}, ...)
   * @param scheme TC, IFF, GQ, MV, or AUTH (symmetric key)
   * @param family IPv4 or IPv6
   * @param digest session digest (Autokey) or key type (AUTH)
   * @param keyFiles who wrote the key files
   */
  public record Row(String mode, String scheme, String family, String digest, String keyFiles) {}

  private static final List<String> SCHEMES = List.of("TC", "IFF", "GQ", "MV", "AUTH");
  /** The table of this JVM's run. */
  private static final InteropTable RUN = new InteropTable();

  private final Map<Row, EnumMap<Side, String>> rows = new LinkedHashMap<>();

  /** An empty table (tests of the rendering); live cases use the run's table. */
  InteropTable() {}

  /** Records {@code cell} (e.g. {@code "29.4"} or {@code "never"}) for {@code side} of {@code row}. */
  public static void record(Row row, Side side, String cell) {
    RUN.add(row, side, cell);
  }

  /** Adds a cell to this table (a second cell for the same place is joined with " / "). */
  synchronized void add(Row row, Side side, String cell) {
    rows.computeIfAbsent(row, r -> new EnumMap<>(Side.class)).merge(side, cell,
        (a, b) -> a + " / " + b);
  }

  /** Records an Autokey client/server case. */
  public static void recordAutokey(Scheme scheme, IpFamily family, String digest, String keyFiles,
      Side side, String cell) {
    record(new Row("client/server", scheme.name(), family(family), digest, keyFiles), side, cell);
  }

  static String family(IpFamily f) {
    return f == IpFamily.IPV4 ? "IPv4" : "IPv6";
  }

  /** Whether nothing was recorded (no live case ran in this JVM). */
  public static boolean isEmpty() {
    synchronized (RUN) {
      return RUN.rows.isEmpty();
    }
  }

  /** This table in Markdown. */
  synchronized String markdown() {
    List<Map.Entry<Row, EnumMap<Side, String>>> sorted = new ArrayList<>(rows.entrySet());
    sorted.sort(Comparator.comparing((Map.Entry<Row, EnumMap<Side, String>> e) -> e.getKey().mode())
        .thenComparing(e -> schemeIndex(e.getKey().scheme()))
        .thenComparing(e -> e.getKey().keyFiles())
        .thenComparing(e -> e.getKey().digest())
        .thenComparing(e -> e.getKey().family()));
    StringBuilder sb = new StringBuilder();
    sb.append("| mode | scheme | family | digest / key type | key files |");
    for (Side s : Side.values()) {
      sb.append(' ').append(s.title()).append(" |");
    }
    sb.append("\n|---|---|---|---|---|");
    for (int i = 0; i < Side.values().length; i++) {
      sb.append("---:|");
    }
    sb.append('\n');
    for (Map.Entry<Row, EnumMap<Side, String>> e : sorted) {
      Row r = e.getKey();
      sb.append("| ").append(r.mode()).append(" | ").append(r.scheme()).append(" | ")
          .append(r.family()).append(" | ").append(r.digest()).append(" | ")
          .append(r.keyFiles()).append(" |");
      for (Side s : Side.values()) {
        sb.append(' ').append(e.getValue().getOrDefault(s, "–")).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static int schemeIndex(String s) {
    int i = SCHEMES.indexOf(s);
    return i < 0 ? SCHEMES.size() : i;
  }

  /** Writes {@code <runs>/COMBINED.md} and prints it; returns the file. */
  public static Path write() {
    Path out = InteropEnv.runsDir().resolve("COMBINED.md");
    String table;
    int n;
    synchronized (RUN) {
      table = RUN.markdown();
      n = RUN.rows.size();
    }
    String text = "# Live interop, one run (" + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + ", " + n + " rows)\n\n"
        + "Seconds from the client's start: Autokey = all seven flags lit (ntpd client: while"
        + " reachable), AUTH = first authenticated sample. `never` = not within the case's"
        + " limit; `–` = not run.\n\n" + table;
    try {
      Files.createDirectories(out.getParent());
      Files.writeString(out, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("[interop] combined table of this run (" + out + "):\n" + text);
    return out;
  }
}
