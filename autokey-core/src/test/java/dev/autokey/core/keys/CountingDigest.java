package dev.autokey.core.keys;

import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.core.digest.SessionDigest;

/** A session digest that counts completed hashes. */
final class CountingDigest implements SessionDigest {
  private final SessionDigest inner;
  int digests;

  CountingDigest(SessionDigest inner) {
    this.inner = inner;
  }

  static CountingDigest md5() throws Exception {
    return new CountingDigest(
        dev.autokey.core.digest.JdkSessionDigests.factory().create(DigestAlgorithm.MD5));
  }

  @Override
  public DigestAlgorithm algorithm() {
    return inner.algorithm();
  }

  @Override
  public void update(byte[] input, int offset, int length) {
    inner.update(input, offset, length);
  }

  @Override
  public void digest(byte[] out, int offset) {
    digests++;
    inner.digest(out, offset);
  }

  @Override
  public void reset() {
    inner.reset();
  }
}
