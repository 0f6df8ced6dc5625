package dev.autokey.crypto.identity;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.identity.IdentityServer;
import dev.autokey.core.protocol.WorkBudget;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * GQ (Guillou–Quisquater) server key: modulus n (an RSA modulus whose factors are discarded),
 * group key b, private key u and public key v = (u^−1)^b mod n, with the filestamp of its file
 * ({@code ntpkey_gqkey_<group>}, ntp-keygen's {@code ntpkey_GQkey_<group>.<fs>}). v is also
 * published in the host certificate's subjectKeyIdentifier.
 *
 * <p>Response (the designed formula, docs/protocol.md §9.4) to challenge r: random k in [1, n),
 * y = k · u^r mod n, x = k^b mod n; value = DER {@code DSA_SIG{y, MD5(x)}}.
 *
 * <p>{@link #toString()} never shows b or u.
 */
public final class GqKey {
  /** Default size of n for {@link #generate} (ntp-keygen needs {@code -b 512} at least). */
  public static final int DEFAULT_N_BITS = 512;

  private final BigInteger n;
  private final BigInteger b;
  private final BigInteger u;
  private final BigInteger v;
  private final long filestamp;

  private GqKey(BigInteger n, BigInteger b, BigInteger u, BigInteger v, long filestamp) {
    this.n = n;
    this.b = b;
    this.u = u;
    this.v = v;
    this.filestamp = filestamp;
  }

  /**
   * A validated key.
   *
   * @throws IllegalArgumentException if u^b · v ≢ 1 (mod n) or a value is out of range
   */
  public static GqKey of(BigInteger n, BigInteger b, BigInteger u, BigInteger v, long filestamp) {
    GqParameters.of(n, b, filestamp);
    IdentityMath.checkKeyRange("GQ private key u", Objects.requireNonNull(u, "u"), n);
    IdentityMath.checkKeyRange("GQ public key v", Objects.requireNonNull(v, "v"), n);
    if (!u.modPow(b, n).multiply(v).mod(n).equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("GQ key inconsistent: u^b * v != 1 mod n");
    }
    return new GqKey(n, b, u, v, filestamp);
  }

  /**
   * Generates a fresh key as ntp-keygen {@code -G} does: an RSA modulus n (e = 65537, factors
   * discarded), random group key b and private key u below n, v = (u^−1)^b mod n.
   *
   * @param nBits size of n, 512 to 4096
   */
  public static GqKey generate(int nBits, SecureRandom random, long filestamp) {
    Objects.requireNonNull(random, "random");
    if (nBits < 512 || nBits > 4096) {
      throw new IllegalArgumentException("GQ modulus size " + nBits + ": use 512..4096");
    }
    RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
    gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), random, nBits, 80));
    AsymmetricCipherKeyPair pair = gen.generateKeyPair();
    BigInteger n = ((RSAKeyParameters) pair.getPublic()).getModulus();
    BigInteger two = BigInteger.TWO;
    BigInteger b;
    do {
      b = IdentityMath.uniform(n, random);
    } while (b.compareTo(two) < 0);
    BigInteger u;
    do {
      u = IdentityMath.uniform(n, random);
    } while (!u.gcd(n).equals(BigInteger.ONE));
    BigInteger v = u.modInverse(n).modPow(b, n);
    return of(n, b, u, v, filestamp);
  }

  /** Modulus n. */
  public BigInteger n() {
    return n;
  }

  /** Group key b. */
  public BigInteger b() {
    return b;
  }

  /** Private key u. */
  public BigInteger u() {
    return u;
  }

  /** Public key v = (u^−1)^b mod n. */
  public BigInteger v() {
    return v;
  }

  /** Filestamp of the key file. */
  public long filestamp() {
    return filestamp;
  }

  /** The client parameters (n, b; same filestamp, as ntp-keygen {@code -e} exports). */
  public GqParameters parameters() {
    return GqParameters.of(n, b, filestamp);
  }

  /** The server ("Bob") side for this key. */
  public IdentityServer server() {
    return new Server(this);
  }

  @Override
  public String toString() {
    return "GqKey[n " + n.bitLength() + " bits, filestamp " + filestamp + "]";
  }

  private static final class Server implements IdentityServer {
    private final GqKey k;

    Server(GqKey k) {
      this.k = k;
    }

    @Override
    public IdentityScheme scheme() {
      return IdentityScheme.GQ;
    }

    @Override
    public long filestamp() {
      return k.filestamp;
    }

    @Override
    public byte[] respond(byte[] challenge, SecureRandom random) throws AutokeyException {
      BigInteger r = IdentityMath.readChallenge("GQ", challenge, k.n);
      BigInteger kk = IdentityMath.uniform(k.n, random);
      BigInteger y = kk.multiply(k.u.modPow(r, k.n)).mod(k.n);
      BigInteger x = kk.modPow(k.b, k.n);
      return Der.encodeIntegers(y, new BigInteger(1, IdentityMath.bighash(x)));
    }

    /** Two exponentiations mod n: with the challenge (up to n) and with b. */
    @Override
    public double responseWork() {
      int bits = k.n.bitLength();
      return Math.max(WorkBudget.MIN_OPERATION,
          WorkBudget.modExp(bits, bits) + WorkBudget.modExp(bits, k.b.bitLength()));
    }
  }
}
