package dev.autokey.crypto;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.core.digest.SessionDigest;
import dev.autokey.core.digest.SessionDigestFactory;
import dev.autokey.core.digest.UnsupportedDigestException;
import java.util.Objects;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.digests.MD2Digest;
import org.bouncycastle.crypto.digests.WhirlpoolDigest;

/**
 * Session digests on Bouncy Castle's lightweight digests: every {@link DigestAlgorithm} except
 * MDC2 (which Bouncy Castle does not implement; ntpd's reference OpenSSL build does not enable it
 * either). Engines allocate nothing per message.
 */
public final class BcSessionDigests implements SessionDigestFactory {
  /** The instance. */
  public static final BcSessionDigests INSTANCE = new BcSessionDigests();

  private BcSessionDigests() {}

  @Override
  public boolean supports(DigestAlgorithm algorithm) {
    return algorithm != DigestAlgorithm.MDC2;
  }

  @Override
  public SessionDigest create(DigestAlgorithm algorithm) throws AutokeyException {
    Objects.requireNonNull(algorithm, "algorithm");
    Digest d =
        switch (algorithm) {
          case MDC2 -> throw new UnsupportedDigestException(algorithm, "MDC2 is not available");
          case MD2 -> new MD2Digest();
          case BLAKE2B512 -> new Blake2bDigest(512);
          case BLAKE2S256 -> new Blake2sDigest(256);
          case WHIRLPOOL -> new WhirlpoolDigest();
          default -> dev.autokey.crypto.internal.Digests.create(algorithm.openSslName());
        };
    if (d.getDigestSize() != algorithm.length()) {
      throw new UnsupportedDigestException(algorithm, "digest length " + d.getDigestSize()
          + " != " + algorithm.length());
    }
    return new Engine(algorithm, d);
  }

  private static final class Engine implements SessionDigest {
    private final DigestAlgorithm algorithm;
    private final Digest d;

    Engine(DigestAlgorithm algorithm, Digest d) {
      this.algorithm = algorithm;
      this.d = d;
    }

    @Override
    public DigestAlgorithm algorithm() {
      return algorithm;
    }

    @Override
    public void update(byte[] input, int offset, int length) {
      d.update(input, offset, length);
    }

    @Override
    public void digest(byte[] out, int offset) {
      Objects.checkFromIndexSize(offset, algorithm.length(), out.length);
      d.doFinal(out, offset);
    }

    @Override
    public void reset() {
      d.reset();
    }

    @Override
    public String toString() {
      return "BcSessionDigest[" + algorithm.openSslName() + "]";
    }
  }
}
