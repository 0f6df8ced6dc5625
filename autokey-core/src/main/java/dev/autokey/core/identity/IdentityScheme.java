package dev.autokey.core.identity;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.util.List;
import java.util.Optional;

/**
 * The five Autokey identity schemes, with their bit in the host status word (docs/protocol.md §4)
 * and, for the three challenge/response schemes, the extension-field opcode.
 *
 * <ul>
 *   <li>{@link #TC} (trusted certificate): no identity exchange. Identity is proven by the
 *       certificate trail reaching a self-signed certificate with the trustRoot EKU; the engine
 *       lights VRFY together with CERT.
 *   <li>{@link #PC} (private certificate): no identity exchange and no certificate exchange. The
 *       group shares one private certificate and key; the engine pre-lights CERT, VRFY and SIGN
 *       and verifies every signature with its own key.
 *   <li>{@link #IFF}, {@link #GQ}, {@link #MV}: one challenge ({@link IdentityClient#challenge})
 *       and one response ({@link IdentityServer#respond}) after CERT; success lights VRFY.
 * </ul>
 *
 * <p>Which scheme an association uses is decided by {@link #select}, ntpd's rule.
 */
public enum IdentityScheme {
  /** Trusted certificate: trust from the certificate trail alone. */
  TC(0, -1),
  /** Private certificate: the PRIV status bit; trust from the shared private certificate. */
  PC(0x0010, -1),
  /** Schnorr (IFF), opcode 7. */
  IFF(0x0020, 7),
  /** Guillou–Quisquater, opcode 8. */
  GQ(0x0040, 8),
  /** Mu–Varadharajan, opcode 9. */
  MV(0x0080, 9);

  /** The identity-scheme bits of the status word ({@code CRYPTO_FLAG_MASK}, 0x00F0). */
  public static final int STATUS_MASK = 0x00F0;

  /** The challenge schemes in ntpd's order of preference (IFF, then GQ, then MV). */
  private static final List<IdentityScheme> PREFERENCE = List.of(IFF, GQ, MV);

  private final int statusBit;
  private final int opcode;

  IdentityScheme(int statusBit, int opcode) {
    this.statusBit = statusBit;
    this.opcode = opcode;
  }

  /**
   * The bit a host sets in its own status word when it can act as this scheme's server (IFF,
   * GQ, MV: the server key file is loaded; PC: its certificate is private). 0 for {@link #TC}.
   */
  public int statusBit() {
    return statusBit;
  }

  /** Whether the scheme has a challenge/response exchange (IFF, GQ, MV). */
  public boolean hasChallenge() {
    return opcode > 0;
  }

  /**
   * The extension-field opcode of the challenge and response (7, 8, 9).
   *
   * @throws IllegalStateException for TC and PC, which have no exchange (a caller bug)
   */
  public int opcode() {
    if (opcode < 0) {
      throw new IllegalStateException(name() + " has no identity exchange");
    }
    return opcode;
  }

  /** Whether {@code statusWord} advertises this scheme (always false for {@link #TC}). */
  public boolean advertisedIn(long statusWord) {
    return statusBit != 0 && (statusWord & statusBit) != 0;
  }

  /** The challenge scheme for an extension-field opcode, if it is 7, 8 or 9. */
  public static Optional<IdentityScheme> forOpcode(int opcode) {
    for (IdentityScheme s : PREFERENCE) {
      if (s.opcode == opcode) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * ntpd's scheme selection (docs/protocol.md §9.1, §9.2; {@code crypto_recv} ASSOC and {@code
   * crypto_ident}).
   *
   * <ol>
   *   <li>If the local certificate is private, the peer must advertise PRIV, else {@link
   *       XEvent#KEY}; the result is {@link #PC}.
   *   <li>Otherwise, without a configured group ({@code ident}) name the result is {@link #TC}.
   *   <li>Otherwise the first scheme the peer advertises in the order IFF, GQ, MV. There is no
   *       fallback: if the local host lacks that scheme's parameter file, the association never
   *       gets VRFY (ntpd stalls silently), it does not try the next scheme.
   *   <li>If the peer advertises none of them, {@link #TC}.
   * </ol>
   *
   * @param peerStatusWord the status word from the peer's ASSOC message (unsigned 32 bits)
   * @param localCertificatePrivate whether the local host certificate has the "private" EKU
   * @param identNameConfigured whether the association has a group ({@code ident}) name
   * @throws AutokeyException {@link XEvent#KEY} when the local host is PC and the peer is not
   */
  public static IdentityScheme select(
      long peerStatusWord, boolean localCertificatePrivate, boolean identNameConfigured)
      throws AutokeyException {
    if (localCertificatePrivate) {
      if (!PC.advertisedIn(peerStatusWord)) {
        throw new AutokeyException(XEvent.KEY, String.format(
            "local certificate is private but the peer status 0x%08x lacks PRIV (0x10)",
            peerStatusWord));
      }
      return PC;
    }
    if (!identNameConfigured) {
      return TC;
    }
    for (IdentityScheme s : PREFERENCE) {
      if (s.advertisedIn(peerStatusWord)) {
        return s;
      }
    }
    return TC;
  }
}
