package dev.autokey.testing;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Source of generated values for one property case. Deterministic for a given seed, so a failing
 * case is reproduced exactly by re-running with the seed {@link PropertyCheck} prints.
 */
public final class Gen {
  private final SplittableRandom random;
  private final long seed;

  /** A generator for the given seed. */
  public Gen(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  /** The seed this generator was created with. */
  public long seed() {
    return seed;
  }

  /** Any int. */
  public int anyInt() {
    return random.nextInt();
  }

  /** Any long. */
  public long anyLong() {
    return random.nextLong();
  }

  /** A boolean, true with probability 1/2. */
  public boolean bool() {
    return random.nextBoolean();
  }

  /** True with the given probability (0..1). */
  public boolean chance(double p) {
    return random.nextDouble() < p;
  }

  /** An int in {@code [min, max]} (both inclusive). */
  public int intBetween(int min, int max) {
    if (min > max) {
      throw new IllegalArgumentException("min " + min + " > max " + max);
    }
    return (int) random.nextLong(min, (long) max + 1);
  }

  /** A long in {@code [min, max]} (both inclusive, max &lt; Long.MAX_VALUE). */
  public long longBetween(long min, long max) {
    return random.nextLong(min, max + 1);
  }

  /** An unsigned 32-bit value as a long, biased towards edge values (0, 1, 0xFFFF, 0x10000, 0xFFFFFFFF). */
  public long u32() {
    switch (random.nextInt(10)) {
      case 0:
        return pick(List.of(0L, 1L, 0xFFFFL, 0x10000L, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL));
      default:
        return random.nextLong(0, 1L << 32);
    }
  }

  /** {@code n} random bytes. */
  public byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  /** Random bytes of a length in {@code [minLen, maxLen]}, biased towards the bounds. */
  public byte[] bytes(int minLen, int maxLen) {
    int len;
    int k = random.nextInt(8);
    if (k == 0) {
      len = minLen;
    } else if (k == 1) {
      len = maxLen;
    } else {
      len = intBetween(minLen, maxLen);
    }
    return bytes(len);
  }

  /** One of the given values. */
  public <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** One of the given ints. */
  public int pickInt(int... values) {
    return values[random.nextInt(values.length)];
  }

  /**
   * A mutation of {@code original}: bit flips, byte overwrites, truncation, extension, or a
   * 16/32-bit word replaced by an edge value. The original array is not modified.
   */
  public byte[] mutate(byte[] original) {
    byte[] b = original.clone();
    int rounds = 1 + random.nextInt(4);
    for (int r = 0; r < rounds; r++) {
      int op = random.nextInt(7);
      if (b.length == 0) {
        op = 4;
      }
      switch (op) {
        case 0: { // flip one bit
          int i = random.nextInt(b.length);
          b[i] ^= (byte) (1 << random.nextInt(8));
          break;
        }
        case 1: { // overwrite one byte
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
          break;
        }
        case 2: { // edge 16-bit value at an even offset
          if (b.length >= 2) {
            int i = random.nextInt(b.length / 2) * 2;
            int v = pickInt(0, 1, 3, 4, 7, 8, 20, 23, 24, 25, 0x7FFF, 0x8000, 0xFFFC, 0xFFFF);
            b[i] = (byte) (v >>> 8);
            b[i + 1] = (byte) v;
          }
          break;
        }
        case 3: { // truncate
          b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
          break;
        }
        case 4: { // extend with random bytes
          byte[] extra = bytes(intBetween(1, 64));
          byte[] n = java.util.Arrays.copyOf(b, b.length + extra.length);
          System.arraycopy(extra, 0, n, b.length, extra.length);
          b = n;
          break;
        }
        case 5: { // edge 32-bit value at an aligned offset
          if (b.length >= 4) {
            int i = random.nextInt(b.length / 4) * 4;
            long v = u32();
            b[i] = (byte) (v >>> 24);
            b[i + 1] = (byte) (v >>> 16);
            b[i + 2] = (byte) (v >>> 8);
            b[i + 3] = (byte) v;
          }
          break;
        }
        default: { // duplicate a slice
          int from = random.nextInt(b.length);
          int len = random.nextInt(Math.min(64, b.length - from) + 1);
          byte[] n = new byte[b.length + len];
          System.arraycopy(b, 0, n, 0, from + len);
          System.arraycopy(b, from, n, from + len, b.length - from);
          b = n;
          break;
        }
      }
    }
    return b;
  }

  /** A fresh independent generator split from this one. */
  public Gen split() {
    return new Gen(random.nextLong());
  }
}
