package dev.autokey.crypto.identity;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.identity.IdentityServer;
import dev.autokey.core.protocol.WorkBudget;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * MV (Mu–Varadharajan) server key: p = 2q + 1, q, the session encryption key E and the partial
 * decryption keys ḡ (gbar) and ĝ (ghat), with the filestamp of its file ({@code
 * ntpkey_mvkey_<group>}).
 *
 * <p>Response (docs/protocol.md §9.5) to challenge r: random k in [1, q) with gcd(k, q) = 1;
 * value = DER {@code SEQUENCE{Y = E^k · r, Q = ḡ^k, G = ĝ^k}} (all mod p).
 *
 * <p>{@link #toString()} never shows key values.
 */
public final class MvServerKey {
  private final BigInteger p;
  private final BigInteger q;
  private final BigInteger e;
  private final BigInteger gbar;
  private final BigInteger ghat;
  private final long filestamp;

  private MvServerKey(BigInteger p, BigInteger q, BigInteger e, BigInteger gbar, BigInteger ghat,
      long filestamp) {
    this.p = p;
    this.q = q;
    this.e = e;
    this.gbar = gbar;
    this.ghat = ghat;
    this.filestamp = filestamp;
  }

  /**
   * A validated key.
   *
   * @throws IllegalArgumentException if p ≠ 2q + 1 or E, ḡ, ĝ are not in the subgroup of order q
   */
  public static MvServerKey of(BigInteger p, BigInteger q, BigInteger e, BigInteger gbar,
      BigInteger ghat, long filestamp) {
    IdentityMath.checkModulus("MV p", p, 16);
    Objects.requireNonNull(q, "q");
    if (!p.equals(q.shiftLeft(1).add(BigInteger.ONE))) {
      throw new IllegalArgumentException("MV p != 2q + 1");
    }
    checkOrderQ("MV E", e, p, q);
    checkOrderQ("MV gbar", gbar, p, q);
    checkOrderQ("MV ghat", ghat, p, q);
    IffKey.checkFilestamp(filestamp);
    return new MvServerKey(p, q, e, gbar, ghat, filestamp);
  }

  private static void checkOrderQ(String what, BigInteger x, BigInteger p, BigInteger q) {
    IdentityMath.checkKeyRange(what, Objects.requireNonNull(x, what), p);
    if (!x.modPow(q, p).equals(BigInteger.ONE)) {
      throw new IllegalArgumentException(what + "^q != 1 mod p");
    }
  }

  /** Prime modulus p. */
  public BigInteger p() {
    return p;
  }

  /** q = (p − 1) / 2, a product of distinct primes. */
  public BigInteger q() {
    return q;
  }

  /** Session encryption key E (the DSA g field of the file). */
  public BigInteger e() {
    return e;
  }

  /** Partial decryption key ḡ (the DSA private field). */
  public BigInteger gbar() {
    return gbar;
  }

  /** Partial decryption key ĝ (the DSA public field; ntp-keygen's PKCS#8 file loses it). */
  public BigInteger ghat() {
    return ghat;
  }

  /** Filestamp of the key file. */
  public long filestamp() {
    return filestamp;
  }

  /** The server ("Bob") side. */
  public IdentityServer server() {
    return new Server(this);
  }

  @Override
  public String toString() {
    return "MvServerKey[p " + p.bitLength() + " bits, filestamp " + filestamp + "]";
  }

  private static final class Server implements IdentityServer {
    private final MvServerKey k;

    Server(MvServerKey k) {
      this.k = k;
    }

    @Override
    public IdentityScheme scheme() {
      return IdentityScheme.MV;
    }

    @Override
    public long filestamp() {
      return k.filestamp;
    }

    @Override
    public byte[] respond(byte[] challenge, SecureRandom random) throws AutokeyException {
      BigInteger r = IdentityMath.readChallenge("MV", challenge, k.p);
      BigInteger kk;
      do {
        kk = IdentityMath.uniform(k.q, random);
      } while (!kk.gcd(k.q).equals(BigInteger.ONE));
      BigInteger y = k.e.modPow(kk, k.p).multiply(r).mod(k.p);
      BigInteger qq = k.gbar.modPow(kk, k.p);
      BigInteger gg = k.ghat.modPow(kk, k.p);
      return Der.encodeIntegers(y, qq, gg);
    }

    /** Three exponentiations mod p with exponents below q. */
    @Override
    public double responseWork() {
      return Math.max(WorkBudget.MIN_OPERATION,
          3 * WorkBudget.modExp(k.p.bitLength(), k.q.bitLength()));
    }
  }
}
