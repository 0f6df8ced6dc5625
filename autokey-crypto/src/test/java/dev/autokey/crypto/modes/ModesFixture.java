package dev.autokey.crypto.modes;

import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.CryptostatsFormatter;
import dev.autokey.core.protocol.ProtocolEvent;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers of the mode tests: seeded randomness, hosts with an event log. */
final class ModesFixture {
  static final long T0 = 3_900_000_000L;

  private ModesFixture() {}

  static SecureRandom rng(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A host whose events go to {@code log} in cryptostats format. */
  static AutokeyHost host(AutokeyConfig config, CryptoSuite suite, long seed, List<String> log)
      throws Exception {
    return AutokeyHost.create(config, suite, rng(seed), e -> log.add(format(e)));
  }

  static String format(ProtocolEvent e) {
    return CryptostatsFormatter.format(e);
  }

  static List<String> newLog() {
    return new ArrayList<>();
  }
}
