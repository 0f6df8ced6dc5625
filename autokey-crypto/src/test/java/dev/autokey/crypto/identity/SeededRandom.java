package dev.autokey.crypto.identity;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/** A deterministic SecureRandom for tests (never for production: it is seeded by a long). */
final class SeededRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private transient SplittableRandom r;

  SeededRandom(long seed) {
    this.r = new SplittableRandom(seed);
  }

  @Override
  public synchronized void nextBytes(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) r.nextInt(256);
    }
  }

  @Override
  public byte[] generateSeed(int n) {
    byte[] b = new byte[n];
    nextBytes(b);
    return b;
  }

  @Override
  public synchronized void setSeed(long seed) {
    if (r != null) {
      r = new SplittableRandom(seed);
    }
  }

  @Override
  public synchronized void setSeed(byte[] seed) {
    // deterministic by construction; extra seed material is ignored
  }
}
