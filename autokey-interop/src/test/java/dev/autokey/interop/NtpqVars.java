package dev.autokey.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Variables printed by {@code ntpq -c "rv ASSOC"} ({@code name=value, ...}, possibly over several
 * lines; quoted values lose their quotes; values containing ", " such as {@code status=f61a conf,
 * authenb, auth} or a timestamp's date are kept whole; a name may repeat, e.g. {@code cert=}).
 */
public final class NtpqVars {
  private static final java.util.regex.Pattern NEXT_NAME =
      java.util.regex.Pattern.compile("\\s*[A-Za-z_][A-Za-z0-9_.]*=");

  private final List<Map.Entry<String, String>> vars;

  private NtpqVars(List<Map.Entry<String, String>> vars) {
    this.vars = List.copyOf(vars);
  }

  /** Parses ntpq's {@code rv} output. */
  public static NtpqVars parse(String text) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    String joined = text.replace('\r', ' ').replace('\n', ' ');
    for (String token : splitOutsideQuotes(joined)) {
      String t = token.trim();
      if (t.isEmpty()) {
        continue;
      }
      int eq = t.indexOf('=');
      boolean isName = eq > 0 && t.substring(0, eq).matches("[A-Za-z0-9_.\\[\\]-]+");
      if (isName) {
        out.add(Map.entry(t.substring(0, eq), unquote(t.substring(eq + 1).trim())));
      } else if (!out.isEmpty()) {
        Map.Entry<String, String> last = out.remove(out.size() - 1);
        out.add(Map.entry(last.getKey(), last.getValue() + ", " + t));
      }
    }
    return new NtpqVars(out);
  }

  private static List<String> splitOutsideQuotes(String s) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else if (c == ' ' && !quoted && NEXT_NAME.matcher(s).region(i + 1, s.length()).lookingAt()) {
        // "associd=18382 status=f61a ...": a new variable without a comma before it
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  private static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
        ? v.substring(1, v.length() - 1)
        : v;
  }

  /** The first value of {@code name}. */
  public Optional<String> get(String name) {
    return vars.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
  }

  /** Every value of {@code name}, in order. */
  public List<String> all(String name) {
    return vars.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).toList();
  }

  /** All (name, value) pairs in order. */
  public List<Map.Entry<String, String>> entries() {
    return vars;
  }

  /** True when nothing was parsed (e.g. ntpq timed out). */
  public boolean isEmpty() {
    return vars.isEmpty();
  }

  /** The {@code flags=} crypto word, or -1 when absent. */
  public int flags() {
    return get("flags").map(NtpqVars::parseNumber).orElse(-1);
  }

  /** The {@code reach=} register (ntpq prints it in octal), or -1 when absent. */
  public int reach() {
    return get("reach").map(v -> Integer.parseInt(v.trim(), 8)).orElse(-1);
  }

  /** The 16-bit association status word ({@code status=f61a ...}), or -1 when absent. */
  public int statusWord() {
    return get("status")
        .map(v -> v.trim().split("[ ,]", 2)[0])
        .filter(h -> h.matches("[0-9a-fA-F]{1,4}"))
        .map(h -> Integer.parseInt(h, 16))
        .orElse(-1);
  }

  /** The words after the status word's hex value ({@code conf, authenb, auth, reach, ...}). */
  public List<String> statusWords() {
    String v = get("status").orElse("");
    String[] parts = v.trim().split("[ ,]+");
    List<String> words = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      words.add(parts[i]);
    }
    return words;
  }

  private static int parseNumber(String v) {
    String s = v.trim();
    return s.startsWith("0x") ? Integer.parseUnsignedInt(s.substring(2), 16) : Integer.parseInt(s);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : vars) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }
}
