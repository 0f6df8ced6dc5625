package dev.autokey.crypto.identity;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.identity.IdentityServer;
import dev.autokey.core.protocol.WorkBudget;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.DSAParametersGenerator;
import org.bouncycastle.crypto.params.DSAParameterGenerationParameters;
import org.bouncycastle.crypto.params.DSAParameters;

/**
 * IFF (Schnorr) server key: the group (p, q, g) and the secret group key b, 0 &lt; b &lt; q,
 * with the filestamp of its file ({@code ntpkey_iffkey_<group>}, ntp-keygen's {@code
 * ntpkey_IFFkey_<group>.<fs>}).
 *
 * <p>Response (docs/protocol.md §9.3) to challenge r: random k in [1, q), y = (k + b·r) mod q,
 * x = g^k mod p; value = DER {@code DSA_SIG{y, MD5(x)}}.
 *
 * <p>{@link #toString()} never shows b.
 */
public final class IffKey {
  /** Default size of p for {@link #generate} (ntp-keygen's effective default). */
  public static final int DEFAULT_P_BITS = 512;

  private final BigInteger p;
  private final BigInteger q;
  private final BigInteger g;
  private final BigInteger b;
  private final long filestamp;
  private final BigInteger v;

  private IffKey(BigInteger p, BigInteger q, BigInteger g, BigInteger b, long filestamp) {
    this.p = p;
    this.q = q;
    this.g = g;
    this.b = b;
    this.filestamp = filestamp;
    this.v = g.modPow(q.subtract(b), p);
  }

  /**
   * A validated key.
   *
   * @throws IllegalArgumentException if the group is inconsistent or b is not in [1, q)
   */
  public static IffKey of(BigInteger p, BigInteger q, BigInteger g, BigInteger b, long filestamp) {
    checkGroup(p, q, g);
    IdentityMath.checkKeyRange("IFF group key b", Objects.requireNonNull(b, "b"), q);
    checkFilestamp(filestamp);
    return new IffKey(p, q, g, b, filestamp);
  }

  /**
   * Generates a fresh group as ntp-keygen {@code -I} does: DSA parameters (q of 160 bits for p
   * below 2048 bits, 256 bits from 2048 on) and a random group key b.
   *
   * @param pBits size of p: a multiple of 64 from 512 to 1024, or 2048 or 3072
   * @param random source of all randomness
   * @param filestamp NTP seconds of generation (the file's filestamp)
   */
  public static IffKey generate(int pBits, SecureRandom random, long filestamp) {
    Objects.requireNonNull(random, "random");
    DSAParametersGenerator gen;
    if (pBits >= 512 && pBits <= 1024 && pBits % 64 == 0) {
      gen = new DSAParametersGenerator();
      gen.init(pBits, 80, random);
    } else if (pBits == 2048 || pBits == 3072) {
      gen = new DSAParametersGenerator(new SHA256Digest());
      gen.init(new DSAParameterGenerationParameters(pBits, 256, 80, random));
    } else {
      throw new IllegalArgumentException(
          "IFF p size " + pBits + ": use a multiple of 64 in 512..1024, or 2048, 3072");
    }
    DSAParameters dsa = gen.generateParameters();
    BigInteger b = IdentityMath.uniform(dsa.getQ(), random);
    return of(dsa.getP(), dsa.getQ(), dsa.getG(), b, filestamp);
  }

  static void checkGroup(BigInteger p, BigInteger q, BigInteger g) {
    IdentityMath.checkModulus("IFF p", p, 64);
    IdentityMath.checkModulus("IFF q", q, 32);
    if (q.compareTo(p) >= 0 || !p.subtract(BigInteger.ONE).mod(q).equals(BigInteger.ZERO)) {
      throw new IllegalArgumentException("IFF q does not divide p - 1");
    }
    IdentityMath.checkKeyRange("IFF g", Objects.requireNonNull(g, "g"), p);
    if (g.equals(BigInteger.ONE) || !g.modPow(q, p).equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("IFF g is not of order q");
    }
  }

  static void checkFilestamp(long filestamp) {
    if (filestamp < 0 || filestamp > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("filestamp is not an unsigned 32-bit value: " + filestamp);
    }
  }

  /** Prime modulus p. */
  public BigInteger p() {
    return p;
  }

  /** Prime q dividing p − 1. */
  public BigInteger q() {
    return q;
  }

  /** Generator g of order q. */
  public BigInteger g() {
    return g;
  }

  /** The secret group key b. */
  public BigInteger b() {
    return b;
  }

  /** The public value v = g^(q−b) mod p (derived; ntp-keygen's PKCS#8 file does not keep it). */
  public BigInteger v() {
    return v;
  }

  /** Filestamp (NTP seconds) of the key file. */
  public long filestamp() {
    return filestamp;
  }

  /** The client parameters of this group (same filestamp, as ntp-keygen {@code -e} exports). */
  public IffParameters parameters() {
    return IffParameters.of(p, q, g, v, filestamp);
  }

  /** The server ("Bob") side for this key. */
  public IdentityServer server() {
    return new Server(this);
  }

  @Override
  public String toString() {
    return "IffKey[p " + p.bitLength() + " bits, q " + q.bitLength() + " bits, filestamp "
        + filestamp + "]";
  }

  private static final class Server implements IdentityServer {
    private final IffKey k;

    Server(IffKey k) {
      this.k = k;
    }

    @Override
    public IdentityScheme scheme() {
      return IdentityScheme.IFF;
    }

    @Override
    public long filestamp() {
      return k.filestamp;
    }

    @Override
    public byte[] respond(byte[] challenge, SecureRandom random) throws AutokeyException {
      BigInteger r = IdentityMath.readChallenge("IFF", challenge, k.q);
      BigInteger kk = IdentityMath.uniform(k.q, random);
      BigInteger y = kk.add(k.b.multiply(r)).mod(k.q);
      BigInteger x = k.g.modPow(kk, k.p);
      return Der.encodeIntegers(y, new BigInteger(1, IdentityMath.bighash(x)));
    }

    /** One exponentiation mod p with an exponent below q. */
    @Override
    public double responseWork() {
      return Math.max(WorkBudget.MIN_OPERATION,
          WorkBudget.modExp(k.p.bitLength(), k.q.bitLength()));
    }
  }

}
