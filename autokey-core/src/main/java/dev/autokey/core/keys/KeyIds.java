package dev.autokey.core.keys;

/**
 * Key-ID constants and helpers. Key IDs and cookies are unsigned 32-bit values carried in Java
 * {@code int}s (compare with {@link Integer#compareUnsigned}, print with {@link #hex}).
 */
public final class KeyIds {
  /** Largest symmetric key ID ({@code NTP_MAXKEY}); Autokey key IDs are strictly greater. */
  public static final int MAX_SYMMETRIC_KEY_ID = 65535;

  private KeyIds() {}

  /** Whether {@code keyId} (unsigned) is an Autokey key ID, i.e. greater than 65535. */
  public static boolean isAutokey(int keyId) {
    return Integer.compareUnsigned(keyId, MAX_SYMMETRIC_KEY_ID) > 0;
  }

  /** The key ID as 8 lower-case hex digits. */
  public static String hex(int keyId) {
    String s = Integer.toHexString(keyId);
    return "00000000".substring(s.length()) + s;
  }

  /** The big-endian word at {@code offset}. */
  static int readInt(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16)
        | ((b[offset + 2] & 0xFF) << 8) | (b[offset + 3] & 0xFF);
  }

  /** Writes {@code v} big-endian at {@code offset}. */
  static void writeInt(byte[] b, int offset, int v) {
    b[offset] = (byte) (v >>> 24);
    b[offset + 1] = (byte) (v >>> 16);
    b[offset + 2] = (byte) (v >>> 8);
    b[offset + 3] = (byte) v;
  }
}
