package dev.autokey.crypto.internal.keygen;

import dev.autokey.crypto.keygen.KeygenException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * PEM reading and writing as OpenSSL (and so ntp-keygen / ntpd) does it: text before the first
 * {@code -----BEGIN} and between blocks is skipped, Base64 in 64-character lines, LF line ends.
 *
 * <p>Limits (checked before anything is allocated from them): {@link #MAX_TEXT_LENGTH} characters
 * of input, {@link #MAX_BLOCKS} blocks, {@link #MAX_DER_LENGTH} bytes per block. Encrypted
 * traditional blocks ({@code Proc-Type: 4,ENCRYPTED}) are refused: ntp-keygen never writes them.
 */
public final class Pem {
  /** Longest input text accepted. */
  public static final int MAX_TEXT_LENGTH = 1 << 20;
  /** Most blocks in one file (an MV trusted-authority file of {@code -V n} has n+2). */
  public static final int MAX_BLOCKS = 256;
  /** Largest DER content of one block. */
  public static final int MAX_DER_LENGTH = 64 * 1024;
  /** Longest label. */
  public static final int MAX_LABEL_LENGTH = 64;

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";
  private static final int LINE = 64;

  private Pem() {}

  /** Encodes one block: BEGIN line, Base64 lines of 64 characters, END line, LF after each. */
  public static String encode(PemBlock block) {
    Objects.requireNonNull(block, "block");
    String b64 = Base64.getEncoder().encodeToString(block.der());
    StringBuilder sb = new StringBuilder(b64.length() + b64.length() / LINE + 64);
    sb.append(BEGIN).append(block.label()).append(DASHES).append('\n');
    for (int i = 0; i < b64.length(); i += LINE) {
      sb.append(b64, i, Math.min(b64.length(), i + LINE)).append('\n');
    }
    sb.append(END).append(block.label()).append(DASHES).append('\n');
    return sb.toString();
  }

  /** Encodes several blocks one after another (the MV trusted-authority layout). */
  public static String encodeAll(List<PemBlock> blocks) {
    StringBuilder sb = new StringBuilder();
    for (PemBlock b : blocks) {
      sb.append(encode(b));
    }
    return sb.toString();
  }

  /** The first block, as ntpd's readers take it. */
  public static PemBlock readFirst(String text) throws KeygenException {
    List<PemBlock> all = parse(text, 1);
    if (all.isEmpty()) {
      throw KeygenErrors.pem("no '-----BEGIN' line found");
    }
    return all.get(0);
  }

  /** Every block in order; an empty list when there is no {@code -----BEGIN} line. */
  public static List<PemBlock> readAll(String text) throws KeygenException {
    return parse(text, MAX_BLOCKS);
  }

  private static List<PemBlock> parse(String text, int wanted) throws KeygenException {
    Objects.requireNonNull(text, "text");
    if (text.length() > MAX_TEXT_LENGTH) {
      throw KeygenErrors.pem(
          "input of " + text.length() + " characters exceeds " + MAX_TEXT_LENGTH);
    }
    List<PemBlock> out = new ArrayList<>();
    int pos = 0;
    int n = text.length();
    while (pos < n && out.size() < wanted) {
      int begin = findLineStart(text, BEGIN, pos);
      if (begin < 0) {
        break;
      }
      if (out.size() == MAX_BLOCKS) {
        throw KeygenErrors.pem("more than " + MAX_BLOCKS + " PEM blocks");
      }
      int eol = lineEnd(text, begin);
      String first = stripCr(text.substring(begin, eol));
      if (!first.endsWith(DASHES) || first.length() < BEGIN.length() + DASHES.length() + 1) {
        throw KeygenErrors.pem("malformed BEGIN line '" + KeygenErrors.shown(first) + "'");
      }
      String label = first.substring(BEGIN.length(), first.length() - DASHES.length());
      if (label.length() > MAX_LABEL_LENGTH || label.isEmpty() || label.contains("-")
          || !label.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
        throw KeygenErrors.pem("malformed PEM label '" + KeygenErrors.shown(label) + "'");
      }
      String endLine = END + label + DASHES;
      pos = next(text, eol);
      StringBuilder b64 = new StringBuilder();
      boolean ended = false;
      boolean firstBodyLine = true;
      while (pos < n) {
        int e = lineEnd(text, pos);
        String line = stripCr(text.substring(pos, e)).strip();
        pos = next(text, e);
        if (line.equals(endLine)) {
          ended = true;
          break;
        }
        if (line.startsWith(END) || line.startsWith(BEGIN)) {
          throw KeygenErrors.pem(
              "'" + KeygenErrors.shown(line) + "' inside block " + label + " (expected "
                  + endLine + ")");
        }
        if (firstBodyLine && line.indexOf(':') > 0) {
          // RFC 1421 headers of a traditional block: only the unencrypted form is read.
          String hdr = line;
          while (true) {
            if (hdr.regionMatches(true, 0, "Proc-Type:", 0, 10) && hdr.contains("ENCRYPTED")) {
              throw KeygenErrors.unsupported(
                  "traditional encrypted PEM (" + KeygenErrors.shown(hdr)
                      + ") is not supported; ntp-keygen writes PKCS#8 ENCRYPTED PRIVATE KEY");
            }
            if (pos >= n) {
              break;
            }
            int e2 = lineEnd(text, pos);
            hdr = stripCr(text.substring(pos, e2)).strip();
            pos = next(text, e2);
            if (hdr.isEmpty()) {
              break;
            }
          }
          firstBodyLine = false;
          continue;
        }
        firstBodyLine = false;
        if (b64.length() + line.length() > (MAX_DER_LENGTH / 3 + 1) * 4) {
          throw KeygenErrors.pem(
              "block " + label + " exceeds " + MAX_DER_LENGTH + " bytes of DER");
        }
        b64.append(line);
      }
      if (!ended) {
        throw KeygenErrors.pem("block " + label + " has no '" + endLine + "' line (truncated)");
      }
      byte[] der;
      try {
        der = Base64.getDecoder().decode(b64.toString());
      } catch (IllegalArgumentException e) {
        throw KeygenErrors.pem("bad Base64 in block " + label + ": " + e.getMessage());
      }
      if (der.length == 0) {
        throw KeygenErrors.pem("empty PEM block " + label);
      }
      out.add(new PemBlock(label, der));
    }
    return out;
  }

  private static int findLineStart(String text, String what, int from) {
    int i = from;
    while (true) {
      int k = text.indexOf(what, i);
      if (k < 0) {
        return -1;
      }
      if (k == 0 || text.charAt(k - 1) == '\n') {
        return k;
      }
      i = k + 1;
    }
  }

  private static int lineEnd(String text, int from) {
    int e = text.indexOf('\n', from);
    return e < 0 ? text.length() : e;
  }

  private static int next(String text, int eol) {
    return eol < text.length() ? eol + 1 : eol;
  }

  private static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
