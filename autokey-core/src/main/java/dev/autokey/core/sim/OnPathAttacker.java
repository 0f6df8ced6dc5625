package dev.autokey.core.sim;

import java.util.List;

/**
 * An on-path attacker: sees every datagram before the link delivers it and decides what is
 * delivered instead — nothing (drop), the datagram itself, a modified copy, or additional forged
 * or replayed datagrams.
 */
@FunctionalInterface
public interface OnPathAttacker {
  /** Passes everything through. */
  OnPathAttacker NONE = (d, now) -> List.of(d);

  /** The datagrams to deliver in place of {@code d}. */
  List<SimDatagram> onPath(SimDatagram d, long now);
}
