package dev.autokey.core.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A host's associations by local association ID, at most {@link AutokeyHost#MAX_ASSOCIATIONS}
 * (the responder looks AUTO requests up here; mobilised associations come from packets anyone can
 * forge, so a full table refuses quietly). IDs are allocated in 1..65535 from a random start.
 * Thread-safe.
 */
final class AssociationTable {
  private final Map<Long, Association> byId = new HashMap<>();
  private int nextId;

  AssociationTable(int firstId) {
    this.nextId = firstId;
  }

  /** Registers a configured association; throws when the table is full. */
  synchronized Association register(Association a) {
    if (byId.size() >= AutokeyHost.MAX_ASSOCIATIONS) {
      throw new IllegalStateException("more than " + AutokeyHost.MAX_ASSOCIATIONS
          + " associations");
    }
    byId.put(a.associationId(), a);
    return a;
  }

  /**
   * Registers an association mobilised by a received packet (broadcast client, passive peer), or
   * returns {@code false} when the table is full, as ntpd's {@code newpeer} does.
   */
  synchronized boolean tryRegister(Association a) {
    if (byId.size() >= AutokeyHost.MAX_ASSOCIATIONS) {
      return false;
    }
    byId.put(a.associationId(), a);
    return true;
  }

  synchronized boolean hasRoom() {
    return byId.size() < AutokeyHost.MAX_ASSOCIATIONS;
  }

  synchronized boolean inUse(long id) {
    return byId.containsKey(id);
  }

  synchronized void remove(Association a) {
    byId.remove(a.associationId(), a);
  }

  synchronized Optional<Association> get(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** A free ID in 1..65535. */
  synchronized long allocate() {
    for (int i = 0; i < 0x10000; i++) {
      int id = nextId;
      nextId = nextId >= 0xFFFF ? 1 : nextId + 1;
      if (!byId.containsKey((long) id)) {
        return id;
      }
    }
    throw new IllegalStateException("no free association ID");
  }
}
