package dev.autokey.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads ntpd's {@code cryptostats} file. Every Autokey error ntpd raises is logged there as
 * {@code MJD SECONDS ADDRESS OPCODE-WORD ASSOCID CODE TEXT}, e.g. {@code 61366 44229.241
 * 192.0.2.1 82070084 17358 10e bad_or_missing_group key}, where CODE is an XEVNT value 0x101..
 * 0x10f (hex without 0x); successful steps look different ({@code cert ...}, {@code iff ...},
 * {@code cook ...}).
 */
public final class CryptoStats {
  /** An XEVNT error line (code 101..10f after the opcode word and association ID). */
  static final Pattern ERROR =
      Pattern.compile("^\\d+ \\d+\\.\\d+ \\S+ [0-9a-f]{8} \\d+ 10[1-9a-f] .*");

  private CryptoStats() {}

  /** The lines of {@code file} (empty when ntpd has not written it). */
  public static List<String> lines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The error lines of {@code file}. */
  public static List<String> errors(Path file) {
    return errorLines(lines(file));
  }

  /** The error lines among {@code lines}. */
  public static List<String> errorLines(List<String> lines) {
    return lines.stream().filter(l -> ERROR.matcher(l.trim()).matches()).toList();
  }

  /**
   * Error lines explained by ntpd's own challenge-encoding defect (docs/protocol.md §9.6: an ntpd
   * client writes a challenge with fewer significant bytes than the modulus left-aligned and
   * leaves the tail uninitialised, so the answer fails and is retried at the next poll): XEVNT_ID
   * (10e) on an IFF/GQ/MV response (opcode word 0x8207/0x8208/0x8209), at most two of them, and
   * only when the identity step itself later succeeded ({@code iff}/{@code gq}/{@code mv} line
   * after them). Returns those lines; empty when the condition does not hold.
   */
  public static List<String> challengeDefectLines(List<String> lines) {
    List<String> errors = errorLines(lines);
    List<String> defect = new java.util.ArrayList<>();
    int lastError = -1;
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).trim().split("\\s+");
      if (errors.contains(lines.get(i))) {
        if (f[3].matches("820[789][0-9a-f]{4}") && f[5].equals("10e")) {
          defect.add(lines.get(i));
          lastError = i;
        }
      }
    }
    boolean verifiedAfter = false;
    for (int i = lastError + 1; i < lines.size() && lastError >= 0; i++) {
      String[] f = lines.get(i).trim().split("\\s+");
      if (f.length > 3 && f[3].matches("iff|gq|mv")) {
        verifiedAfter = true;
      }
    }
    return verifiedAfter && defect.size() <= 2 ? defect : List.of();
  }

  /**
   * The first line of each Autokey step seen from {@code peerAddress}, with its time in seconds
   * after the host's {@code setup} line: e.g. {@code cert 9.0}, {@code iff 17.0}.
   */
  public static List<String> steps(List<String> lines) {
    double t0 = Double.NaN;
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String l : lines) {
      String[] f = l.trim().split("\\s+");
      if (f.length < 4) {
        continue;
      }
      double t = Double.parseDouble(f[1]);
      if (f[3].equals("setup") && Double.isNaN(t0)) {
        t0 = t;
      } else if (!Double.isNaN(t0)
          && !f[2].equals("0.0.0.0")
          && f[3].matches("assoc|cert|iff|gq|mv|cook|auto|sign|leap")
          && seen.add(f[3])) {
        out.add(String.format(java.util.Locale.ROOT, "%s %.1f", f[3], t - t0));
      }
    }
    return out;
  }
}
