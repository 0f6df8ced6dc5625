package dev.autokey.crypto.keygen;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import java.util.Objects;

/**
 * A key, certificate or keys-file problem: malformed header or PEM, wrong password, unsupported
 * algorithm, missing or mismatched file, or material refused by the strict policy.
 *
 * <p>The {@link XEvent} follows the role of the file: {@link XEvent#PUB} for host and sign keys
 * (the envelope's default), {@link XEvent#CRT} for certificates, {@link XEvent#ID} for identity
 * files, {@link XEvent#LEN} for symmetric keys files. Code that knows the role re-labels an
 * envelope error with {@link #withEvent(XEvent)}.
 */
public final class KeygenException extends AutokeyException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, independent of the file's role. */
  public enum Reason {
    /** Header lines (file name with filestamp) missing or malformed. */
    MALFORMED_HEADER,
    /** PEM armour missing, truncated, bad Base64, unexpected label, too large. */
    MALFORMED_PEM,
    /** DER/ASN.1 structure of a key, certificate or key line not as expected. */
    MALFORMED_CONTENT,
    /** The password does not decrypt the key (bad padding or undecodable plaintext). */
    WRONG_PASSWORD,
    /** A well-formed structure using an algorithm, cipher or digest this library does not do. */
    UNSUPPORTED,
    /** A file ntpd would open is not there (or is a dangling link). */
    MISSING_FILE,
    /** Files that exist but do not belong together (key vs certificate, names, filestamps). */
    MISMATCH,
    /** Material refused by the strict policy (key size, digest). */
    POLICY
  }

  private final Reason reason;

  /** An exception with the given code, reason and message. */
  public KeygenException(XEvent event, Reason reason, String message) {
    super(event, message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** An exception with the given code, reason, message and cause. */
  public KeygenException(XEvent event, Reason reason, String message, Throwable cause) {
    super(event, message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The reason. */
  public Reason reason() {
    return reason;
  }

  /** The same failure re-labelled with another code (same reason, message and cause). */
  public KeygenException withEvent(XEvent newEvent) {
    if (newEvent == event()) {
      return this;
    }
    KeygenException e = new KeygenException(newEvent, reason, rawMessage(), getCause());
    e.setStackTrace(getStackTrace());
    return e;
  }

  /** The message without the {@code XEVNT_x: } prefix. */
  public String rawMessage() {
    String m = getMessage();
    String prefix = event().ntpdName() + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }
}
