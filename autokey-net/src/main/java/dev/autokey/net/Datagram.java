package dev.autokey.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One received UDP datagram with the addresses an Autokey session key needs: the sender and the
 * local address it arrived on (for a datagram received on a socket bound to a broadcast address,
 * that broadcast address). Handed to a {@link DatagramHandler}; the payload view is only valid
 * during that call (the transport reuses its buffer), use {@link #copyPayload()} to keep it.
 */
public final class Datagram {
  private final byte[] buf;
  private final int length;
  private final InetSocketAddress source;
  private final InetSocketAddress local;
  private final boolean broadcastSocket;
  private final long receiveTime;

  Datagram(byte[] buf, int length, InetSocketAddress source, InetSocketAddress local,
      boolean broadcastSocket, long receiveTime) {
    Objects.checkFromIndexSize(0, length, buf.length);
    this.buf = buf;
    this.length = length;
    this.source = Objects.requireNonNull(source, "source");
    this.local = Objects.requireNonNull(local, "local");
    this.broadcastSocket = broadcastSocket;
    this.receiveTime = receiveTime;
  }

  /** A datagram over a copy of {@code payload} (for tests and simulations). */
  public static Datagram of(byte[] payload, InetSocketAddress source, InetSocketAddress local,
      boolean broadcastSocket, long receiveTime) {
    return new Datagram(payload.clone(), payload.length, source, local, broadcastSocket,
        receiveTime);
  }

  /** The UDP payload as a read-only buffer (position 0, limit = length). */
  public ByteBuffer payload() {
    return ByteBuffer.wrap(buf, 0, length).slice().asReadOnlyBuffer();
  }

  /** A fresh copy of the UDP payload. */
  public byte[] copyPayload() {
    return Arrays.copyOf(buf, length);
  }

  /** Byte {@code i} of the payload (0 ≤ i &lt; length). */
  public int get(int i) {
    Objects.checkIndex(i, length);
    return buf[i] & 0xFF;
  }

  /** The payload length in bytes. */
  public int length() {
    return length;
  }

  /** The sender's address and port. */
  public InetSocketAddress source() {
    return source;
  }

  /**
   * The local address and port the datagram arrived on: the address of the socket that received
   * it, i.e. the packet's destination address (a broadcast address for a broadcast socket).
   */
  public InetSocketAddress local() {
    return local;
  }

  /** Whether it arrived on a socket bound to a broadcast address. */
  public boolean arrivedOnBroadcastSocket() {
    return broadcastSocket;
  }

  /** Local receive time (raw NTP timestamp, taken right after the socket read returned). */
  public long receiveTime() {
    return receiveTime;
  }

  byte[] array() {
    return buf;
  }

  @Override
  public String toString() {
    return "Datagram[" + length + " bytes " + source + " -> " + local
        + (broadcastSocket ? " (broadcast)" : "") + "]";
  }
}
