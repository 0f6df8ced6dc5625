package dev.autokey.core.protocol;

import dev.autokey.core.XEvent;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.MacResult;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.MacField;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.PacketChecks;
import dev.autokey.core.wire.PacketCodec;
import java.util.List;
import java.util.Optional;

/**
 * The one receive gate of every association (client, broadcast client, symmetric peer, and the
 * mobilisation of new broadcast clients and passive peers), in the one order: decode, NTP mode,
 * Autokey MAC present, the mode's own pre-MAC test (a client's origin and key ID), MAC, duplicate,
 * then, for packets with fields, the group rule. Each step is a method here, written once; each
 * receive path calls them in this order and hands the decoded packet on, so nothing is decoded
 * or MAC-checked twice. Bad input ends in a {@link Verdict}, never an exception.
 */
final class ReceiveGate {
  private ReceiveGate() {}

  /** A packet that passed the gate so far, or the verdict that refused it. */
  record Passed(AutokeyPacket packet, long keyId, Verdict refusal) {
    boolean refused() {
      return refusal != null;
    }

    static Passed refuse(Verdict v) {
      return new Passed(null, 0, v);
    }
  }

  /** Which NTP modes a path takes. */
  @FunctionalInterface
  interface Modes {
    boolean accepts(int mode);
  }

  /** A path's own test between "MAC present" and "MAC verifies"; null = go on. */
  @FunctionalInterface
  interface BeforeMac {
    Verdict check(AutokeyPacket p, long keyId);
  }

  /** The cookie the MAC is keyed with, by whether the packet carries fields. */
  @FunctionalInterface
  interface MacCookie {
    int forPacket(boolean hasFields);
  }

  /** Steps 1–2: decode with ntpd's limits, then the NTP mode. */
  static Passed decode(byte[] buf, int off, int len, long flags, Modes modes) {
    AutokeyPacket p;
    try {
      p = PacketCodec.ntpd().decode(buf, off, len);
    } catch (MalformedPacketException ex) {
      return Passed.refuse(Verdict.rejected(Verdict.Cause.MALFORMED, ex.event(), false, flags, 0,
          ex.getMessage()));
    }
    int mode = p.header().mode();
    if (!modes.accepts(mode)) {
      return Passed.refuse(Verdict.ignored(Verdict.Cause.NOT_OURS, false, flags, 0,
          "NTP mode " + mode));
    }
    return new Passed(p, 0, null);
  }

  /**
   * Steps 3–6: an Autokey MAC is present, the path's own pre-MAC test, the MAC verifies with the
   * path's cookie, and the packet is not the duplicate of the last one seen.
   */
  static Passed authenticate(Passed decoded, AutokeyHost host, byte[] buf, int off, int len,
      long flags, AddressPair pair, MacCookie cookie, BeforeMac beforeMac, ReplayMarks marks) {
    AutokeyPacket p = decoded.packet();
    Optional<MacField> mac = p.mac();
    if (mac.isEmpty() || !mac.get().isAutokeyKeyId()) {
      return Passed.refuse(Verdict.rejected(Verdict.Cause.NO_AUTOKEY_MAC, XEvent.OK, false, flags,
          mac.map(MacField::keyId).orElse(0L), "no Autokey MAC"));
    }
    long keyId = mac.get().keyId();
    if (beforeMac != null) {
      Verdict v = beforeMac.check(p, keyId);
      if (v != null) {
        return Passed.refuse(v);
      }
    }
    MacResult mr = host.engine().verifyMac(pair, cookie.forPacket(!p.fields().isEmpty()), buf,
        off, len, p.macOffset());
    if (mr != MacResult.VALID) {
      return Passed.refuse(Verdict.rejected(Verdict.Cause.BAD_MAC, XEvent.OK, false, flags, keyId,
          "MAC " + mr));
    }
    if (marks != null && marks.duplicate(p.header().transmitTimestamp())) {
      return Passed.refuse(Verdict.ignored(Verdict.Cause.DUPLICATE, false, flags, keyId,
          "duplicate"));
    }
    return new Passed(p, keyId, null);
  }

  /**
   * The group-name rule (docs/protocol.md §11.8) for a packet with fields: on a grouped host under
   * {@link AutokeyConfig.GroupRule#NTPD}, every ASSOC name must carry '@' and a group that is the
   * host's own, the association's, or the host's {@code ident}. Null when allowed.
   */
  static Verdict groupRule(AutokeyHost host, AutokeyPacket p, Optional<String> ident, long flags,
      long keyId) {
    if (p.fields().isEmpty() || host.group().isEmpty()
        || host.config().groupRule() != AutokeyConfig.GroupRule.NTPD) {
      return null;
    }
    List<String> groups;
    try {
      groups = PacketChecks.assocGroupPreCheck(p);
    } catch (MalformedPacketException ex) {
      return Verdict.ignored(Verdict.Cause.GROUP, false, flags, keyId, ex.getMessage());
    }
    for (String g : groups) {
      boolean ok = g.equals(host.group().get()) || ident.map(g::equals).orElse(false)
          || host.config().ident().map(g::equals).orElse(false);
      if (!ok) {
        return Verdict.ignored(Verdict.Cause.GROUP, false, flags, keyId, "foreign group " + g);
      }
    }
    return null;
  }
}
