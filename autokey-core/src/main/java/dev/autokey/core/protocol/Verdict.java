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
 * @param event {@link XEvent#OK} unless rejected
 * @param restarted whether the association's Autokey state was reset by this packet
 * @param flags the association's status word after the packet (peer status and progress bits)
 * @param keyId the packet's MAC key ID (0 if none)
 * @param detail a short human-readable reason (never secret material)
 */
public record Verdict(
    Kind kind, XEvent event, boolean restarted, long flags, long keyId, String detail) {

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

  /** Validates the components. */
  public Verdict {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(detail, "detail");
    if ((kind == Kind.REJECTED) == (event == XEvent.OK)) {
      throw new IllegalArgumentException("REJECTED needs a non-OK event, other kinds OK: "
          + kind + " " + event);
    }
  }

  /** Whether the packet's timestamps may be used as a time sample. */
  public boolean usableForTime() {
    return kind == Kind.ACCEPTED;
  }

  static Verdict accepted(long flags, long keyId) {
    return new Verdict(Kind.ACCEPTED, XEvent.OK, false, flags, keyId, "accepted");
  }

  static Verdict authentic(long flags, long keyId, String detail) {
    return new Verdict(Kind.AUTHENTIC, XEvent.OK, false, flags, keyId, detail);
  }

  static Verdict ignored(long flags, long keyId, String detail) {
    return new Verdict(Kind.IGNORED, XEvent.OK, false, flags, keyId, detail);
  }

  static Verdict rejected(XEvent e, boolean restarted, long flags, long keyId, String detail) {
    return new Verdict(Kind.REJECTED, e, restarted, flags, keyId, detail);
  }

  @Override
  public String toString() {
    return kind + (kind == Kind.REJECTED ? " " + event.ntpdName() : "")
        + (restarted ? " (restart)" : "") + String.format(" flags=0x%08x keyId=0x%08x ", flags,
            keyId) + detail;
  }
}
