package dev.autokey.crypto.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.params.DSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.DSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * DSA with a DER {@code Dss-Sig-Value} (strict DER on verification, as OpenSSL 1.1.1).
 *
 * <p>Two ways of signing: {@link #sign} gives the ordinary, minimal DER encoding of a signature
 * with one random k (its length varies: for a 160-bit q usually 46 or 47 bytes, sometimes
 * less); {@link #signMaximumLength} draws fresh k until both INTEGERs need their full q-size
 * byte string plus a leading zero, so that the encoding is exactly {@link #maximumLength} bytes
 * (OpenSSL's {@code DSA_size}). The second is what ntpd 4.2.8p15 accepts in an extension field:
 * its {@code crypto_verify} refuses every signature whose length differs from {@code
 * EVP_PKEY_size} of the signer's key.
 */
public final class DsaDer {
  /**
   * Most tries {@link #maximumLengthTries} returns: it bounds the work of one signature (one
   * modular exponentiation per try) for a q so close to a power of 256 that the maximum length
   * is rare.
   */
  static final int MAX_TRIES = 4096;

  private DsaDer() {}

  /** Signs with a random k; the encoding has whatever (minimal DER) length r and s give. */
  public static byte[] sign(DSAPrivateKeyParameters priv, String digestName, byte[] data, SecureRandom rnd) {
    DSADigestSigner s = new DSADigestSigner(new DSASigner(), Digests.create(digestName));
    s.init(true, new ParametersWithRandom(priv, rnd));
    s.update(data, 0, data.length);
    return s.generateSignature();
  }

  /**
   * The largest DER {@code Dss-Sig-Value} for q: OpenSSL's {@code DSA_size}, two INTEGERs of
   * {@code ceil(bits(q) / 8) + 1} content bytes (48 for a 160-bit q, 64 for 224, 72 for 256).
   */
  public static int maximumLength(BigInteger q) {
    return BcKeys.dsaSignatureSize(q.bitLength());
  }

  /**
   * The chance that one signature with a random k has the {@link #maximumLength}: r and s are
   * (close to) uniform in [1, q), and each needs the top bit of its {@code ceil(bits(q)/8)}-byte
   * string set, i.e. a value of at least {@code 2^(8n-1)}; so {@code ((q - 2^(8n-1)) / q)^2}.
   * That is 1/4 only for a q just below {@code 2^(8n)}: for the q ntp-keygen draws (about uniform
   * between {@code 2^159} and {@code 2^160}) it lies between 0 and 1/4, 0.11 on average (some 9
   * tries per signature). It is 0
   * when the bit length of q is not a multiple of 8: then no signature ever has the maximum
   * length.
   */
  public static double maximumLengthChance(BigInteger q) {
    int n = (q.bitLength() + 7) / 8;
    BigInteger topBit = BigInteger.ONE.shiftLeft(8 * n - 1);
    if (q.compareTo(topBit) <= 0) {
      return 0;
    }
    double c = q.subtract(topBit).doubleValue() / q.doubleValue();
    return c * c;
  }

  /**
   * The number of k that {@link #signMaximumLength} tries before it gives up: enough that giving
   * up has a chance of at most 2^-40 for the key's {@link #maximumLengthChance} (so at least 97,
   * the number for the best possible chance 1/4; 313 for a chance of 0.085), but at most {@value
   * #MAX_TRIES} (a q barely above {@code 2^(8n-1)} needs thousands of tries on average; such a key
   * also fails nearly every signature ntpd itself makes with it). 0 when the maximum length is
   * unreachable.
   */
  public static int maximumLengthTries(BigInteger q) {
    double p = maximumLengthChance(q);
    if (p <= 0) {
      return 0;
    }
    double t = Math.ceil(40 * Math.log(2) / -Math.log1p(-p));
    return (int) Math.min(MAX_TRIES, t);
  }

  /**
   * Signs with fresh random k until the DER encoding has the {@link #maximumLength} for the key's
   * q (both r and s at least {@code 2^(8n-1)}), at most {@code tries} times. The digest is
   * computed once; each try costs one exponentiation mod p.
   *
   * @return the signature, exactly {@link #maximumLength} bytes, or null when none of the tries
   *     had that length (or {@code tries} is 0)
   */
  public static byte[] signMaximumLength(DSAPrivateKeyParameters priv, String digestName,
      byte[] data, SecureRandom rnd, int tries) {
    Digest d = Digests.create(digestName);
    byte[] hash = new byte[d.getDigestSize()];
    d.update(data, 0, data.length);
    d.doFinal(hash, 0);
    BigInteger q = priv.getParameters().getQ();
    int fullBits = 8 * ((q.bitLength() + 7) / 8);
    DSASigner signer = new DSASigner();
    signer.init(true, new ParametersWithRandom(priv, rnd));
    for (int i = 0; i < tries; i++) {
      BigInteger[] rs = signer.generateSignature(hash); // a fresh k from rnd each call
      if (rs[0].bitLength() == fullBits && rs[1].bitLength() == fullBits) {
        try {
          return StandardDSAEncoding.INSTANCE.encode(q, rs[0], rs[1]);
        } catch (java.io.IOException e) {
          throw new IllegalStateException("DER encoding of a DSA signature failed", e);
        }
      }
    }
    return null;
  }

  /**
   * Verifies a DER {@code Dss-Sig-Value} of any length; false for any malformed input. The
   * encoding must be strict DER with nothing after it (Bouncy Castle re-encodes r and s and
   * compares), 0 &lt; r, s &lt; q.
   */
  public static boolean verify(DSAPublicKeyParameters pub, String digestName, byte[] data, byte[] sig) {
    BigInteger p = pub.getParameters().getP();
    BigInteger q = pub.getParameters().getQ();
    if (q.signum() <= 0 || p.signum() <= 0 || sig.length > 2 * (q.bitLength() / 8 + 16)) {
      return false;
    }
    try {
      Digest d = Digests.create(digestName);
      DSADigestSigner s = new DSADigestSigner(new DSASigner(), d);
      s.init(false, pub);
      s.update(data, 0, data.length);
      return s.verifySignature(sig);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
