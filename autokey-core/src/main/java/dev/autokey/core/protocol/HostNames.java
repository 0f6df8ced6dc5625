package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.wire.ExtensionField;

/**
 * The rule for a host or subject name that came from the wire and that this host will later put
 * into a request of its own (the ASSOC host name, a certificate's subject and issuer, which become
 * the next CERT request): 1 to {@value ExtensionField#MAX_HOST_NAME} characters, each a printable
 * ISO-8859-1 character (no NUL, no control character). A name that breaks it is refused when it
 * arrives, so that no accepted input can make this host emit a CERT request its own decoder
 * refuses (a name starting with NUL would give a value of length 0).
 */
final class HostNames {
  private HostNames() {}

  /**
   * Returns {@code name} if it follows the rule.
   *
   * @param name the name as received
   * @param event the code of the refusal
   * @param what what the name is, for the message
   * @throws AutokeyException {@code event} if the name is empty, too long or holds a character
   *     outside 0x20..0x7E and 0xA0..0xFF
   */
  static String require(String name, XEvent event, String what) throws AutokeyException {
    if (name.isEmpty()) {
      throw new AutokeyException(event, what + " is empty");
    }
    if (name.length() > ExtensionField.MAX_HOST_NAME) {
      throw new AutokeyException(event, what + " has " + name.length() + " characters, limit "
          + ExtensionField.MAX_HOST_NAME);
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      boolean printable = (ch >= 0x20 && ch <= 0x7E) || (ch >= 0xA0 && ch <= 0xFF);
      if (!printable) {
        throw new AutokeyException(event, String.format(java.util.Locale.ROOT,
            "%s holds character 0x%02x at %d", what, (int) ch, i));
      }
    }
    return name;
  }
}
