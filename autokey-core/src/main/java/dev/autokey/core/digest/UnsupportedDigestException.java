package dev.autokey.core.digest;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.util.Objects;

/**
 * A known session digest that the chosen {@link SessionDigestFactory} cannot provide (for
 * example RIPEMD160 with {@link JdkSessionDigests}). Always {@link XEvent#MD}.
 */
public final class UnsupportedDigestException extends AutokeyException {
  private static final long serialVersionUID = 1L;

  private final DigestAlgorithm algorithm;

  /** An exception for {@code algorithm}, with a message naming the factory. */
  public UnsupportedDigestException(DigestAlgorithm algorithm, String message) {
    super(XEvent.MD, message);
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
  }

  /** An exception for {@code algorithm} with a cause. */
  public UnsupportedDigestException(DigestAlgorithm algorithm, String message, Throwable cause) {
    super(XEvent.MD, message, cause);
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
  }

  /** The digest that is not available. */
  public DigestAlgorithm algorithm() {
    return algorithm;
  }
}
