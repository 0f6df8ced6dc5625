package dev.autokey.crypto.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.DSASigner;
import org.bouncycastle.crypto.params.DSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;

/** DSA with a DER {@code Dss-Sig-Value} (strict DER on verification, as OpenSSL 1.1.1). */
public final class DsaDer {
  private DsaDer() {}

  /** Signs with a random k. */
  public static byte[] sign(DSAPrivateKeyParameters priv, String digestName, byte[] data, SecureRandom rnd) {
    DSADigestSigner s = new DSADigestSigner(new DSASigner(), Digests.create(digestName));
    s.init(true, new ParametersWithRandom(priv, rnd));
    s.update(data, 0, data.length);
    return s.generateSignature();
  }

  /** Verifies; false for any malformed input. */
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
