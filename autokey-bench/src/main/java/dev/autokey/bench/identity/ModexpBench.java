package dev.autokey.bench.identity;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@link BigInteger#modPow} with an odd modulus of {@code modulusBits} and an exponent of
 * {@code exponentBits}: the sizes the identity exchanges use (see {@link IdentityExchangeBench}).
 * The native counterpart is {@code autokey-bench/native/identity-modexp.c} (OpenSSL {@code
 * BN_mod_exp}), run by {@code autokey-bench/native/identity-baseline.sh} with the same sizes and
 * the same generator of operands.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ModexpBench {
  /** "modulus bits / exponent bits". */
  @Param({"512/160", "1024/160", "2048/256", "512/512", "1024/1024", "2048/2048"})
  public String size;

  private static final int OPERANDS = 64;
  private BigInteger modulus;
  private final BigInteger[] bases = new BigInteger[OPERANDS];
  private final BigInteger[] exponents = new BigInteger[OPERANDS];
  private int i;

  /** Random odd modulus with its top bit set, random bases below it, exponents of full size. */
  @Setup(Level.Trial)
  public void setUp() {
    String[] p = size.split("/");
    int m = Integer.parseInt(p[0]);
    int e = Integer.parseInt(p[1]);
    SplittableRandom r = new SplittableRandom(m * 31L + e);
    modulus = random(r, m).setBit(m - 1).setBit(0);
    for (int k = 0; k < OPERANDS; k++) {
      bases[k] = random(r, m).mod(modulus);
      exponents[k] = random(r, e).setBit(e - 1);
    }
  }

  private static BigInteger random(SplittableRandom r, int bits) {
    byte[] b = new byte[(bits + 7) / 8];
    for (int k = 0; k < b.length; k++) {
      b[k] = (byte) r.nextInt(256);
    }
    return new BigInteger(1, b).shiftRight(b.length * 8 - bits);
  }

  /** One modular exponentiation. */
  @Benchmark
  public BigInteger modPow() {
    int k = i++ & (OPERANDS - 1);
    return bases[k].modPow(exponents[k], modulus);
  }
}
