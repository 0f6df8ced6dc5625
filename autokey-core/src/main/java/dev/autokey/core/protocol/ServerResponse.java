package dev.autokey.core.protocol;

import dev.autokey.core.XEvent;
import java.util.Objects;

/**
 * What {@link ServerResponder#respond} decided for one request.
 *
 * @param kind reply, crypto-NAK or drop
 * @param event {@link XEvent#OK}, or the code of the error response / NAK / drop reason
 * @param budgetLimited whether expensive work was refused for lack of budget
 * @param detail a short human-readable reason
 */
public record ServerResponse(Kind kind, byte[] datagram, XEvent event, boolean budgetLimited,
    String detail) {

  /** The decision. */
  public enum Kind {
    /** Send {@link #datagram()} (an authenticated reply, possibly with an error field). */
    REPLY,
    /** Send {@link #datagram()}, a crypto-NAK (48-byte header and a zero key ID). */
    CRYPTO_NAK,
    /** Send nothing. */
    DROP
  }

  /** Validates and copies. */
  public ServerResponse {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(detail, "detail");
    if (kind == Kind.DROP) {
      datagram = new byte[0];
    } else {
      datagram = Objects.requireNonNull(datagram, "datagram").clone();
    }
  }

  /** The datagram to send (empty for {@link Kind#DROP}); a copy. */
  @Override
  public byte[] datagram() {
    return datagram.clone();
  }

  /** Length of the datagram to send (0 for a drop). */
  public int length() {
    return datagram.length;
  }

  static ServerResponse drop(XEvent e, String detail) {
    return new ServerResponse(Kind.DROP, null, e, false, detail);
  }

  @Override
  public String toString() {
    return kind + " " + event.ntpdName() + " len=" + datagram.length
        + (budgetLimited ? " (budget)" : "") + " " + detail;
  }
}
