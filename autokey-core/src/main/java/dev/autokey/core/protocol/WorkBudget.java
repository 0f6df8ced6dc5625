package dev.autokey.core.protocol;

import dev.autokey.core.internal.Checks;

/**
 * The server's budget for expensive work (signing, cookie encryption, identity responses, SIGN),
 * counted in <em>work units</em> rather than operations.
 *
 * <p><b>The unit.</b> One work unit is the CPU work of one RSA private-key operation (CRT) with a
 * 2048-bit modulus — about 1 ms on one current x86 core. Every expensive answer is charged its
 * estimated cost before the work is done, from the sizes involved: the host's own key for its
 * signatures, the peer's modulus and exponent for public-key operations on the peer's key (COOK
 * encryption, verifying a SIGN request), the group size for identity responses. The estimates
 * come from {@link #modExp}, {@link #rsaPrivate}, {@link #rsaPublic}, {@link #dsaSign} and
 * {@link #dsaVerify}: a modular multiplication with a {@code b}-bit modulus costs
 * (b/2048)<sup>2</sup>/614.4 units (schoolbook, as {@code BigInteger.modPow} does it), an
 * exponentiation with a {@code k}-bit exponent 1.2·k of them, and no public-key operation is
 * charged less than {@link #MIN_OPERATION} (padding, hashing and blinding dominate small keys).
 *
 * <p><b>Buckets.</b> A global token bucket of {@code burst} units refilled at {@code perSecond}
 * units per (virtual) second bounds the expensive CPU of all clients together. In front of it, a
 * bounded table of per-source buckets (indexed twice by a secret hash of the client's address
 * pair, fixed size, no allocation per address) gives one source at most {@code 1/shares} of the
 * rate and of the burst, so a single flooding source cannot starve other clients; a flood from
 * many (spoofed) sources is still bounded by the global bucket. An operation is granted when
 * both buckets hold at least its cost (or are full, for an operation costing more than a full
 * bucket); the cost is then taken from both, possibly leaving them in debt. Over budget, a
 * request is answered with ntpd's empty or error response instead of the expensive field —
 * never queued. Plain MAC-verify-and-reply is not metered.
 *
 * <p>The default, 200 units per second with bursts of 50 units, keeps the honest throughput of
 * the earlier operation-counting budget (200 operations per second) for 2048-bit deployments —
 * a CERT or COOK answer of a 2048-bit host costs about one unit — and gives 512- and 1024-bit
 * deployments more; whatever the peers send, expensive work stays within about 0.2 CPU-seconds
 * per second at the default.
 *
 * @param perSecond global refill rate, 1..1,000,000 units per second
 * @param burst global bucket size, 1..1,000,000 units
 * @param shares one source gets at most {@code perSecond/shares} units per second and {@code
 *     burst/shares} units of burst, 1..1024 (1 = no per-source limit)
 */
public record WorkBudget(int perSecond, int burst, int shares) {
  /** Default: 200 work units per second. */
  public static final int DEFAULT_PER_SECOND = 200;
  /** Default burst: 50 work units. */
  public static final int DEFAULT_BURST = 50;
  /** Default per-source share: one source gets at most 1/8 of the rate and burst. */
  public static final int DEFAULT_SHARES = 8;
  /** The least any public-key operation is charged (1/32 unit, about 30 µs). */
  public static final double MIN_OPERATION = 1.0 / 32;

  /** Units per modular multiplication with a 2048-bit modulus (RSA-2048 private = 1 unit). */
  private static final double MUL_2048 = 1.0 / 614.4;

  /** Validates the components. */
  public WorkBudget {
    Checks.argument(perSecond >= 1 && perSecond <= 1_000_000,
        "perSecond %s not in 1..1000000", perSecond);
    Checks.argument(burst >= 1 && burst <= 1_000_000, "burst %s not in 1..1000000",
        burst);
    Checks.argument(shares >= 1 && shares <= 1024, "shares %s not in 1..1024",
        shares);
  }

  /**
   * A budget with the default per-source share ({@link #DEFAULT_SHARES}).
   *
   * @param perSecond global refill rate, work units per second
   * @param burst global bucket size, work units
   */
  public WorkBudget(int perSecond, int burst) {
    this(perSecond, burst, DEFAULT_SHARES);
  }

  /** The default budget. */
  public static WorkBudget defaults() {
    return new WorkBudget(DEFAULT_PER_SECOND, DEFAULT_BURST, DEFAULT_SHARES);
  }

  /** The per-source refill rate, units per second. */
  public double perSourcePerSecond() {
    return (double) perSecond / shares;
  }

  /** The per-source bucket size, units. */
  public double perSourceBurst() {
    return (double) burst / shares;
  }

  /**
   * Work of one modular multiplication.
   *
   * @param modulusBits modulus size, bits
   */
  public static double modMul(int modulusBits) {
    double r = Math.max(modulusBits, 1) / 2048.0;
    return r * r * MUL_2048;
  }

  /**
   * Work of a modular exponentiation with a random exponent (sliding windows: 1.2 multiplications
   * per exponent bit), not floored.
   *
   * @param modulusBits modulus size, bits
   * @param exponentBits exponent size, bits
   */
  public static double modExp(int modulusBits, int exponentBits) {
    return 1.2 * Math.max(exponentBits, 1) * modMul(modulusBits);
  }

  /**
   * Work of one RSA private-key operation with CRT (two half-size exponentiations); 1.0 for a
   * 2048-bit modulus.
   *
   * @param modulusBits modulus size, bits
   */
  public static double rsaPrivate(int modulusBits) {
    int half = (modulusBits + 1) / 2;
    return Math.max(MIN_OPERATION, 2 * modExp(half, half));
  }

  /**
   * Work of one RSA public-key operation (encryption or signature verification): one squaring
   * per exponent bit after the first and one multiplication per further set bit.
   *
   * @param modulusBits modulus size, bits
   * @param exponentBits bit length of the public exponent
   * @param exponentWeight number of set bits of the public exponent
   */
  public static double rsaPublic(int modulusBits, int exponentBits, int exponentWeight) {
    int mults = Math.max(exponentBits - 1, 0) + Math.max(exponentWeight - 1, 0);
    return Math.max(MIN_OPERATION, mults * modMul(modulusBits));
  }

  /**
   * Work of one DSA signature: one exponentiation mod p with a q-bit exponent.
   *
   * @param pBits size of p, bits
   * @param qBits size of q, bits
   */
  public static double dsaSign(int pBits, int qBits) {
    return Math.max(MIN_OPERATION, modExp(pBits, qBits));
  }

  /**
   * Work of one DSA verification with a key not seen before: two exponentiations mod p with
   * q-bit exponents, and a third for the group check of y.
   *
   * @param pBits size of p, bits
   * @param qBits size of q, bits
   */
  public static double dsaVerify(int pBits, int qBits) {
    return Math.max(MIN_OPERATION, 3 * modExp(pBits, qBits));
  }
}
