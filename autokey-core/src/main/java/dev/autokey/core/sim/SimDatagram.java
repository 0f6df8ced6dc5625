package dev.autokey.core.sim;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A datagram in flight.
 *
 * @param source sender address
 * @param destination receiver address (unicast or a broadcast address)
 * @param payload the UDP payload (a defensive copy)
 * @param sentAt virtual send time (NTP 64-bit)
 */
public record SimDatagram(InetAddress source, InetAddress destination, byte[] payload,
    long sentAt) {
  /** Copies the payload. */
  public SimDatagram {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Payload length. */
  public int length() {
    return payload.length;
  }

  /** A copy with another payload (for attackers). */
  public SimDatagram withPayload(byte[] p) {
    return new SimDatagram(source, destination, p, sentAt);
  }

  @Override
  public String toString() {
    return source.getHostAddress() + " -> " + destination.getHostAddress() + " "
        + payload.length + " B";
  }
}
