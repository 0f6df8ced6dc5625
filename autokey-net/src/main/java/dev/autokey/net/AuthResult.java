package dev.autokey.net;

import dev.autokey.core.XEvent;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PacketAuthenticator} decided about a received packet.
 *
 * @param kind the decision
 * @param event the Autokey event code for a rejection ({@code null} otherwise)
 * @param detail short human-readable reason (never secret material)
 */
public record AuthResult(Kind kind, XEvent event, String detail) {
  /** The possible decisions. */
  public enum Kind {
    /** Authentic and usable for time: the NTP layer produces a {@link TimeSample}. */
    USABLE,
    /**
     * Authentic (or accepted for protocol purposes) but not yet usable for time, e.g. an Autokey
     * response before the PROV flag is lit.
     */
    PROTOCOL_ONLY,
    /** Not for this association or silently discarded (ntpd's silent drops). */
    IGNORED,
    /** Rejected with an event code (bad MAC, bad field, ...). */
    REJECTED
  }

  /** Canonical constructor; checks that {@code kind} is given. */
  public AuthResult {
    Objects.requireNonNull(kind, "kind");
    detail = detail == null ? "" : detail;
  }

  private static final AuthResult USABLE_RESULT = new AuthResult(Kind.USABLE, null, "");

  /** Usable for time. */
  public static AuthResult usable() {
    return USABLE_RESULT;
  }

  /** Accepted for protocol purposes only. */
  public static AuthResult protocolOnly(String detail) {
    return new AuthResult(Kind.PROTOCOL_ONLY, null, detail);
  }

  /** Ignored. */
  public static AuthResult ignored(String detail) {
    return new AuthResult(Kind.IGNORED, null, detail);
  }

  /** Rejected with {@code event}. */
  public static AuthResult rejected(XEvent event, String detail) {
    return new AuthResult(Kind.REJECTED, Objects.requireNonNull(event, "event"), detail);
  }

  /** Whether a time sample may be taken from the packet. */
  public boolean isUsable() {
    return kind == Kind.USABLE;
  }

  /** The event code of a rejection. */
  public Optional<XEvent> rejection() {
    return Optional.ofNullable(event);
  }
}
