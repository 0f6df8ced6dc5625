package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.keys.CookieRules;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The client side's receive path (client and broadcast-client volley): the reply must come from
 * the server, pass the {@link ReceiveGate} with our own origin and key ID, and carry at most the
 * one answer to the request we sent; a plain reply is usable for time only under the cookie from
 * a verified COOK response to our own COOK request. Also the idle counter (answers that move
 * nothing restart the association after {@link Association#IDLE_RESTART}) and the crypto-NAK
 * rule (the first valid NAK on a proventic association only drops the cookie).
 */
final class ClientReceive {
  private final Association a;
  private final AutokeyState st;
  // the replay mark: the transmit timestamp of the last reply taken
  private final ReplayMarks marks = new ReplayMarks();
  // the MAC cookie: 0 with fields, the cookie once COOK is lit
  private final ReceiveGate.MacCookie macCookie;
  // a reply must answer our last transmission: its origin and our key ID
  private final ReceiveGate.BeforeMac replyCheck = this::answersLastTransmission;
  // Requests answered (one count per transmission) without the exchange moving on: a trail that
  // ends at an intruder's root, or a host name from a forged ASSOC, would otherwise stall the
  // association until the refresh timer (days). See Association.IDLE_RESTART.
  private int idleAnswers;
  private long idleCountedFor = -1;

  ClientReceive(Association a) {
    this.a = a;
    this.st = a.state();
    this.macCookie = hasFields -> CookieRules.macCookie(a.keying(), hasFields,
        a.workingCookie());
  }

  /** A restart: the idle count starts again. */
  void resetIdle() {
    idleAnswers = 0;
  }

  /** The client's receive path (see the class comment). */
  Verdict receive(byte[] buf, int off, int len, InetAddress source,
      InetAddress destination, long rxTime) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.checkFromIndexSize(off, len, buf.length);
    a.runTimers(rxTime);
    if (!source.equals(a.remote())) {
      return Verdict.ignored(Verdict.Cause.NOT_OURS, false, st.crypto, 0,
          "from " + source.getHostAddress() + ", not " + a.remote().getHostAddress());
    }
    ReceiveGate.Passed g = ReceiveGate.decode(buf, off, len, st.crypto,
        m -> m == NtpHeader.MODE_SERVER);
    if (g.refused()) {
      return g.refusal();
    }
    if (g.packet().isCryptoNak()) {
      return cryptoNak(g.packet(), len, rxTime);
    }
    g = ReceiveGate.authenticate(g, a.host(), buf, off, len, st.crypto, a.inbound(), macCookie,
        replyCheck, marks);
    if (g.refused()) {
      return g.refusal();
    }
    AutokeyPacket p = g.packet();
    NtpHeader h = p.header();
    long keyId = g.keyId();
    boolean hasFields = !p.fields().isEmpty();
    Verdict group = ReceiveGate.groupRule(a.host(), p, a.ident(), st.crypto, keyId);
    if (group != null) {
      return group;
    }
    // Only the answer to the request this association sent is processed: the reply to our last
    // transmission (origin checked above) carries at most one field of the opcode we asked for.
    // Anything else (an unsolicited or mismatched response, a second field) is not ours to take:
    // a signed field that some other request fetched must never light a flag here.
    Opcode outstanding = a.outstanding();
    ExtensionField answer = null;
    if (hasFields) {
      for (ExtensionField f : p.fields()) {
        if (outstanding != null && f.opcode().equals(outstanding) && answer == null) {
          answer = f;
        }
      }
      if (answer == null) {
        return Verdict.ignored(Verdict.Cause.UNSOLICITED, false, st.crypto, keyId,
            "reply carries no answer to our " + (outstanding == null ? "(no) request"
                : outstanding + " request"));
      }
    }
    if (answer != null) {
      long flagsBefore = st.crypto;
      int trailBefore = st.trailLength();
      try {
        ResponseHandler.dispatch(a, answer, h.mode(), rxTime);
      } catch (AutokeyException ex) {
        Verdict v = a.fieldError(answer, ex, rxTime, keyId);
        return v.restarted() ? v : idle(v, rxTime);
      }
      a.answered(); // one answer per request
      marks.seen(h.transmitTimestamp());
      Verdict v = Verdict.authentic(st.crypto, keyId, "Autokey exchange");
      boolean progress = st.crypto != flagsBefore
          || st.trailLength() != trailBefore;
      if (progress) {
        idleAnswers = 0;
        return v;
      }
      return idle(v, rxTime);
    }
    marks.seen(h.transmitTimestamp());
    if (usableForTime()) {
      a.host().sampleAccepted(rxTime);
      return Verdict.accepted(st.crypto, keyId);
    }
    return Verdict.authentic(st.crypto, keyId, "not proventic yet");
  }

  /** The client's pre-MAC test: the reply's origin and key ID are those of our last request. */
  private Verdict answersLastTransmission(AutokeyPacket p, long keyId) {
    if (!a.hasTransmitted() || p.header().originTimestamp() != a.lastTransmitTimestamp()) {
      return Verdict.rejected(Verdict.Cause.BAD_ORIGIN, XEvent.OK, false, st.crypto, keyId,
          "origin timestamp does not match the last transmission");
    }
    if (keyId != (a.lastKeyIdRaw() & 0xFFFF_FFFFL)) {
      return Verdict.rejected(Verdict.Cause.BAD_KEY_ID, XEvent.OK, false, st.crypto, keyId,
          "reply key ID " + AutokeyHost.hex(keyId) + " is not ours " + AutokeyHost.hex(a.lastKeyIdRaw()));
    }
    return null;
  }

  /**
   * Symmetric modes: the response fields of a packet were taken; if they moved nothing while the
   * exchange is incomplete, this counts towards {@link Association#IDLE_RESTART} (at most once per own
   * transmission). Returns whether the association restarted.
   */
  boolean exchangeTaken(long flagsBefore, int trailBefore, long now) {
    boolean progress = st.crypto != flagsBefore
        || st.trailLength() != trailBefore;
    if (progress || a.allFlags()) {
      idleAnswers = 0;
      return false;
    }
    return idle(Verdict.authentic(st.crypto, 0, "exchange"), now).restarted();
  }

  /** Counts an answered request that moved nothing; restarts after {@link Association#IDLE_RESTART}. */
  private Verdict idle(Verdict v, long now) {
    if (idleCountedFor != a.lastTransmitTimestamp()) {
      idleCountedFor = a.lastTransmitTimestamp();
      idleAnswers++;
    }
    if (idleAnswers < Association.IDLE_RESTART) {
      return v;
    }
    a.restart(now, "no progress in " + Association.IDLE_RESTART + " answered requests");
    return new Verdict(v.kind(), v.cause(), v.event(), true, st.crypto, v.keyId(),
        v.detail() + "; no progress in " + Association.IDLE_RESTART + " answers: restart");
  }

  /**
   * Client-side rule for a plain (field-less) reply whose MAC verified: usable for time only if
   * PROV and COOK are both lit and no crypto-NAK has been taken since the cookie arrived, so that
   * the MAC was keyed with the cookie this association obtained from a verified COOK response to
   * its own COOK request (a MAC keyed with cookie 0 is computable by anyone).
   */
  private boolean usableForTime() {
    return a.isProventic() && a.has(Flag.COOK) && !st.nakSinceCookie;
  }

  private Verdict cryptoNak(AutokeyPacket p, int len, long now) {
    boolean valid = len == NtpHeader.LENGTH + 4 && a.hasTransmitted()
        && p.header().originTimestamp() == a.lastTransmitTimestamp() && st.crypto != 0;
    if (!valid) {
      return Verdict.ignored(Verdict.Cause.STRAY_CRYPTO_NAK, false, st.crypto, 0,
          "crypto-NAK ignored");
    }
    if (a.host().config().resetOnCryptoNak()) {
      if (a.has(Flag.COOK) && !st.nakSinceCookie && !a.isSymmetric()) {
        // The server no longer knows our cookie (its private value was revoked): fetch a new
        // one at the next poll; a second NAK before that resets everything (ntpd resets at once).
        st.nakSinceCookie = true;
        st.crypto &= ~Flag.COOK.bit();
        st.cookie = 0;
        a.schedule().destroy();
        a.emit(ProtocolEvent.Type.RESTART, now, "crypto-NAK: cookie refetch");
        return Verdict.ignored(Verdict.Cause.CRYPTO_NAK, true, st.crypto, 0,
            "crypto-NAK: cookie refetch");
      }
      a.restart(now, "crypto-NAK");
      return Verdict.ignored(Verdict.Cause.CRYPTO_NAK, true, st.crypto, 0, "crypto-NAK: reset");
    }
    return Verdict.ignored(Verdict.Cause.CRYPTO_NAK, false, st.crypto, 0, "crypto-NAK");
  }
}
