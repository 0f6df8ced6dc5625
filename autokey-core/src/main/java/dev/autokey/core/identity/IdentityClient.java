package dev.autokey.core.identity;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.security.SecureRandom;

/**
 * Client ("Alice") side of an identity scheme with a challenge (IFF, GQ, MV), built from the
 * local parameter file {@code ntpkey_<scheme>par_<group>}.
 *
 * <p>Use by the association engine: after CERT is lit and {@link IdentityScheme#select} chose
 * this client's scheme, send an identity request with opcode {@link IdentityScheme#opcode()},
 * filestamp {@link #filestamp()} and value {@link IdentityChallenge#value()} of a fresh {@link
 * #challenge}; keep that challenge as the association's only outstanding one. When the signed
 * response arrives (after the engine verified its signature), call {@link #verify} with the
 * response's value bytes and filestamp, then discard the challenge whatever the outcome.
 * Success lights VRFY. A failure only discards the packet (a new challenge goes out at the next
 * poll), except {@link XEvent#ERR}, which ntpd treats as a protocol error that resets the
 * association.
 *
 * <p>Implementations are immutable and thread-safe; all randomness comes from the argument.
 */
public interface IdentityClient {
  /** The scheme (IFF, GQ or MV). */
  IdentityScheme scheme();

  /** The filestamp of the parameter file, sent in the request's filestamp field. */
  long filestamp();

  /**
   * A fresh challenge: uniformly random {@code r} in {@code [1, modulus)}, encoded big-endian in
   * exactly the byte length of the modulus (IFF: q, GQ: n, MV: p). Unlike ntpd, short values are
   * left-padded, so the responder reads the same number.
   */
  IdentityChallenge challenge(SecureRandom random);

  /**
   * Checks a response to {@code outstanding}.
   *
   * <p>Order of checks (ntpd's): the filestamp (IFF, MV: equal to {@link #filestamp()}; GQ: not
   * older), then the value: every length is bounded before any big-integer arithmetic.
   *
   * @param outstanding the challenge this association sent; a challenge of another scheme is
   *     {@link XEvent#ID} ("no outstanding challenge")
   * @param value the response's value bytes
   * @param responseFilestamp the response's filestamp field (unsigned 32 bits)
   * @throws AutokeyException {@link XEvent#FSP} on a filestamp mismatch, {@link XEvent#ERR} if the
   *     value is not the scheme's DER structure (ntpd: {@code d2i} failure), {@link XEvent#ID} if
   *     the values are out of range or the identity is not proven
   */
  void verify(IdentityChallenge outstanding, byte[] value, long responseFilestamp)
      throws AutokeyException;
}
