package dev.autokey.crypto.identity;

import static dev.autokey.crypto.identity.IdentityMath.byteLength;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityScheme;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * IFF (Schnorr) client parameters: the DSA-style group (p, q, g) and the public value
 * v = g^(q−b) mod p of the group key b, with the filestamp of the file they came from
 * ({@code ntpkey_iffpar_<group>}). All values are public to group members.
 *
 * <p>Check (docs/protocol.md §9.3): for challenge r and response {@code DSA_SIG{y, hash}},
 * accept iff 0 &lt; y &lt; q and MD5(g^y · v^r mod p) == hash.
 */
public final class IffParameters {
  private final BigInteger p;
  private final BigInteger q;
  private final BigInteger g;
  private final BigInteger v;
  private final long filestamp;

  private IffParameters(BigInteger p, BigInteger q, BigInteger g, BigInteger v, long filestamp) {
    this.p = p;
    this.q = q;
    this.g = g;
    this.v = v;
    this.filestamp = filestamp;
  }

  /**
   * Validated parameters.
   *
   * @throws IllegalArgumentException if q does not divide p − 1, g is not of order q, v is not
   *     in [2, p), or a size limit is exceeded
   */
  public static IffParameters of(
      BigInteger p, BigInteger q, BigInteger g, BigInteger v, long filestamp) {
    IffKey.checkGroup(p, q, g);
    IdentityMath.checkKeyRange("IFF v", Objects.requireNonNull(v, "v"), p);
    if (v.equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("IFF v must not be 1");
    }
    if (!v.modPow(q, p).equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("IFF v is not in the subgroup of order q");
    }
    IffKey.checkFilestamp(filestamp);
    return new IffParameters(p, q, g, v, filestamp);
  }

  /** Prime modulus p. */
  public BigInteger p() {
    return p;
  }

  /** Prime q dividing p − 1 (the challenge modulus). */
  public BigInteger q() {
    return q;
  }

  /** Generator g of order q. */
  public BigInteger g() {
    return g;
  }

  /** Public value v = g^(q−b) mod p. */
  public BigInteger v() {
    return v;
  }

  /** Filestamp (NTP seconds) of the parameter file; a response must carry exactly this. */
  public long filestamp() {
    return filestamp;
  }

  /** Challenge length in bytes (the byte length of q; 20 for ntp-keygen's 160-bit q). */
  public int challengeLength() {
    return byteLength(q);
  }

  /** The client ("Alice") side for these parameters. */
  public IdentityClient client() {
    return new Client(this);
  }

  @Override
  public String toString() {
    return "IffParameters[p " + p.bitLength() + " bits, q " + q.bitLength() + " bits, filestamp "
        + filestamp + "]";
  }

  private static final class Client implements IdentityClient {
    private final IffParameters k;
    private final int hashMax = IdentityMath.HASH_LENGTH + 1;

    Client(IffParameters k) {
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
    public IdentityChallenge challenge(SecureRandom random) {
      return IdentityMath.challenge(IdentityScheme.IFF, k.q, random);
    }

    @Override
    public void verify(IdentityChallenge outstanding, byte[] value, long responseFilestamp)
        throws AutokeyException {
      if (responseFilestamp != k.filestamp) {
        throw new AutokeyException(XEvent.FSP, String.format(
            "IFF response filestamp %d, parameter file %d", responseFilestamp, k.filestamp));
      }
      BigInteger r = IdentityMath.outstanding(IdentityScheme.IFF, outstanding, k.q);
      BigInteger[] sig = Der.decodeIntegers(value, "IFF response", byteLength(k.q) + 1, hashMax);
      BigInteger y = sig[0];
      IdentityMath.checkRange("IFF response y", y, k.q);
      BigInteger t = k.g.modPow(y, k.p).multiply(k.v.modPow(r, k.p)).mod(k.p);
      if (!IdentityMath.hashEquals(IdentityMath.bighash(t), sig[1])) {
        throw new AutokeyException(XEvent.ID, "IFF identity not verified");
      }
    }
  }
}
