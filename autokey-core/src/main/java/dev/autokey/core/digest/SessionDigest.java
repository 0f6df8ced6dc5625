package dev.autokey.core.digest;

/**
 * One stateful engine of a session digest (the Autokey "message digest", {@link
 * DigestAlgorithm}). Not thread-safe: keep one per thread or per association. Implementations
 * must not allocate in {@link #update} or {@link #digest}, so the per-packet path stays free of
 * garbage.
 */
public interface SessionDigest {
  /** The algorithm this engine computes. */
  DigestAlgorithm algorithm();

  /** Output length in bytes ({@code algorithm().length()}). */
  default int length() {
    return algorithm().length();
  }

  /** Feeds {@code length} bytes of {@code input} from {@code offset}. */
  void update(byte[] input, int offset, int length);

  /**
   * Completes the hash, writes {@link #length()} bytes to {@code out} at {@code offset} and
   * resets the engine for the next message.
   *
   * @throws IndexOutOfBoundsException if {@code out} has fewer than {@code length()} bytes from
   *     {@code offset}
   */
  void digest(byte[] out, int offset);

  /** Discards any input fed since the last {@link #digest}. */
  void reset();
}
