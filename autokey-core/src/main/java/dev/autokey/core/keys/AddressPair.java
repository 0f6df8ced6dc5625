package dev.autokey.core.keys;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The sender and the receiver of the packet a session key protects (docs/protocol.md §7.1): a client
 * request uses (client, server), the server's reply (server, client), a broadcast (server
 * unicast address, broadcast address). Immutable; the raw address bytes are copied once at
 * construction, so the per-packet path reads them without {@code InetAddress.getAddress()}
 * copies.
 *
 * <p>Both addresses must have the same family: 4 + 4 bytes (IPv4, a 16-byte session-key input) or
 * 16 + 16 bytes (IPv6, 40 bytes). Only the address bytes count: IPv6 scope IDs are ignored.
 * {@code InetAddress} turns IPv4-mapped IPv6 addresses into IPv4 ones; raw 16-byte mapped
 * addresses given to {@link #ofRaw} stay IPv6.
 */
public final class AddressPair {
  /** Length of an IPv4 address. */
  public static final int IPV4_LENGTH = 4;
  /** Length of an IPv6 address. */
  public static final int IPV6_LENGTH = 16;

  /** {@code source || destination}, 8 or 32 bytes. */
  private final byte[] prefix;

  private AddressPair(byte[] prefix) {
    this.prefix = prefix;
  }

  /**
   * The pair (source, destination).
   *
   * @throws IllegalArgumentException if the families differ
   */
  public static AddressPair of(InetAddress source, InetAddress destination) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    return ofRaw(source.getAddress(), destination.getAddress());
  }

  /**
   * The pair from raw network-order address bytes (both 4 or both 16 bytes). The arrays are
   * copied.
   *
   * @throws IllegalArgumentException if a length is not 4 or 16, or the lengths differ
   */
  public static AddressPair ofRaw(byte[] source, byte[] destination) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    checkLength(source.length, "source");
    checkLength(destination.length, "destination");
    if (source.length != destination.length) {
      throw new IllegalArgumentException("address families differ: source has " + source.length
          + " bytes, destination " + destination.length);
    }
    byte[] p = new byte[source.length * 2];
    System.arraycopy(source, 0, p, 0, source.length);
    System.arraycopy(destination, 0, p, source.length, destination.length);
    return new AddressPair(p);
  }

  private static void checkLength(int length, String what) {
    if (length != IPV4_LENGTH && length != IPV6_LENGTH) {
      throw new IllegalArgumentException(what + " address has " + length + " bytes (4 or 16)");
    }
  }

  /** The pair with source and destination swapped (the reply direction). */
  public AddressPair reversed() {
    int n = addressLength();
    byte[] p = new byte[prefix.length];
    System.arraycopy(prefix, n, p, 0, n);
    System.arraycopy(prefix, 0, p, n, n);
    return new AddressPair(p);
  }

  /** Whether the addresses are IPv6 (16 bytes each). */
  public boolean isIpv6() {
    return prefix.length == 2 * IPV6_LENGTH;
  }

  /** Length of one address: 4 or 16. */
  public int addressLength() {
    return prefix.length / 2;
  }

  /** Length of the session-key input: 16 (IPv4) or 40 (IPv6). */
  public int sessionKeyInputLength() {
    return prefix.length + 8;
  }

  /** The source address bytes (a copy). */
  public byte[] sourceBytes() {
    return Arrays.copyOfRange(prefix, 0, addressLength());
  }

  /** The destination address bytes (a copy). */
  public byte[] destinationBytes() {
    return Arrays.copyOfRange(prefix, addressLength(), prefix.length);
  }

  /** The source address. */
  public InetAddress source() {
    return address(sourceBytes());
  }

  /** The destination address. */
  public InetAddress destination() {
    return address(destinationBytes());
  }

  private static InetAddress address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: length is 4 or 16
    }
  }

  /** Copies {@code source || destination} into {@code out} at {@code offset}; returns the count. */
  int copyPrefix(byte[] out, int offset) {
    System.arraycopy(prefix, 0, out, offset, prefix.length);
    return prefix.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressPair && Arrays.equals(prefix, ((AddressPair) o).prefix);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(prefix);
  }

  @Override
  public String toString() {
    InetAddress s = source();
    InetAddress d = destination();
    String src = s instanceof Inet4Address ? s.getHostAddress() : "[" + s.getHostAddress() + "]";
    String dst = d instanceof Inet4Address ? d.getHostAddress() : "[" + d.getHostAddress() + "]";
    return src + " -> " + dst;
  }
}
