package dev.autokey.core.crypto;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One symmetric key of an ntpd keys file ({@code ntp.keys}): key ID, type, secret and the optional
 * list of addresses allowed to use it.
 *
 * <p>The secret is copied in and out; {@link #toString()} does not show it and there is no {@code
 * equals}: compare secrets with {@link #sameSecret}.
 */
public final class SymmetricKey {
  /** Lowest key ID. */
  public static final int MIN_KEY_ID = 1;
  /** Highest symmetric key ID (larger IDs are reserved for Autokey). */
  public static final int MAX_KEY_ID = 65_535;
  /** Longest secret ntpd stores (32 bytes). */
  public static final int MAX_SECRET_LENGTH = 32;

  /**
   * An address restriction: {@code address/prefix}.
   *
   * @param address the network address
   * @param prefixLength the prefix length, 0..32 (IPv4) or 0..128 (IPv6)
   */
  public record AddressRange(InetAddress address, int prefixLength) {
    /** Validates the prefix length against the address family. */
    public AddressRange {
      Objects.requireNonNull(address, "address");
      int max = address.getAddress().length * 8;
      if (prefixLength < 0 || prefixLength > max) {
        throw new IllegalArgumentException("prefix /" + prefixLength + " not in 0.." + max);
      }
    }

    /** Whether the address lies in this range (same family only). */
    public boolean contains(InetAddress a) {
      byte[] net = address.getAddress();
      byte[] x = a.getAddress();
      if (net.length != x.length) {
        return false;
      }
      int full = prefixLength / 8;
      for (int i = 0; i < full; i++) {
        if (net[i] != x[i]) {
          return false;
        }
      }
      int rem = prefixLength % 8;
      if (rem == 0) {
        return true;
      }
      int mask = (0xff << (8 - rem)) & 0xff;
      return (net[full] & mask) == (x[full] & mask);
    }
  }

  private final int keyId;
  private final String type;
  private final byte[] secret;
  private final List<AddressRange> allowed;

  /**
   * A key.
   *
   * @param keyId 1..65535
   * @param type the canonical type name ({@code MD5}, {@code SHA1}, {@code AES128CMAC}, …)
   * @param secret 1..32 bytes
   * @param allowed address restrictions; empty = any address
   */
  public SymmetricKey(int keyId, String type, byte[] secret, List<AddressRange> allowed) {
    if (keyId < MIN_KEY_ID || keyId > MAX_KEY_ID) {
      throw new IllegalArgumentException("key ID " + keyId + " not in 1..65535");
    }
    this.keyId = keyId;
    this.type = Objects.requireNonNull(type, "type");
    Objects.requireNonNull(secret, "secret");
    if (secret.length < 1 || secret.length > MAX_SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "secret length " + secret.length + " not in 1.." + MAX_SECRET_LENGTH);
    }
    this.secret = secret.clone();
    this.allowed = List.copyOf(allowed);
  }

  /** The key ID. */
  public int keyId() {
    return keyId;
  }

  /** The canonical type name. */
  public String type() {
    return type;
  }

  /** A copy of the secret. */
  public byte[] secret() {
    return secret.clone();
  }

  /** The secret length. */
  public int secretLength() {
    return secret.length;
  }

  /** The address restrictions (empty: any address). */
  public List<AddressRange> allowed() {
    return allowed;
  }

  /** Whether an address may use this key. */
  public boolean allows(InetAddress a) {
    if (allowed.isEmpty()) {
      return true;
    }
    for (AddressRange r : allowed) {
      if (r.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** Constant-time comparison of the secrets (and equal type and ID). */
  public boolean sameSecret(SymmetricKey other) {
    return other.keyId == keyId
        && other.type.equals(type)
        && MessageDigest.isEqual(other.secret, secret);
  }

  /** Overwrites the in-memory secret copy of this object with zeros. */
  public void destroy() {
    Arrays.fill(secret, (byte) 0);
  }

  @Override
  public String toString() {
    return "SymmetricKey[" + keyId + " " + type + ", " + secret.length + "-byte secret"
        + (allowed.isEmpty() ? "" : ", " + allowed.size() + " address ranges") + "]";
  }
}
