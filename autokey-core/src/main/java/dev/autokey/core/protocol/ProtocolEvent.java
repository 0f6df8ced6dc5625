package dev.autokey.core.protocol;

import dev.autokey.core.XEvent;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that happened in the engine, delivered to the host's {@link ProtocolEventListener}.
 * {@link #text()} is ntpd's {@code cryptostats} text for the same event where ntpd has one (see
 * {@link CryptostatsFormatter}).
 *
 * @param type what happened
 * @param time when (NTP 64-bit timestamp, the time passed to the call that caused it)
 * @param peer the remote address, or empty for host-level events
 * @param associationId the local association ID (0 for host-level and responder events)
 * @param event the {@code XEVNT_*} code ({@link XEvent#OK} unless {@link Type#ERROR})
 * @param text the cryptostats-style text
 */
public record ProtocolEvent(
    Type type, long time, Optional<InetAddress> peer, long associationId, XEvent event,
    String text) {

  /** Kinds of events. */
  public enum Type {
    /** A progress flag (CERT, VRFY, PROV, COOK, AUTO, SIGN, LEAP) was lit. */
    FLAG_LIT,
    /** The ASSOC exchange completed (peer status known). */
    ASSOCIATED,
    /** A certificate was installed in the host's cache. */
    CERTIFICATE_INSTALLED,
    /** A received field was refused with an {@code XEVNT_*} code. */
    ERROR,
    /** The association's Autokey state was reset (protocol error, crypto-NAK, refresh). */
    RESTART,
    /** The periodic protocol refresh fired (followed by a restart). */
    REFRESH,
    /** A new key list was generated. */
    KEY_LIST_REGENERATED,
    /** The server private value was regenerated (every cookie changes). */
    PRIVATE_VALUE_REVOKED,
    /** The host re-signed its values (ntpd's "signature update"). */
    SIGNATURE_UPDATE,
    /** The server responder refused or trimmed expensive work for lack of budget. */
    BUDGET_EXCEEDED
  }

  /** Validates the components. */
  public ProtocolEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(text, "text");
  }
}
