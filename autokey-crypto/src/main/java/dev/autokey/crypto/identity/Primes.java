package dev.autokey.crypto.identity;

import java.math.BigInteger;

/** Probable-prime test with a small-prime sieve in front (most candidates fail there). */
final class Primes {
  private static final int[] SMALL = smallPrimes(2000);

  private Primes() {}

  static boolean isProbablePrime(BigInteger n) {
    for (int sp : SMALL) {
      if (n.mod(BigInteger.valueOf(sp)).signum() == 0) {
        return n.equals(BigInteger.valueOf(sp));
      }
    }
    return n.isProbablePrime(80);
  }

  private static int[] smallPrimes(int limit) {
    boolean[] composite = new boolean[limit + 1];
    int count = 0;
    for (int i = 2; i <= limit; i++) {
      if (!composite[i]) {
        count++;
        for (long k = (long) i * i; k <= limit; k += i) {
          composite[(int) k] = true;
        }
      }
    }
    int[] out = new int[count];
    int c = 0;
    for (int i = 2; i <= limit; i++) {
      if (!composite[i]) {
        out[c++] = i;
      }
    }
    return out;
  }
}
