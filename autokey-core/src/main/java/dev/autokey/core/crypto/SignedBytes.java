package dev.autokey.core.crypto;

/**
 * The bytes an Autokey signature covers: {@code timestamp (4) ‖ filestamp (4) ‖ vallen (4) ‖
 * value (vallen bytes, unpadded)}, big-endian (docs/protocol.md §6). The header word, association ID,
 * padding, siglen, NTP header and MAC are not covered.
 */
public final class SignedBytes {
  /** Largest value ntpd accepts in a signed field (65511 bytes). */
  public static final int MAX_VALUE_LENGTH = 65_511;

  private SignedBytes() {}

  /**
   * The signed bytes for a value.
   *
   * @param timestamp NTP seconds, unsigned 32-bit
   * @param filestamp NTP seconds (or the slot's other content), unsigned 32-bit
   * @param value the value, at most {@link #MAX_VALUE_LENGTH} bytes
   */
  public static byte[] of(long timestamp, long filestamp, byte[] value) {
    if ((timestamp >>> 32) != 0) {
      throw new IllegalArgumentException("timestamp " + timestamp + " is not unsigned 32-bit");
    }
    if ((filestamp >>> 32) != 0) {
      throw new IllegalArgumentException("filestamp " + filestamp + " is not unsigned 32-bit");
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException(
          "value length " + value.length + " exceeds " + MAX_VALUE_LENGTH);
    }
    byte[] out = new byte[12 + value.length];
    putInt(out, 0, timestamp);
    putInt(out, 4, filestamp);
    putInt(out, 8, value.length);
    System.arraycopy(value, 0, out, 12, value.length);
    return out;
  }

  private static void putInt(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
