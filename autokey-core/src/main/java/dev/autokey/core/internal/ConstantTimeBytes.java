package dev.autokey.core.internal;

import java.util.Objects;

/**
 * Constant-time comparison of byte ranges (the offset form {@code MessageDigest.isEqual} lacks).
 * The running time depends only on {@code length}, never on where the ranges differ.
 */
public final class ConstantTimeBytes {
  private ConstantTimeBytes() {}

  /**
   * Whether {@code a[aOff, aOff+length)} equals {@code b[bOff, bOff+length)}, comparing every byte.
   *
   * @throws IndexOutOfBoundsException if a range is outside its array
   */
  public static boolean equal(byte[] a, int aOff, byte[] b, int bOff, int length) {
    Objects.checkFromIndexSize(aOff, length, a.length);
    Objects.checkFromIndexSize(bOff, length, b.length);
    int diff = 0;
    for (int i = 0; i < length; i++) {
      diff |= a[aOff + i] ^ b[bOff + i];
    }
    return diff == 0;
  }
}
