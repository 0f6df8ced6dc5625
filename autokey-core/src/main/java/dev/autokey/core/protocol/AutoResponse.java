package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;

/**
 * AUTO response: the peer's signed autokey values (the key-ID chain's anchor), not older than the
 * last ones taken; lights AUTO.
 */
final class AutoResponse {
  private AutoResponse() {}

  static void handle(Association a, AutokeyState s, ExtensionField f, int peerMode, long now)
      throws AutokeyException {
    ResponseCheck.verify(a, s, f, true, true);
    s.peerAuto = f.autoValues();
    s.autoTs = f.timestamp();
    s.autoFs = f.filestamp();
    a.proventic(now);
    a.light(Flag.AUTO, now);
  }
}
