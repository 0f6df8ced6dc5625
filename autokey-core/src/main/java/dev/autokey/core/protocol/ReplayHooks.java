package dev.autokey.core.protocol;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Test-only hooks for replaying captured ntpd exchanges byte for byte (golden tests): a chosen
 * association ID, key ID, identity challenge and signature-update time. Nothing here belongs in a
 * running node: a fixed challenge or key ID defeats the protocol's freshness. This is the only
 * public door to these hooks; the engine's own API has none.
 */
public final class ReplayHooks {
  private ReplayHooks() {}

  /**
   * A unicast client association with a given association ID (1..65535, not in use), as in a
   * capture.
   *
   * @throws IllegalArgumentException if the ID is out of range or in use
   */
  public static Association client(AutokeyHost host, InetAddress local, InetAddress server,
      Optional<String> ident, long associationId) {
    return host.client(local, server, ident, associationId);
  }

  /**
   * The association's next transmission uses this key ID instead of the key list's next one.
   *
   * @throws IllegalArgumentException if the value is not an Autokey key ID (above 65535)
   */
  public static void nextKeyId(Association association, long keyId) {
    association.replayNextKeyId(keyId);
  }

  /** The association's next identity request carries this challenge instead of a random one. */
  public static void nextChallenge(Association association, byte[] value) {
    association.replayNextChallenge(value);
  }

  /**
   * Sets the host's signature-update time {@code upd} as if a signature update had run then
   * (cached signatures are dropped).
   */
  public static void signatureUpdateTime(AutokeyHost host, long ntpSeconds) {
    host.forceSignatureUpdateTime(ntpSeconds);
  }
}
