package dev.autokey.core.identity;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.security.SecureRandom;

/**
 * Server ("Bob") side of an identity scheme with a challenge (IFF, GQ, MV), built from the
 * server key file {@code ntpkey_<scheme>key_<group>}. A host holding such a key sets {@link
 * IdentityScheme#statusBit()} in its own status word.
 *
 * <p>Use by the association engine (server fast path): for an identity request with opcode
 * {@link IdentityScheme#opcode()}, answer with a response whose value is {@link #respond} of the
 * request's value bytes, whose filestamp is {@link #filestamp()}, signed with the host's sign
 * key. On {@link AutokeyException} send ntpd's error response (R and E bits) instead.
 *
 * <p>Implementations are immutable and thread-safe; all randomness comes from the argument.
 */
public interface IdentityServer {
  /** The scheme (IFF, GQ or MV). */
  IdentityScheme scheme();

  /** The filestamp of the server key file, sent in the response's filestamp field. */
  long filestamp();

  /**
   * The response value to a challenge: all {@code challenge} bytes read as one unsigned
   * big-endian integer r, as ntpd does.
   *
   * @throws AutokeyException {@link XEvent#LEN} for an empty value or one longer than the
   *     modulus, {@link XEvent#ID} for r = 0 or r &ge; the modulus; checked before any
   *     big-integer arithmetic
   */
  byte[] respond(byte[] challenge, SecureRandom random) throws AutokeyException;

  /**
   * The estimated CPU work of one {@link #respond} with the worst challenge, in the work units of
   * the server's work budget ({@code dev.autokey.core.protocol.WorkBudget}: one unit is one
   * RSA-2048 private-key operation); it depends only on the server key's group size. Default
   * 1.0.
   */
  default double responseWork() {
    return 1.0;
  }
}
