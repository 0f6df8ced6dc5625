package dev.autokey.crypto.internal.keygen;

import dev.autokey.core.XEvent;
import dev.autokey.crypto.keygen.KeygenException;
import dev.autokey.crypto.keygen.KeygenException.Reason;

/**
 * The {@link KeygenException}s of the ntp-keygen envelope, labelled {@link XEvent#PUB} (the
 * envelope's default; callers that know the file's role re-label with {@link
 * KeygenException#withEvent}), and the quoting of untrusted names in their messages.
 */
public final class KeygenErrors {
  private KeygenErrors() {}

  /** PEM armour missing, truncated, bad Base64, unexpected label, too large. */
  public static KeygenException pem(String message) {
    return new KeygenException(XEvent.PUB, Reason.MALFORMED_PEM, message);
  }

  /** Header lines missing or malformed. */
  public static KeygenException header(String message) {
    return new KeygenException(XEvent.PUB, Reason.MALFORMED_HEADER, message);
  }

  /** DER structure or key line not as expected. */
  public static KeygenException content(String message) {
    return new KeygenException(XEvent.PUB, Reason.MALFORMED_CONTENT, message);
  }

  /** DER structure or key line not as expected, with the cause. */
  public static KeygenException content(String message, Throwable cause) {
    return new KeygenException(XEvent.PUB, Reason.MALFORMED_CONTENT, message, cause);
  }

  /** A well-formed structure using an algorithm this library does not do. */
  public static KeygenException unsupported(String message) {
    return new KeygenException(XEvent.PUB, Reason.UNSUPPORTED, message);
  }

  /** A name for messages: control characters escaped, at most 80 characters. */
  public static String shown(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 80; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        b.append(String.format("\\x%02x", (int) c & 0xff));
      } else {
        b.append(c);
      }
    }
    if (b.length() >= 80 && s.length() > 80) {
      b.append("...");
    }
    return b.toString();
  }
}
