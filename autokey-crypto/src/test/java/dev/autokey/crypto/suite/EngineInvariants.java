package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.HostStatus.Flag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The invariants of the adversarial engine suite, written once for every mode:
 *
 * <ul>
 *   <li>the own certificate of a host never leaves or changes in its cache, no entry carries the
 *       host's own name with another key, and every cached certificate is one an honest host
 *       made ({@link #checkCache});
 *   <li>a datagram refused or ignored without a restart changes nothing observable: flags,
 *       trail, TAI offset, identity scheme, the host's certificate cache ({@link
 *       #checkTransition}); the only documented exceptions are a restart (flags 0), a
 *       crypto-NAK's cookie refetch (COOK cleared) and a broken key-ID chain in the broadcast
 *       and symmetric modes (AUTO cleared, the values are asked for again) — none of which can
 *       make anything usable for time.
 * </ul>
 */
final class EngineInvariants {
  private EngineInvariants() {}

  /** What a refused datagram must not change. */
  record Snapshot(long flags, List<String> trail, long tai, String scheme, List<String> cache) {}

  static Snapshot snapshot(Association a, AutokeyHost host) {
    List<String> t = new ArrayList<>();
    if (a != null) {
      for (CertificateInfo c : a.trail()) {
        t.add(hex(c.der()));
      }
    }
    List<String> cc = new ArrayList<>();
    for (CertificateInfo c : host.certificates().entries()) {
      cc.add(hex(c.der()));
    }
    cc.sort(null);
    return a == null ? new Snapshot(0, t, 0, "", cc)
        : new Snapshot(a.flags(), t, a.taiOffset(), String.valueOf(a.identityScheme()), cc);
  }

  /** Checks the state change a verdict made (see the class description). */
  static void checkTransition(Snapshot before, Snapshot after, Verdict v,
      Supplier<String> where) {
    checkTransition(before, after, v, 1, where);
  }

  /**
   * As {@link #checkTransition(Snapshot, Snapshot, Verdict, Supplier)} for a datagram with
   * {@code fields} extension fields. In the symmetric and broadcast modes the fields of one
   * packet are taken in order, as in ntpd: when a later field is refused (a protocol rejection),
   * the ones before it were each taken on their own merit, exactly as if they had come alone;
   * and a packet whose key ID then fails the chain had its (individually verified) fields taken
   * before the chain was checked. Only then may a refused datagram change the association (and,
   * where a field proved the peer, the certificate cache, which {@link #checkCache} guards).
   */
  static void checkTransition(Snapshot before, Snapshot after, Verdict v, int fields,
      Supplier<String> where) {
    boolean fieldsTakenFirst = (fields > 1 && v.cause() == Verdict.Cause.PROTOCOL)
        || (fields > 0 && v.cause() == Verdict.Cause.BAD_KEY_ID);
    if (v.kind() == Verdict.Kind.REJECTED && fieldsTakenFirst && !v.restarted()) {
      return; // the fields' own effects (checkCache still guards the certificate cache)
    }
    boolean refused = v.kind() == Verdict.Kind.REJECTED || v.kind() == Verdict.Kind.IGNORED;
    if (v.restarted()) {
      boolean cookieRefetch = v.cause() == Verdict.Cause.CRYPTO_NAK
          && after.flags() == (before.flags() & ~Flag.COOK.bit());
      assertTrue(after.flags() == 0 || cookieRefetch,
          () -> where.get() + ": restart left flags 0x" + Long.toHexString(after.flags()) + ": "
              + v);
      return;
    }
    if (!refused) {
      return;
    }
    if (v.cause() == Verdict.Cause.BAD_KEY_ID
        && after.flags() == (before.flags() & ~Flag.AUTO.bit())) {
      assertEquals(new Snapshot(0, before.trail(), before.tai(), before.scheme(), before.cache()),
          new Snapshot(0, after.trail(), after.tai(), after.scheme(), after.cache()),
          () -> where.get() + ": broken chain changed more than AUTO: " + v);
      return;
    }
    assertEquals(before, after, () -> where.get() + ": refused datagram changed state: " + v);
  }

  /** Checks a host's certificate cache against its own certificate and the honest ones. */
  static void checkCache(AutokeyHost h, byte[] own, Set<String> honest, Supplier<String> where) {
    CertificateInfo o = null;
    for (CertificateInfo c : h.certificates().entries()) {
      if (!honest.contains(hex(c.der()))) {
        fail(where.get() + ": " + h.hostName() + "'s cache holds a certificate no honest host "
            + "made: " + c.subject() + " issued by " + c.issuer());
      }
      if (Arrays.equals(c.der(), own)) {
        o = c;
      }
    }
    if (o == null) {
      fail(where.get() + ": " + h.hostName() + "'s own certificate left its cache");
    }
    for (CertificateInfo c : h.certificates().entries()) {
      if (c.subject().equals(o.subject())) {
        assertArrayEquals(o.publicKey().getEncoded(), c.publicKey().getEncoded(),
            () -> where.get() + ": a cache entry carries " + h.hostName() + " with another key");
      }
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
