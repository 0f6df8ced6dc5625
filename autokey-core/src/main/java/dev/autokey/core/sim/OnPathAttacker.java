package dev.autokey.core.sim;

import java.util.List;

/**
 * The simulator's on-path attacker hook, for adversarial tests of your own: installed with {@link
 * SimNetwork#attacker}, it sees every datagram before the link delivers it and decides what is
 * delivered instead — nothing (drop), the datagram itself, a modified copy, or additional forged
 * or replayed datagrams. Part of the simulator's API like {@link LinkProfile}; it holds no attack
 * of its own.
 */
@FunctionalInterface
public interface OnPathAttacker {
  /** Passes everything through. */
  OnPathAttacker NONE = (d, now) -> List.of(d);

  /** The datagrams to deliver in place of {@code d}. */
  List<SimDatagram> onPath(SimDatagram d, long now);
}
