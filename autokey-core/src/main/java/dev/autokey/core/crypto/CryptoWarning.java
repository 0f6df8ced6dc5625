package dev.autokey.core.crypto;

import java.util.Objects;

/**
 * A weak-but-accepted item reported under the legacy policy (e.g. a 512-bit RSA host key, an
 * RSA-MD5 certificate), delivered to a {@link CryptoWarningListener} instead of a log line.
 *
 * @param kind what is weak
 * @param subject what it concerns (file name, certificate subject), escaped, at most 200 chars
 * @param detail a human-readable explanation
 */
public record CryptoWarning(Kind kind, String subject, String detail) {
  /** Kinds of weakness. */
  public enum Kind {
    /** RSA or DSA key shorter than the strict minimum (2048 bits). */
    SHORT_KEY,
    /** MD5-based signature or digest. */
    MD5_SIGNATURE,
    /** SHA-1-based signature (accepted by both policies, reported). */
    SHA1_SIGNATURE,
    /** A file or structure ntpd accepts but that is suspicious (link stub, odd extension). */
    UNUSUAL_FILE
  }

  /** Validates and caps the texts. */
  public CryptoWarning {
    Objects.requireNonNull(kind, "kind");
    subject = cap(Objects.requireNonNull(subject, "subject"));
    detail = cap(Objects.requireNonNull(detail, "detail"));
  }

  private static String cap(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
