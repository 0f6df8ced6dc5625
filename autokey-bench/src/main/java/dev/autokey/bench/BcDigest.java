package dev.autokey.bench;

import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.core.digest.SessionDigest;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;

/**
 * A Bouncy Castle lightweight digest behind the core's SessionDigest interface, for comparing
 * with the JDK's MessageDigest (benchmark use only; autokey-crypto owns the production adapter).
 */
final class BcDigest implements SessionDigest {
  private final DigestAlgorithm algorithm;
  private final Digest digest;

  BcDigest(DigestAlgorithm algorithm) {
    this.algorithm = algorithm;
    this.digest = switch (algorithm) {
      case MD5 -> new MD5Digest();
      case SHA1 -> new SHA1Digest();
      default -> throw new IllegalArgumentException(algorithm.toString());
    };
  }

  @Override
  public DigestAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public void update(byte[] input, int offset, int length) {
    digest.update(input, offset, length);
  }

  @Override
  public void digest(byte[] out, int offset) {
    digest.doFinal(out, offset);
  }

  @Override
  public void reset() {
    digest.reset();
  }
}
