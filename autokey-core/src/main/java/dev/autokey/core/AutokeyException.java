package dev.autokey.core;

import java.util.Objects;

/**
 * Root of every exception this library throws for bad input or failed verification. Carries the
 * Autokey error code ({@link XEvent}) that ntpd would raise for the same condition, so callers
 * can map failures to {@code cryptostats} lines and to the protocol's effect (only {@link
 * XEvent#ERR} restarts an association).
 */
public class AutokeyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final XEvent event;

  /** An exception with the given code and message. */
  public AutokeyException(XEvent event, String message) {
    super(message);
    this.event = Objects.requireNonNull(event, "event");
  }

  /** An exception with the given code, message and cause. */
  public AutokeyException(XEvent event, String message, Throwable cause) {
    super(message, cause);
    this.event = Objects.requireNonNull(event, "event");
  }

  /** The Autokey error code. */
  public XEvent event() {
    return event;
  }

  @Override
  public String getMessage() {
    return event.ntpdName() + ": " + super.getMessage();
  }
}
