package dev.autokey.core.sim;

import java.net.InetAddress;
import java.util.Set;

/** A host in a {@link SimNetwork}. Called only from the network's (single) run loop. */
public interface SimNode {
  /** Addresses this node receives on (unicast and broadcast). */
  Set<InetAddress> addresses();

  /** Called once when the node joins the network. */
  void start(SimContext ctx);

  /** A datagram arrived. */
  void receive(SimDatagram d, SimContext ctx);

  /** The next virtual time this node wants {@link #wakeup}, or {@code -1} for none. */
  long nextWakeup();

  /** Timer callback. */
  void wakeup(SimContext ctx);
}
