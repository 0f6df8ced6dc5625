package dev.autokey.interop;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.CryptostatsFormatter;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.crypto.suite.BcCryptoSuite;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.List;

/**
 * What the Java mains run inside a namespace share: the arguments {@code KEYS HOST PASSWORD
 * IDENT|-} loaded as ntpd's {@code crypto pw PASSWORD host HOST [ident IDENT]} line would load the
 * folder (legacy policy, like ntpd), and events printed as {@code event <cryptostats line>}.
 */
final class NamespaceKeys {
  private NamespaceKeys() {}

  /** The group of an {@code IDENT|-} argument, or null for "-". */
  static String ident(String arg) {
    return arg.equals("-") ? null : arg;
  }

  /** HOST's ntp-keygen files from KEYS, with the identity files of {@code ident} if non-null. */
  static BcCryptoSuite suite(String keys, String host, String password, String ident,
      SecureRandom random) throws AutokeyException {
    return BcCryptoSuite.fromKeysDirectory(Paths.get(keys), host, ident, password.toCharArray(),
        ident == null ? List.of() : List.of(ident),
        CryptoPolicy.legacy(CryptoWarningListener.IGNORE), random);
  }

  /** The default configuration with {@code ident} set if non-null. */
  static AutokeyConfig.Builder config(String ident) {
    AutokeyConfig.Builder cb = AutokeyConfig.builder();
    if (ident != null) {
      cb.ident(ident);
    }
    return cb;
  }

  /** Prints each event as {@code event <cryptostats line>} (the harness reads these lines). */
  static ProtocolEventListener printEvents() {
    return e -> System.out.println("event " + CryptostatsFormatter.format(e));
  }
}
