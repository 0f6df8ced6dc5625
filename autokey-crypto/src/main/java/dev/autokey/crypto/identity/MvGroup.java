package dev.autokey.crypto.identity;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An MV (Mu–Varadharajan) group as the trusted authority holds it ({@code ntpkey_MVta_<group>}):
 * the parameters p = 2q + 1, q (a product of distinct primes), g, the master key A, the group
 * key b, the server key and one client key per member. As in ntp-keygen, the last member's key
 * is revoked (ntp-keygen always revokes one key, "otherwise the plaintext and cryptotext would be
 * identical"), so a group made for n keys serves n − 1 clients.
 *
 * <p>{@link #toString()} never shows key values.
 */
public final class MvGroup {
  /** Default number of keys ({@code ntp-keygen -V 4}). */
  public static final int DEFAULT_KEYS = 4;
  /** Default modulus size (ntp-keygen's {@code -b} default, 256: q of 256 bits, p of 257). */
  public static final int DEFAULT_MODULUS_BITS = 256;
  /** Largest number of keys ({@code MVMAX} − 1 in ntp-keygen). */
  public static final int MAX_KEYS = 99;
  /** Bound on prime replacements while looking for p (ntp-keygen has none). */
  private static final int MAX_TRIES = 100_000;

  private final BigInteger p;
  private final BigInteger q;
  private final BigInteger g;
  private final BigInteger a;
  private final BigInteger b;
  private final MvServerKey server;
  private final List<MvClientKey> clients;
  private final int revoked;

  private MvGroup(BigInteger p, BigInteger q, BigInteger g, BigInteger a, BigInteger b,
      MvServerKey server, List<MvClientKey> clients, int revoked) {
    this.p = p;
    this.q = q;
    this.g = g;
    this.a = a;
    this.b = b;
    this.server = server;
    this.clients = Collections.unmodifiableList(new ArrayList<>(clients));
    this.revoked = revoked;
  }

  /**
   * A group from its stored parts (e.g. a trusted-authority file). The revoked member is the one
   * whose key does not satisfy ḡ^x̂ · ĝ^x̄ · E ≡ 1 (mod p); at most one may fail.
   *
   * @throws IllegalArgumentException if the parts do not belong together
   */
  public static MvGroup of(BigInteger p, BigInteger q, BigInteger g, BigInteger a, BigInteger b,
      MvServerKey server, List<MvClientKey> clients) {
    Objects.requireNonNull(server, "server");
    if (!server.p().equals(p) || !server.q().equals(q)) {
      throw new IllegalArgumentException("MV server key has another p or q than the group");
    }
    IdentityMath.checkKeyRange("MV g", g, p);
    IdentityMath.checkKeyRange("MV A", a, p);
    IdentityMath.checkKeyRange("MV b", b, q);
    if (clients.isEmpty() || clients.size() > MAX_KEYS) {
      throw new IllegalArgumentException("MV group needs 1.." + MAX_KEYS + " client keys");
    }
    int bad = 0;
    for (int j = 0; j < clients.size(); j++) {
      MvClientKey c = clients.get(j);
      if (!c.p().equals(p)) {
        throw new IllegalArgumentException("MV client key " + (j + 1) + " has another p");
      }
      if (!enabled(server, c)) {
        if (bad != 0) {
          throw new IllegalArgumentException("MV keys " + bad + " and " + (j + 1)
              + " both fail to decrypt; the files do not belong together");
        }
        bad = j + 1;
      }
    }
    return new MvGroup(p, q, g, a, b, server, clients, bad);
  }

  private static boolean enabled(MvServerKey s, MvClientKey c) {
    BigInteger p = s.p();
    return s.gbar().modPow(c.xhat(), p).multiply(s.ghat().modPow(c.xbar(), p)).mod(p)
        .multiply(s.e()).mod(p).equals(BigInteger.ONE);
  }

  /**
   * Generates a group the way ntp-keygen {@code -V keys -b modulusBits} does ({@code
   * gen_mvkey}): {@code keys} distinct primes of {@code modulusBits / keys} bits whose product q
   * makes p = 2q + 1 prime (replacing one prime per failed try), a generator g with gcd(g, p−1)
   * = 1 and g^q = 1, polynomial roots xⱼ coprime to q, the master key A, a group key b coprime
   * to q, client keys x̄ⱼ = (Σ_{i≠j} xᵢⁿ) / b and x̂ⱼ = xⱼⁿ · (q + sⱼ)/sⱼ, and, revoking the last
   * key with s = q / sₙ, E = A^s, ḡ = g^s, ĝ = g^(s·b).
   *
   * @param keys number of keys n (2..{@value #MAX_KEYS}); key n is revoked
   * @param modulusBits size of q; each prime gets {@code modulusBits / keys} bits (at least 16)
   */
  public static MvGroup generate(int keys, int modulusBits, SecureRandom random, long filestamp) {
    return generate(keys, modulusBits / Math.max(keys, 1), modulusBits, 0, random, filestamp);
  }

  /**
   * Like {@link #generate}, but p gets exactly {@code pBits} bits, a multiple of 8, so its top
   * byte is at least 0x80. Reason: ntpd's MV client writes a short challenge r at the start of a
   * p-sized buffer and sends uninitialised tail bytes (docs/protocol.md §9.6), and the exchange then
   * fails. With ntp-keygen's default sizes p has 257 bits (top byte 0x01) and about half of all
   * ntpd challenges are short; with a byte-aligned p at most 1 in 128 is. Each of the {@code
   * keys} primes gets ⌈(pBits − 1) / keys⌉ bits; a try whose p has another length is treated
   * like a composite p (one prime replaced).
   *
   * @param pBits size of p, a multiple of 8 (default for ntpd-usable files: 256)
   * @throws IllegalArgumentException if no product of such primes can have pBits − 1 bits
   */
  public static MvGroup generateForNtpd(int keys, int pBits, SecureRandom random,
      long filestamp) {
    if (pBits % 8 != 0 || keys < 2) {
      throw new IllegalArgumentException("MV p size " + pBits + " must be a multiple of 8");
    }
    int bits = (pBits - 1 + keys - 1) / keys;
    // a product of k primes of b bits with the top two bits set lies in [0.75^k, 1) * 2^(k*b)
    int lowest = keys * bits + (int) Math.floor(keys * Math.log(0.75) / Math.log(2)) + 1;
    if (pBits - 1 < lowest || pBits - 1 > keys * bits) {
      throw new IllegalArgumentException("MV: " + keys + " primes of " + bits
          + " bits cannot give a " + (pBits - 1) + "-bit q");
    }
    return generate(keys, bits, pBits - 1, pBits, random, filestamp);
  }

  private static MvGroup generate(int keys, int bits, int modulusBits, int pBits,
      SecureRandom random, long filestamp) {
    Objects.requireNonNull(random, "random");
    if (keys < 2 || keys > MAX_KEYS) {
      throw new IllegalArgumentException("MV keys " + keys + ": use 2.." + MAX_KEYS);
    }
    if (bits < 16 || modulusBits > IdentityMath.MAX_MODULUS_BITS) {
      throw new IllegalArgumentException("MV modulus " + modulusBits + " bits for " + keys
          + " keys: each prime needs at least 16 bits, modulus at most "
          + IdentityMath.MAX_MODULUS_BITS);
    }
    int n = keys;
    BigInteger[] s1 = new BigInteger[n + 1];
    for (int j = 1; j <= n; j++) {
      s1[j] = distinctPrime(bits, s1, random);
    }
    BigInteger q;
    BigInteger p;
    int tries = 0;
    while (true) {
      q = BigInteger.ONE;
      for (int j = 1; j <= n; j++) {
        q = q.multiply(s1[j]);
      }
      p = q.shiftLeft(1).add(BigInteger.ONE);
      if ((pBits == 0 || p.bitLength() == pBits) && Primes.isProbablePrime(p)) {
        break;
      }
      tries++;
      if (tries > MAX_TRIES) {
        throw new IllegalStateException("MV: no suitable p after " + MAX_TRIES + " tries");
      }
      int j = tries % n + 1;
      s1[j] = distinctPrime(bits, s1, random);
    }
    BigInteger pm1 = p.subtract(BigInteger.ONE);
    BigInteger g;
    while (true) {
      g = new BigInteger(p.bitLength() - 1, random).mod(p);
      if (g.signum() > 0 && g.gcd(pm1).equals(BigInteger.ONE)
          && g.modPow(q, p).equals(BigInteger.ONE)) {
        break;
      }
    }
    BigInteger[] x = new BigInteger[n + 1];
    for (int j = 1; j <= n; j++) {
      x[j] = coprimeBelow(q, random);
    }
    // coefficients of prod (X - x[j]) mod q: multiply by (X - x[j]) one root at a time
    BigInteger[] coef = new BigInteger[n + 1];
    coef[0] = BigInteger.ONE;
    for (int i = 1; i <= n; i++) {
      coef[i] = BigInteger.ZERO;
    }
    for (int j = 1; j <= n; j++) {
      for (int i = j; i >= 0; i--) {
        BigInteger lower = i > 0 ? coef[i - 1] : BigInteger.ZERO;
        coef[i] = lower.subtract(coef[i].multiply(x[j])).mod(q);
      }
    }
    BigInteger[] ai = coef; // ai[i] multiplies X^i
    BigInteger bigN = BigInteger.valueOf(n);
    BigInteger[] gs = new BigInteger[n + 1];
    for (int i = 0; i <= n; i++) {
      gs[i] = g.modPow(ai[i], p);
    }
    for (int j = 1; j <= n; j++) { // ntp-keygen's self-check: f(x_j) = 0
      BigInteger e = BigInteger.ZERO;
      for (int i = 0; i <= n; i++) {
        e = e.add(x[j].modPow(BigInteger.valueOf(i), q).multiply(ai[i])).mod(q);
      }
      if (e.signum() != 0) {
        throw new IllegalStateException("MV polynomial check failed");
      }
    }
    BigInteger bigA = BigInteger.ONE;
    for (int j = 1; j <= n; j++) {
      for (int i = 0; i < n; i++) {
        bigA = bigA.multiply(gs[i].modPow(x[j].modPow(BigInteger.valueOf(i), q), p)).mod(p);
      }
    }
    BigInteger b = coprimeBelow(q, random);
    BigInteger b1 = b.modInverse(q);
    List<MvClientKey> clients = new ArrayList<>();
    for (int j = 1; j <= n; j++) {
      BigInteger w = q.add(s1[j]).divide(s1[j]);
      BigInteger xb = BigInteger.ZERO;
      for (int i = 1; i <= n; i++) {
        if (i != j) {
          xb = xb.add(x[i].modPow(bigN, q));
        }
      }
      BigInteger xbar = xb.multiply(b1).mod(q);
      BigInteger xhat = x[j].modPow(bigN, q).multiply(w).mod(q);
      clients.add(MvClientKey.of(p, xbar, xhat, filestamp));
    }
    BigInteger s = q.divide(s1[n]);
    BigInteger e = bigA.modPow(s, p);
    BigInteger gbar = g.modPow(s, p);
    BigInteger ghat = g.modPow(s.multiply(b).mod(q), p);
    MvServerKey server = MvServerKey.of(p, q, e, gbar, ghat, filestamp);
    MvGroup group = of(p, q, g, bigA, b, server, clients);
    if (group.revoked != n) {
      throw new IllegalStateException("MV generation: key " + n + " should be the revoked one");
    }
    return group;
  }

  private static BigInteger distinctPrime(int bits, BigInteger[] have, SecureRandom random) {
    while (true) {
      BigInteger c = BigInteger.probablePrime(bits, random);
      if (!c.testBit(bits - 2)) {
        continue; // top two bits set, like OpenSSL's BN_generate_prime_ex, so q has n*bits bits
      }
      boolean dup = false;
      for (BigInteger h : have) {
        if (c.equals(h)) {
          dup = true;
          break;
        }
      }
      if (!dup) {
        return c;
      }
    }
  }

  private static BigInteger coprimeBelow(BigInteger q, SecureRandom random) {
    while (true) {
      BigInteger c = new BigInteger(q.bitLength(), random).mod(q);
      if (c.signum() > 0 && c.gcd(q).equals(BigInteger.ONE)) {
        return c;
      }
    }
  }

  /** Prime modulus p. */
  public BigInteger p() {
    return p;
  }

  /** q = (p − 1) / 2. */
  public BigInteger q() {
    return q;
  }

  /** Generator g. */
  public BigInteger g() {
    return g;
  }

  /** Master encryption key A. */
  public BigInteger a() {
    return a;
  }

  /** Group key b (ntp-keygen's PKCS#8 trusted-authority file loses it). */
  public BigInteger b() {
    return b;
  }

  /** The server key ({@code ntpkey_mvkey_<group>}). */
  public MvServerKey serverKey() {
    return server;
  }

  /** Number of client keys (n, including the revoked one). */
  public int keyCount() {
    return clients.size();
  }

  /** Client key j, 1-based ({@code ntp-keygen -e} exports key 1). */
  public MvClientKey clientKey(int j) {
    if (j < 1 || j > clients.size()) {
      throw new IllegalArgumentException("MV client key " + j + " of 1.." + clients.size());
    }
    return clients.get(j - 1);
  }

  /** All client keys in order. */
  public List<MvClientKey> clientKeys() {
    return clients;
  }

  /** The revoked key's number (1-based), or 0 if none is revoked. */
  public int revokedKey() {
    return revoked;
  }

  /** Filestamp of the group (its server key's). */
  public long filestamp() {
    return server.filestamp();
  }

  @Override
  public String toString() {
    return "MvGroup[p " + p.bitLength() + " bits, " + clients.size() + " keys, revoked "
        + revoked + ", filestamp " + filestamp() + "]";
  }
}
