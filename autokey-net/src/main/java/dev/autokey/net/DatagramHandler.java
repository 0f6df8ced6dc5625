package dev.autokey.net;

/** Receives every datagram of a {@link UdpTransport}, on the transport's loop thread. */
@FunctionalInterface
public interface DatagramHandler {
  /**
   * Handles one datagram. The datagram's payload is only valid during this call. A
   * {@link RuntimeException} thrown here is counted and logged; the loop keeps running.
   */
  void onDatagram(Datagram datagram);
}
