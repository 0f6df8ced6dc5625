package dev.autokey.testing;

import java.util.Locale;

/**
 * Seeded property-test harness on plain JUnit.
 *
 * <p>Each property runs {@value #DEFAULT_CASES} generated cases by default. Case {@code i} uses a
 * generator seeded with a value derived from the run's master seed, so a whole run is replayed
 * with {@code -Dautokey.seed=<seed>}; a single case with {@code -Dautokey.seed=<seed>
 * -Dautokey.case=<i>}. {@code -Dautokey.cases=N} overrides the number of cases of every property
 * (for longer soak runs). On failure the error names the property, the case, both seeds and the
 * command that re-runs it.
 *
 * <pre>{@code
 * PropertyCheck.forAll("decode(encode(x)) == x", g -> {
 *   byte[] value = g.bytes(0, 100);
 *   assertArrayEquals(value, decode(encode(value)));
 * });
 * }</pre>
 */
public final class PropertyCheck {
  /** Default number of cases per property. */
  public static final int DEFAULT_CASES = 1000;

  /** One property case. */
  @FunctionalInterface
  public interface Case {
    /** Runs the case with values from {@code g}; throws (any Throwable) on failure. */
    void run(Gen g) throws Throwable;
  }

  private final int cases;

  private PropertyCheck(int cases) {
    this.cases = cases;
  }

  /** A check running the given number of cases (unless {@code -Dautokey.cases} overrides it). */
  public static PropertyCheck cases(int cases) {
    if (cases < 1) {
      throw new IllegalArgumentException("cases must be >= 1: " + cases);
    }
    return new PropertyCheck(cases);
  }

  /** Runs {@code property} for {@value #DEFAULT_CASES} cases. */
  public static void forAll(String name, Case property) {
    cases(DEFAULT_CASES).check(name, property);
  }

  /** Runs {@code property} for this check's number of cases; returns the number run. */
  public int check(String name, Case property) {
    long master = masterSeed();
    String onlyCase = System.getProperty("autokey.case");
    int n = Integer.getInteger("autokey.cases", cases);
    int first = 0;
    int last = n - 1;
    if (onlyCase != null && !onlyCase.isBlank()) {
      first = Integer.parseInt(onlyCase.trim());
      last = first;
    }
    for (int i = first; i <= last; i++) {
      long caseSeed = caseSeed(master, i);
      Gen g = new Gen(caseSeed);
      try {
        property.run(g);
      } catch (Throwable t) {
        String msg = String.format(Locale.ROOT,
            "property '%s' failed at case %d of %d (master seed %d, case seed %d); re-run with "
                + "-Dautokey.seed=%d -Dautokey.case=%d: %s",
            name, i, n, master, caseSeed, master, i, t);
        System.out.println("[property] " + msg);
        throw new AssertionError(msg, t);
      }
    }
    return last - first + 1;
  }

  /** The master seed: {@code -Dautokey.seed} if given, otherwise fresh per run. */
  public static long masterSeed() {
    String s = System.getProperty("autokey.seed");
    if (s != null && !s.isBlank()) {
      return Long.decode(s.trim());
    }
    return SeedHolder.SEED;
  }

  private static long caseSeed(long master, int i) {
    long z = master + 0x9E3779B97F4A7C15L * (i + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static final class SeedHolder {
    static final long SEED = new java.security.SecureRandom().nextLong();

    static {
      System.out.println("[property] master seed for this JVM: " + SEED
          + " (re-run with -Dautokey.seed=" + SEED + ")");
    }
  }
}
