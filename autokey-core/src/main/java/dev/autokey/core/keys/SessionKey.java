package dev.autokey.core.keys;

import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.core.internal.ConstantTimeBytes;
import java.util.Objects;

/**
 * A session key: the full session digest of (source, destination, key ID, cookie), docs/protocol.md
 * §7.1. Secret material: {@link #toString} shows only the key ID and length, {@code equals} is
 * identity; compare keys with {@link #sameAs} (constant time). Immutable.
 */
public final class SessionKey {
  private final DigestAlgorithm algorithm;
  private final int keyId;
  private final byte[] key;

  SessionKey(DigestAlgorithm algorithm, int keyId, byte[] key) {
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.key = key;
  }

  /**
   * A session key from its bytes (copied), e.g. one an application cached.
   *
   * @throws IllegalArgumentException if {@code key} is not {@code algorithm.length()} bytes
   */
  public static SessionKey of(DigestAlgorithm algorithm, int keyId, byte[] key) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(key, "key");
    if (key.length != algorithm.length()) {
      throw new IllegalArgumentException("a " + algorithm + " session key has "
          + algorithm.length() + " bytes, not " + key.length);
    }
    return new SessionKey(algorithm, keyId, key.clone());
  }

  /** The session digest that made this key. */
  public DigestAlgorithm algorithm() {
    return algorithm;
  }

  /** The key ID this key belongs to. */
  public int keyId() {
    return keyId;
  }

  /** The next key ID: the first 4 bytes of the key, big-endian. */
  public int nextKeyId() {
    return KeyIds.readInt(key, 0);
  }

  /** Key length (the digest length). */
  public int length() {
    return key.length;
  }

  /** The key bytes (a copy). */
  public byte[] bytes() {
    return key.clone();
  }

  /** Package access to the key bytes without a copy. */
  byte[] raw() {
    return key;
  }

  /** Whether {@code other} has the same algorithm, key ID and bytes (constant time in the bytes). */
  public boolean sameAs(SessionKey other) {
    return other != null && other.algorithm == algorithm && other.keyId == keyId
        && other.key.length == key.length
        && ConstantTimeBytes.equal(key, 0, other.key, 0, key.length);
  }

  @Override
  public String toString() {
    return "SessionKey[" + algorithm + ", key ID " + KeyIds.hex(keyId) + ", " + key.length
        + " bytes redacted]";
  }
}
