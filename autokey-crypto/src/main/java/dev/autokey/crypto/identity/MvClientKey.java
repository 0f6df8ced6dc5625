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
 * MV (Mu–Varadharajan) client key of one group member j: the prime p and the private
 * decryption pair (x̄ⱼ, x̂ⱼ), with the filestamp of its file ({@code ntpkey_mvpar_<group>}).
 *
 * <p>Check (docs/protocol.md §9.5): for challenge r and response {@code SEQUENCE{Y, Q, G}} (each in
 * [1, p)), accept iff Q^x̂ · G^x̄ · Y mod p == r. A revoked client's key never verifies.
 */
public final class MvClientKey {
  private final BigInteger p;
  private final BigInteger xbar;
  private final BigInteger xhat;
  private final long filestamp;

  private MvClientKey(BigInteger p, BigInteger xbar, BigInteger xhat, long filestamp) {
    this.p = p;
    this.xbar = xbar;
    this.xhat = xhat;
    this.filestamp = filestamp;
  }

  /**
   * A validated key.
   *
   * @throws IllegalArgumentException if x̄ or x̂ is not in [1, p) or p is out of limits
   */
  public static MvClientKey of(BigInteger p, BigInteger xbar, BigInteger xhat, long filestamp) {
    IdentityMath.checkModulus("MV p", p, 16);
    IdentityMath.checkKeyRange("MV xbar", Objects.requireNonNull(xbar, "xbar"), p);
    IdentityMath.checkKeyRange("MV xhat", Objects.requireNonNull(xhat, "xhat"), p);
    IffKey.checkFilestamp(filestamp);
    return new MvClientKey(p, xbar, xhat, filestamp);
  }

  /** Prime modulus p = 2q + 1. */
  public BigInteger p() {
    return p;
  }

  /** x̄ⱼ. */
  public BigInteger xbar() {
    return xbar;
  }

  /** x̂ⱼ (ntp-keygen's PKCS#8 file loses it). */
  public BigInteger xhat() {
    return xhat;
  }

  /** Filestamp of the file; a response must carry exactly this. */
  public long filestamp() {
    return filestamp;
  }

  /** Challenge length in bytes (byte length of p). */
  public int challengeLength() {
    return byteLength(p);
  }

  /** The client ("Alice") side. */
  public IdentityClient client() {
    return new Client(this);
  }

  @Override
  public String toString() {
    return "MvClientKey[p " + p.bitLength() + " bits, filestamp " + filestamp + "]";
  }

  private static final class Client implements IdentityClient {
    private final MvClientKey k;

    Client(MvClientKey k) {
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
    public IdentityChallenge challenge(SecureRandom random) {
      return IdentityMath.challenge(IdentityScheme.MV, k.p, random);
    }

    @Override
    public void verify(IdentityChallenge outstanding, byte[] value, long responseFilestamp)
        throws AutokeyException {
      if (responseFilestamp != k.filestamp) {
        throw new AutokeyException(XEvent.FSP, String.format(
            "MV response filestamp %d, parameter file %d", responseFilestamp, k.filestamp));
      }
      BigInteger r = IdentityMath.outstanding(IdentityScheme.MV, outstanding, k.p);
      int max = byteLength(k.p) + 1;
      BigInteger[] yqg = Der.decodeIntegers(value, "MV response", max, max, max);
      IdentityMath.checkRange("MV response Y", yqg[0], k.p);
      IdentityMath.checkRange("MV response Q", yqg[1], k.p);
      IdentityMath.checkRange("MV response G", yqg[2], k.p);
      BigInteger rr = yqg[1].modPow(k.xhat, k.p)
          .multiply(yqg[2].modPow(k.xbar, k.p)).mod(k.p)
          .multiply(yqg[0]).mod(k.p);
      if (!IdentityMath.equalsFixed(rr, r, byteLength(k.p))) {
        throw new AutokeyException(XEvent.ID, "MV identity not verified");
      }
    }
  }
}
