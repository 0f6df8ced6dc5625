package dev.autokey.core.protocol;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Per-thread address bytes for the responder's allocation-free path. {@link
 * InetAddress#getAddress()} returns a fresh copy on every call, so it is avoided: an IPv4
 * address is read from {@link Inet4Address#hashCode()} (its address as an {@code int}, by the
 * JDK's specification of that method) into a reusable 4-byte buffer, and the bytes of IPv6
 * addresses are kept in a small direct-mapped cache keyed by address equality (which the JDK
 * computes from the address bytes alone, without copying). A miss costs one copy; a server sees
 * few local addresses and clients that poll again and again, so the steady state allocates
 * nothing. The cached arrays are never written after they are stored and are only read.
 *
 * <p>One instance per thread (not thread-safe); the cache is bounded at {@link #IPV6_SLOTS}
 * entries.
 */
final class AddressBytes {
  /** Number of IPv6 addresses remembered per thread. */
  static final int IPV6_SLOTS = 32;

  private final byte[] client4 = new byte[4];
  private final byte[] local4 = new byte[4];
  private final InetAddress[] keys = new InetAddress[IPV6_SLOTS];
  private final byte[][] values = new byte[IPV6_SLOTS][];

  /** The client's address bytes (valid until the next call on this thread). */
  byte[] client(InetAddress a) {
    return bytes(a, client4);
  }

  /** The local address bytes (valid until the next call on this thread). */
  byte[] local(InetAddress a) {
    return bytes(a, local4);
  }

  private byte[] bytes(InetAddress a, byte[] four) {
    if (a instanceof Inet4Address) {
      int v = a.hashCode(); // Inet4Address: the address, network order, as an int
      four[0] = (byte) (v >>> 24);
      four[1] = (byte) (v >>> 16);
      four[2] = (byte) (v >>> 8);
      four[3] = (byte) v;
      return four;
    }
    int h = a.hashCode();
    int i = (h ^ (h >>> 16)) & (IPV6_SLOTS - 1);
    InetAddress k = keys[i];
    if (k == a || (k != null && k.equals(a))) {
      return values[i];
    }
    byte[] b = a.getAddress();
    values[i] = b;
    keys[i] = a;
    return b;
  }
}
