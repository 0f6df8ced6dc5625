package dev.autokey.core.wire;

import java.nio.ByteBuffer;

/** Big-endian absolute reads and writes independent of a buffer's byte order. */
final class Bytes {
  private Bytes() {}

  static long u32(ByteBuffer b, int i) {
    return ((b.get(i) & 0xFFL) << 24) | ((b.get(i + 1) & 0xFFL) << 16)
        | ((b.get(i + 2) & 0xFFL) << 8) | (b.get(i + 3) & 0xFFL);
  }

  static void putInt(ByteBuffer b, int i, int v) {
    b.put(i, (byte) (v >>> 24));
    b.put(i + 1, (byte) (v >>> 16));
    b.put(i + 2, (byte) (v >>> 8));
    b.put(i + 3, (byte) v);
  }

  static void putLong(ByteBuffer b, int i, long v) {
    putInt(b, i, (int) (v >>> 32));
    putInt(b, i + 4, (int) v);
  }

  static byte[] get(ByteBuffer b, int i, int n) {
    byte[] out = new byte[n];
    b.get(i, out);
    return out;
  }

  /** {@code n} rounded up to a multiple of 4 (n >= 0, no int overflow: long arithmetic). */
  static long pad4(long n) {
    return (n + 3) & ~3L;
  }

  static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
