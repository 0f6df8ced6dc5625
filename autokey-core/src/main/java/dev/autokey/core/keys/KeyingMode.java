package dev.autokey.core.keys;

/** How an association keys its packets, as far as the cookie is concerned (docs/protocol.md §7.3). */
public enum KeyingMode {
  /** Client/server (also the broadcast client's unicast volley): the server cookie. */
  CLIENT_SERVER,
  /** Symmetric active/passive: the XOR of both hosts' cookies. */
  SYMMETRIC,
  /** Broadcast server packets and their verification by broadcast clients: always 0. */
  BROADCAST
}
