package dev.autokey.core.identity;

import java.util.Arrays;
import java.util.Objects;

/**
 * One outstanding identity challenge made by {@link IdentityClient#challenge}: the scheme and the
 * exact value bytes sent (the random {@code r}, big-endian, left-padded with zeros to the
 * byte length of the scheme modulus). The challenge is not secret (it travels in clear); the
 * engine keeps at most one per association and discards it after any verification attempt, as
 * ntpd does.
 */
public final class IdentityChallenge {
  private final IdentityScheme scheme;
  private final byte[] value;

  /**
   * A challenge of the given scheme with the given value bytes (copied).
   *
   * @throws IllegalArgumentException if the scheme has no exchange or the value is empty
   */
  public IdentityChallenge(IdentityScheme scheme, byte[] value) {
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    if (!scheme.hasChallenge()) {
      throw new IllegalArgumentException(scheme + " has no identity challenge");
    }
    if (value.length == 0) {
      throw new IllegalArgumentException("empty challenge value");
    }
    this.value = value.clone();
  }

  /** The scheme this challenge belongs to. */
  public IdentityScheme scheme() {
    return scheme;
  }

  /** The value bytes to put into the request's value field (a copy). */
  public byte[] value() {
    return value.clone();
  }

  /** The value length in bytes ({@code vallen} of the request). */
  public int length() {
    return value.length;
  }

  @Override
  public String toString() {
    return "IdentityChallenge[" + scheme + ", " + value.length + " bytes]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdentityChallenge
        && ((IdentityChallenge) o).scheme == scheme
        && Arrays.equals(((IdentityChallenge) o).value, value);
  }

  @Override
  public int hashCode() {
    return scheme.hashCode() * 31 + Arrays.hashCode(value);
  }
}
