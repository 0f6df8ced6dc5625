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
 * GQ (Guillou–Quisquater) client parameters: modulus n and group key b, with the filestamp of
 * the parameter file ({@code ntpkey_gqpar_<group>}). The server's public key v = (u^−1)^b mod n
 * is not in this file: ntpd takes it from the trusted certificate's subjectKeyIdentifier
 * ({@link #publicValueFromSubjectKeyIdentifier}), so the client is made with {@link
 * #client(BigInteger)}.
 *
 * <p>Check (the designed formula, docs/protocol.md §9.4): for challenge r and response {@code
 * DSA_SIG{y, hash}}, accept iff 0 &lt; y &lt; n and MD5(v^r · y^b mod n) == hash. ntpd 4.2.8p9 and
 * later compute v^r · y^d with d from the parameter file's RSA d field; the {@code ntpd-usable}
 * file flavour therefore stores b in d as well (see {@link IdentityFiles}).
 */
public final class GqParameters {
  private final BigInteger n;
  private final BigInteger b;
  private final long filestamp;

  private GqParameters(BigInteger n, BigInteger b, long filestamp) {
    this.n = n;
    this.b = b;
    this.filestamp = filestamp;
  }

  /**
   * Validated parameters.
   *
   * @throws IllegalArgumentException if b is not in [2, n) or a size limit is exceeded
   */
  public static GqParameters of(BigInteger n, BigInteger b, long filestamp) {
    IdentityMath.checkModulus("GQ n", n, 64);
    IdentityMath.checkKeyRange("GQ group key b", Objects.requireNonNull(b, "b"), n);
    if (b.equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("GQ group key b must not be 1");
    }
    IffKey.checkFilestamp(filestamp);
    return new GqParameters(n, b, filestamp);
  }

  /** Modulus n. */
  public BigInteger n() {
    return n;
  }

  /** Group key b (secret to the group). */
  public BigInteger b() {
    return b;
  }

  /** Filestamp of the parameter file; a response must not carry an older one. */
  public long filestamp() {
    return filestamp;
  }

  /** Challenge length in bytes (byte length of n). */
  public int challengeLength() {
    return byteLength(n);
  }

  /**
   * The client side, with the server's public value v from its trusted certificate.
   *
   * @throws IllegalArgumentException if v is not in [2, n)
   */
  public IdentityClient client(BigInteger v) {
    IdentityMath.checkKeyRange("GQ public value v", Objects.requireNonNull(v, "v"), n);
    if (v.equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("GQ public value v must not be 1");
    }
    return new Client(this, v);
  }

  /**
   * The GQ public value in a certificate's subjectKeyIdentifier extension: {@code extnValue} is
   * the DER {@code OCTET STRING} holding v's big-endian bytes. Long-form lengths are decoded
   * properly (ntpd skips exactly two bytes, so it misreads v of 128 bytes or more).
   *
   * @throws AutokeyException {@link XEvent#ID} if the bytes are not one OCTET STRING or are empty
   */
  public static BigInteger publicValueFromSubjectKeyIdentifier(byte[] extnValue)
      throws AutokeyException {
    if (extnValue.length < 3 || (extnValue[0] & 0xff) != 0x04) {
      throw new AutokeyException(XEvent.ID, "subjectKeyIdentifier is not an OCTET STRING");
    }
    int len;
    int off;
    int l0 = extnValue[1] & 0xff;
    if (l0 < 0x80) {
      len = l0;
      off = 2;
    } else if (l0 == 0x81 && extnValue.length >= 3) {
      len = extnValue[2] & 0xff;
      off = 3;
    } else if (l0 == 0x82 && extnValue.length >= 4) {
      len = ((extnValue[2] & 0xff) << 8) | (extnValue[3] & 0xff);
      off = 4;
    } else {
      throw new AutokeyException(XEvent.ID, "subjectKeyIdentifier length form unsupported");
    }
    if (len == 0 || off + len != extnValue.length) {
      throw new AutokeyException(XEvent.ID, String.format(
          "subjectKeyIdentifier length %d does not match %d bytes", len, extnValue.length - off));
    }
    if (len > IdentityMath.MAX_MODULUS_BITS / 8) {
      throw new AutokeyException(XEvent.ID, "subjectKeyIdentifier longer than any GQ modulus");
    }
    byte[] v = new byte[len];
    System.arraycopy(extnValue, off, v, 0, len);
    return new BigInteger(1, v);
  }

  /** The subjectKeyIdentifier {@code extnValue} for v: {@code OCTET STRING} of v's minimal bytes. */
  public static byte[] subjectKeyIdentifierFor(BigInteger v) {
    byte[] m = IdentityMath.magnitude(v);
    int hdr = m.length < 0x80 ? 2 : (m.length < 0x100 ? 3 : 4);
    byte[] out = new byte[hdr + m.length];
    out[0] = 0x04;
    if (hdr == 2) {
      out[1] = (byte) m.length;
    } else if (hdr == 3) {
      out[1] = (byte) 0x81;
      out[2] = (byte) m.length;
    } else {
      out[1] = (byte) 0x82;
      out[2] = (byte) (m.length >>> 8);
      out[3] = (byte) m.length;
    }
    System.arraycopy(m, 0, out, hdr, m.length);
    return out;
  }

  @Override
  public String toString() {
    return "GqParameters[n " + n.bitLength() + " bits, filestamp " + filestamp + "]";
  }

  private static final class Client implements IdentityClient {
    private final GqParameters k;
    private final BigInteger v;

    Client(GqParameters k, BigInteger v) {
      this.k = k;
      this.v = v;
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
    public IdentityChallenge challenge(SecureRandom random) {
      return IdentityMath.challenge(IdentityScheme.GQ, k.n, random);
    }

    @Override
    public void verify(IdentityChallenge outstanding, byte[] value, long responseFilestamp)
        throws AutokeyException {
      if (responseFilestamp < k.filestamp) {
        throw new AutokeyException(XEvent.FSP, String.format(
            "GQ response filestamp %d older than the parameter file's %d",
            responseFilestamp, k.filestamp));
      }
      BigInteger r = IdentityMath.outstanding(IdentityScheme.GQ, outstanding, k.n);
      BigInteger[] sig = Der.decodeIntegers(
          value, "GQ response", byteLength(k.n) + 1, IdentityMath.HASH_LENGTH + 1);
      BigInteger y = sig[0];
      IdentityMath.checkRange("GQ response y", y, k.n);
      BigInteger t = v.modPow(r, k.n).multiply(y.modPow(k.b, k.n)).mod(k.n);
      if (!IdentityMath.hashEquals(IdentityMath.bighash(t), sig[1])) {
        throw new AutokeyException(XEvent.ID, "GQ identity not verified");
      }
    }
  }
}
