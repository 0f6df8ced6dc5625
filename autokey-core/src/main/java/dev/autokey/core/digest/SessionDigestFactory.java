package dev.autokey.core.digest;

import dev.autokey.core.AutokeyException;

/**
 * Creates {@link SessionDigest} engines. {@link JdkSessionDigests} is the JDK-backed factory in
 * core; {@code autokey-crypto} provides a Bouncy Castle-backed one covering every {@link
 * DigestAlgorithm}. Implementations are immutable and thread-safe; the engines they create are
 * not.
 */
public interface SessionDigestFactory {
  /** Whether {@link #create} can provide {@code algorithm}. */
  boolean supports(DigestAlgorithm algorithm);

  /**
   * A new, independent engine for {@code algorithm}.
   *
   * @throws UnsupportedDigestException ({@link dev.autokey.core.XEvent#MD}) if this factory
   *     cannot provide it
   */
  SessionDigest create(DigestAlgorithm algorithm) throws AutokeyException;
}
