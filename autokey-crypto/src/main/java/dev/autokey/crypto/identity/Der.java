package dev.autokey.crypto.identity;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/**
 * Strict, bounded DER for the two identity response structures: OpenSSL {@code DSA_SIG}
 * ({@code SEQUENCE {INTEGER, INTEGER}}) and {@code DSAparams} ({@code SEQUENCE {INTEGER, INTEGER,
 * INTEGER}}). Every length is checked against a caller-given limit before anything is allocated.
 */
final class Der {
  private Der() {}

  /** DER of {@code SEQUENCE { INTEGER v... }}, minimal two's-complement, all non-negative. */
  static byte[] encodeIntegers(BigInteger... values) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (BigInteger v : values) {
      if (v.signum() < 0) {
        throw new IllegalArgumentException("negative INTEGER");
      }
      byte[] c = v.toByteArray(); // minimal two's complement, 0x00 prefix when the top bit is set
      body.write(0x02);
      writeLength(body, c.length);
      body.write(c, 0, c.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    writeLength(out, body.size());
    out.write(body.toByteArray(), 0, body.size());
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int len) {
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else {
      out.write(0x82);
      out.write(len >>> 8);
      out.write(len);
    }
  }

  /**
   * Decodes {@code SEQUENCE} of exactly {@code maxContent.length} non-negative INTEGERs, the i-th
   * with at most {@code maxContent[i]} content bytes; no trailing bytes. The total length is
   * bounded by the sum of the limits before any parsing.
   *
   * @throws AutokeyException {@link XEvent#ERR} (ntpd's code for a {@code d2i} failure) naming
   *     the offending offset, value and limit
   */
  static BigInteger[] decodeIntegers(byte[] der, String what, int... maxContent)
      throws AutokeyException {
    long maxTotal = 4;
    for (int m : maxContent) {
      maxTotal += 4 + m;
    }
    if (der.length > maxTotal) {
      throw err(what, "value of %d bytes exceeds the limit of %d bytes", der.length, maxTotal);
    }
    int[] pos = {0};
    if (der.length < 2 || (der[0] & 0xff) != 0x30) {
      throw err(what, "not a DER SEQUENCE");
    }
    pos[0] = 1;
    int seqLen = readLength(der, pos, what);
    if (seqLen != der.length - pos[0]) {
      throw err(what, "SEQUENCE length %d does not match the %d bytes present",
          seqLen, der.length - pos[0]);
    }
    BigInteger[] out = new BigInteger[maxContent.length];
    for (int i = 0; i < maxContent.length; i++) {
      if (pos[0] >= der.length || (der[pos[0]] & 0xff) != 0x02) {
        throw err(what, "INTEGER %d missing at offset %d", i, pos[0]);
      }
      pos[0]++;
      int len = readLength(der, pos, what);
      if (len == 0 || len > der.length - pos[0]) {
        throw err(what, "INTEGER %d length %d invalid (%d bytes left)", i, len,
            der.length - pos[0]);
      }
      if (len > maxContent[i]) {
        throw err(what, "INTEGER %d has %d content bytes, limit %d", i, len, maxContent[i]);
      }
      int first = der[pos[0]] & 0xff;
      if (first >= 0x80) {
        throw err(what, "INTEGER %d is negative", i);
      }
      if (len > 1 && first == 0 && (der[pos[0] + 1] & 0x80) == 0) {
        throw err(what, "INTEGER %d is not minimally encoded", i);
      }
      byte[] c = new byte[len];
      System.arraycopy(der, pos[0], c, 0, len);
      out[i] = new BigInteger(1, c);
      pos[0] += len;
    }
    if (pos[0] != der.length) {
      throw err(what, "%d trailing bytes after the last INTEGER", der.length - pos[0]);
    }
    return out;
  }

  private static int readLength(byte[] der, int[] pos, String what) throws AutokeyException {
    if (pos[0] >= der.length) {
      throw err(what, "length missing at offset %d", pos[0]);
    }
    int b = der[pos[0]++] & 0xff;
    if (b < 0x80) {
      return b;
    }
    int n = b & 0x7f;
    if (n == 0 || n > 2) {
      throw err(what, "unsupported length form 0x%02x", b);
    }
    if (der.length - pos[0] < n) {
      throw err(what, "length truncated at offset %d", pos[0]);
    }
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (der[pos[0]++] & 0xff);
    }
    if (len < 0x80 || (n == 2 && len < 0x100)) {
      throw err(what, "length %d not minimally encoded", len);
    }
    return len;
  }

  private static AutokeyException err(String what, String fmt, Object... args) {
    return new AutokeyException(XEvent.ERR, what + ": " + String.format(fmt, args));
  }
}
