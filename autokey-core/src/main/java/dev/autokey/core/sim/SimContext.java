package dev.autokey.core.sim;

import java.net.InetAddress;

/** What a {@link SimNode} may do: read the virtual clock and send datagrams. */
public interface SimContext {
  /** The virtual time (NTP 64-bit). */
  long now();

  /** Sends a datagram (delivered according to the link's {@link LinkProfile}). */
  void send(InetAddress source, InetAddress destination, byte[] payload);
}
