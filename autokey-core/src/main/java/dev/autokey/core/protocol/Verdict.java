package dev.autokey.core.protocol;

import dev.autokey.core.XEvent;
import java.util.Objects;

/**
 * What the engine decided about one received datagram.
 *
 * <p>Only {@link Kind#ACCEPTED} means "use this packet's NTP timestamps as a time sample": the
 * MAC verified with the expected key, the key ID passed the mode's check, and the association is
 * proventic (PROV lit). {@link Kind#AUTHENTIC} packets verified but the protocol has not proven
 * the server yet (ntpd's "bad autokey", TEST8). {@link Kind#IGNORED} packets changed nothing
 * worth reporting (duplicates, short CERT answers, packets for another association). {@link
 * Kind#REJECTED} carries the {@code XEVNT_*} code ntpd would log; {@link #restarted()} tells
 * whether the association was reset (only {@link XEvent#ERR} and a valid crypto-NAK do that).
 *
 * @param kind the decision
 * @param cause why (for every kind; {@link Cause#PROTOCOL} means "see {@code event}")
 * @param event the {@code XEVNT_*} code of a {@link Cause#PROTOCOL} or {@link Cause#MALFORMED}
 *     rejection, {@link XEvent#OK} otherwise
 * @param restarted whether the association's Autokey state was reset by this packet
 * @param flags the association's status word after the packet (peer status and progress bits)
 * @param keyId the packet's MAC key ID (0 if none)
 * @param detail a short human-readable reason (never secret material)
 */
public record Verdict(
    Kind kind, Cause cause, XEvent event, boolean restarted, long flags, long keyId,
    String detail) {

  /** The decision. */
  public enum Kind {
    /** Authentic and proventic: usable for time. */
    ACCEPTED,
    /** Authentic, protocol still in progress: not usable for time. */
    AUTHENTIC,
    /** Nothing done (duplicate, not ours, nothing to verify). */
    IGNORED,
    /** Refused, with an {@code XEVNT_*} code. */
    REJECTED
  }

  /** Why a packet got its verdict. */
  public enum Cause {
    /** Authentic plain packet of a proventic association. */
    OK,
    /** Authentic, Autokey exchange progressing (or packet carried extension fields). */
    PROGRESS,
    /** Datagram not decodable (length rules of docs/protocol.md §1.2–§1.3). */
    MALFORMED,
    /** No MAC, a symmetric-key ID on an Autokey association, or a MAC of the wrong length. */
    NO_AUTOKEY_MAC,
    /** The MAC did not verify. */
    BAD_MAC,
    /** The key ID is not the one expected (server reply not echoing ours, broken hash chain). */
    BAD_KEY_ID,
    /** The origin timestamp does not match our last transmission (bogus or replayed). */
    BAD_ORIGIN,
    /** Exact duplicate of an earlier packet. */
    DUPLICATE,
    /** A valid crypto-NAK (the association was reset if so configured). */
    CRYPTO_NAK,
    /** A crypto-NAK that does not qualify (wrong origin, no Autokey state): ignored. */
    STRAY_CRYPTO_NAK,
    /** Wrong NTP mode or a packet that does not belong to this association. */
    NOT_OURS,
    /** An extension field was refused: see {@code event}. */
    PROTOCOL,
    /** Dropped by the group-name rule (docs/protocol.md §11.8). */
    GROUP,
    /**
     * The reply carried no answer to the request this association sent (an unsolicited or
     * mismatched response field): nothing in it was used.
     */
    UNSOLICITED
  }

  /** Validates the components. */
  public Verdict {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(detail, "detail");
    if (kind != Kind.REJECTED && event != XEvent.OK) {
      throw new IllegalArgumentException("only REJECTED carries an error event: " + kind + " "
          + event);
    }
    if (cause == Cause.PROTOCOL && event == XEvent.OK) {
      throw new IllegalArgumentException("cause PROTOCOL needs an XEVNT code");
    }
  }

  /** Whether the packet's timestamps may be used as a time sample. */
  public boolean usableForTime() {
    return kind == Kind.ACCEPTED;
  }

  static Verdict accepted(long flags, long keyId) {
    return new Verdict(Kind.ACCEPTED, Cause.OK, XEvent.OK, false, flags, keyId, "accepted");
  }

  static Verdict authentic(long flags, long keyId, String detail) {
    return new Verdict(Kind.AUTHENTIC, Cause.PROGRESS, XEvent.OK, false, flags, keyId, detail);
  }

  static Verdict ignored(Cause cause, boolean restarted, long flags, long keyId,
      String detail) {
    return new Verdict(Kind.IGNORED, cause, XEvent.OK, restarted, flags, keyId, detail);
  }

  static Verdict rejected(Cause cause, XEvent e, boolean restarted, long flags, long keyId,
      String detail) {
    return new Verdict(Kind.REJECTED, cause, e, restarted, flags, keyId, detail);
  }

  @Override
  public String toString() {
    return kind + " " + cause + (kind == Kind.REJECTED ? " " + event.ntpdName() : "")
        + (restarted ? " (restart)" : "") + String.format(" flags=0x%08x keyId=0x%08x ", flags,
            keyId) + detail;
  }
}
