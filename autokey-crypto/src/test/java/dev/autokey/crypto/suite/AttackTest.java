package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.LeapValues;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.MacField;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.identity.IffKey;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Must-show 5 and the state-machine entries of docs/security.md's test list: each attack is a named
 * test with the expected {@code XEVNT} code (or cause) and no state change.
 */
class AttackTest {
  static final InetAddress SA = addr("10.77.0.1");
  static final InetAddress CA = addr("10.77.0.2");

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client association driven step by step against a responder, one poll per step. */
  static final class Rig {
    final AutokeyHost server;
    final AutokeyHost client;
    final Association a;
    long now = NtpTime.ofSeconds(Scenarios.T0);
    long xmt;
    byte[] lastRequest;

    Rig(AutokeyHost server, AutokeyHost client, Optional<String> ident) {
      this(server, client, ident, Scenarios.T0);
    }

    /** A rig whose clock starts at {@code startSeconds} (NTP seconds). */
    Rig(AutokeyHost server, AutokeyHost client, Optional<String> ident, long startSeconds) {
      this.server = server;
      this.client = client;
      this.now = NtpTime.ofSeconds(startSeconds);
      server.setSynchronised(true, now);
      this.a = client.client(CA, SA, ident);
    }

    byte[] request() {
      now = NtpTime.plusSeconds(now, 16);
      xmt = now | 0x1234;
      NtpHeader h = NtpHeader.builder().leap(client.isSynchronised() ? 0 : 3).version(4)
          .mode(3).stratum(2).poll(4).transmitTimestamp(xmt).build();
      lastRequest = a.prepareTransmit(h, now);
      return lastRequest;
    }

    byte[] reply(byte[] req) {
      NtpHeader rh = NtpHeader.builder().leap(0).version(4).mode(4).stratum(1).poll(4)
          .originTimestamp(xmt).receiveTimestamp(now).transmitTimestamp(now | 0x55).build();
      ServerResponse r = server.responder().respond(req, 0, req.length, CA, SA, now, rh);
      return r.datagram();
    }

    Verdict deliver(byte[] reply) {
      return a.receive(reply, 0, reply.length, SA, CA, now);
    }

    /** One honest poll. */
    Verdict poll() {
      return deliver(reply(request()));
    }

    /** Polls until {@code flag} is lit (at most 20 polls). */
    void until(Flag flag) {
      for (int i = 0; i < 20 && !a.has(flag); i++) {
        Verdict v = poll();
        if (v.usableForTime() && !client.isSynchronised()) {
          client.setSynchronised(true, now);
        }
        if (a.isProventic() && !client.isSynchronised()) {
          client.setSynchronised(true, now);
        }
      }
      assertTrue(a.has(flag), flag + " not lit: " + Long.toHexString(a.flags()));
    }
  }

  static Rig tc(AutokeyConfig cfg, long seed) throws Exception {
    Scenarios.Pair p = Scenarios.pair("TC", cfg, seed, ProtocolEventListener.NONE);
    return new Rig(p.server(), p.client(), Optional.empty());
  }

  /**
   * An on-path forger: decodes a reply, transforms its first field, re-encodes and re-MACs it
   * with cookie 0 (packets with fields are keyed with cookie 0, so anyone on the path can).
   */
  static byte[] forge(byte[] reply, UnaryOperator<ExtensionField> f) throws Exception {
    AutokeyPacket p = PacketCodec.ntpd().decode(reply);
    ExtensionField g = f.apply(p.fields().get(0));
    return mac(p.header(), List.of(g), p.mac().orElseThrow().keyId());
  }

  static byte[] mac(NtpHeader h, List<ExtensionField> fields, long keyId) {
    SessionKeyEngine e = SessionKeyEngine.md5();
    int ef = 0;
    for (ExtensionField x : fields) {
      ef += x.length();
    }
    byte[] out = new byte[48 + ef + 20];
    ByteBuffer b = ByteBuffer.wrap(out);
    h.writeTo(b);
    for (ExtensionField x : fields) {
      x.writeTo(b);
    }
    e.computeMac(AddressPair.of(SA, CA), (int) keyId, 0, out, 0, 48 + ef);
    return out;
  }

  @Test
  void intruderWithOwnTrustRoot_legacyAcceptsLikeNtpd() throws Exception {
    // The "server" is an intruder with its own self-signed trustRoot certificate.
    Rig r = tc(AutokeyConfig.defaults(), 101);
    r.until(Flag.CERT);
    assertTrue(r.a.has(Flag.VRFY), "ntpd trusts any self-signed trustRoot certificate");
  }

  @Test
  void intruderWithOwnTrustRoot_strictRefusesWithPinnedAnchors() throws Exception {
    EphemeralHosts.Host realTh = EphemeralHosts.trusted("server", Scenarios.FS, Scenarios.rng(7));
    AutokeyConfig strict = AutokeyConfig.builder().policy(AutokeyConfig.Policy.STRICT)
        .addTrustAnchor(realTh.certificate()).build();
    Rig r = tc(strict, 102);
    r.poll(); // ASSOC
    long before = r.a.flags();
    Verdict v = r.poll(); // CERT response with the intruder's own trustRoot certificate
    assertEquals(Verdict.Kind.REJECTED, v.kind());
    assertEquals(XEvent.CRT, v.event());
    assertFalse(v.restarted());
    assertEquals(before, r.a.flags());
    for (int i = 0; i < 5; i++) {
      r.poll();
    }
    assertFalse(r.a.has(Flag.CERT));
    assertFalse(r.a.isProventic());
  }

  @Test
  void strictPolicyAcceptsThePinnedServer() throws Exception {
    Scenarios.Pair p = Scenarios.pair("TC", AutokeyConfig.defaults(), 103,
        ProtocolEventListener.NONE);
    AutokeyConfig strict = AutokeyConfig.builder().policy(AutokeyConfig.Policy.STRICT)
        .addTrustAnchor(p.server().certificates().entries().get(0).der()).build();
    AutokeyHost client = AutokeyHost.create(strict, p.client().cryptoSuite(), 
        Scenarios.rng(5), ProtocolEventListener.NONE);
    Rig r = new Rig(p.server(), client, Optional.empty());
    r.until(Flag.PROV);
  }

  @Test
  void middlemanWithoutGroupKey_identityFails() throws Exception {
    // The middleman has a trusted certificate and advertises IFF, but holds another group key.
    IffKey wrong = IffKey.generate(512, Scenarios.rng(21), Scenarios.FS);
    EphemeralHosts.Host mm = EphemeralHosts.trusted("server@grp", Scenarios.FS, Scenarios.rng(22));
    EphemeralHosts.Host c = EphemeralHosts.ordinary("client@grp", Scenarios.FS, Scenarios.rng(23));
    AutokeyHost server = AutokeyHost.create(AutokeyConfig.defaults(),
        mm.suite(Scenarios.rng(24)).iffKey(wrong).build(), Scenarios.rng(25),
        ProtocolEventListener.NONE);
    AutokeyHost client = AutokeyHost.create(AutokeyConfig.defaults(),
        c.suite(Scenarios.rng(26)).iffParameters("grp", Scenarios.IFF.parameters()).build(),
        Scenarios.rng(27), ProtocolEventListener.NONE);
    Rig r = new Rig(server, client, Optional.of("grp"));
    r.until(Flag.CERT);
    long before = r.a.flags();
    Verdict v = r.poll(); // IFF exchange
    assertEquals(Verdict.Kind.REJECTED, v.kind());
    assertEquals(XEvent.ID, v.event());
    assertFalse(v.restarted());
    assertEquals(before, r.a.flags());
    assertFalse(r.a.has(Flag.VRFY));
  }

  @Test
  void replayedOldResponse_badOrigin_noStateChange() throws Exception {
    Rig r = tc(AutokeyConfig.defaults(), 104);
    r.poll();
    byte[] oldCert = r.reply(r.request()); // keep the CERT reply, deliver it later
    r.deliver(oldCert);
    r.until(Flag.PROV);
    long before = r.a.flags();
    r.request();
    Verdict v = r.deliver(oldCert);
    assertEquals(Verdict.Kind.REJECTED, v.kind());
    assertEquals(Verdict.Cause.BAD_ORIGIN, v.cause());
    assertEquals(before, r.a.flags());
  }

  @Test
  void replayedSignatureWithTimestampZero_tsp() throws Exception {
    Rig r = tc(AutokeyConfig.defaults(), 105);
    r.until(Flag.SIGN);
    long before = r.a.flags();
    byte[] leap = r.reply(r.request());
    byte[] forged = forge(leap, f -> f.toBuilder().timestamp(0).build());
    Verdict v = r.deliver(forged);
    assertEquals(XEvent.TSP, v.event());
    assertEquals(before, r.a.flags());
  }

  @Test
  void replayedSignatureOlderThanFilestamp_tsp() throws Exception {
    Rig r = tc(AutokeyConfig.defaults(), 106);
    r.until(Flag.SIGN);
    long before = r.a.flags();
    byte[] leap = r.reply(r.request());
    byte[] forged = forge(leap, f -> f.toBuilder().filestamp(f.timestamp() + 1).build());
    Verdict v = r.deliver(forged);
    assertEquals(XEvent.TSP, v.event());
    assertEquals(before, r.a.flags());
  }

  @Test
  void tamperedSignedValue_sig() throws Exception {
    Rig r = tc(AutokeyConfig.defaults(), 107);
    r.until(Flag.SIGN);
    long before = r.a.flags();
    byte[] leap = r.reply(r.request());
    byte[] forged = forge(leap, f -> {
      byte[] v = f.value();
      v[3] ^= 1;
      return f.toBuilder().value(v).build();
    });
    Verdict v = r.deliver(forged);
    assertEquals(XEvent.SIG, v.event());
    assertEquals(before, r.a.flags());
    assertFalse(r.a.has(Flag.LEAP));
  }

  @Test
  void forgedKeyIdNotOurs_badKeyId() throws Exception {
    Rig r = tc(AutokeyConfig.defaults(), 108);
    r.until(Flag.PROV);
    long before = r.a.flags();
    byte[] rep = r.reply(r.request());
    AutokeyPacket p = PacketCodec.ntpd().decode(rep);
    byte[] forged = mac(p.header(), p.fields(), p.mac().orElseThrow().keyId() ^ 0x100);
    Verdict v = r.deliver(forged);
    assertEquals(Verdict.Cause.BAD_KEY_ID, v.cause());
    assertEquals(before, r.a.flags());
  }

  @Test
  void cryptoNakFlood_wrongOrigin_ignored_noReset() throws Exception {
    Rig r = tc(AutokeyConfig.defaults(), 109);
    r.until(Flag.PROV);
    long before = r.a.flags();
    r.request();
    for (int i = 0; i < 10_000; i++) {
      NtpHeader h = NtpHeader.builder().mode(4).version(4).originTimestamp(r.xmt + 1 + i).build();
      byte[] nak = new byte[52];
      h.writeTo(ByteBuffer.wrap(nak));
      Verdict v = r.deliver(nak);
      assertEquals(Verdict.Cause.STRAY_CRYPTO_NAK, v.cause());
    }
    assertEquals(before, r.a.flags());
    assertTrue(r.a.isProventic());
  }

  @Test
  void cryptoNakWithMatchingOrigin_resetsLikeNtpd_unlessDisabled() throws Exception {
    for (boolean reset : new boolean[] {true, false}) {
      Rig r = tc(AutokeyConfig.builder().resetOnCryptoNak(reset).build(), 110);
      r.until(Flag.PROV);
      r.request();
      NtpHeader h = NtpHeader.builder().mode(4).version(4).originTimestamp(r.xmt).build();
      byte[] nak = new byte[52];
      h.writeTo(ByteBuffer.wrap(nak));
      Verdict v = r.deliver(nak);
      assertEquals(Verdict.Cause.CRYPTO_NAK, v.cause());
      assertEquals(reset, v.restarted());
      assertEquals(reset, !r.a.has(Flag.COOK), "first NAK drops the cookie");
      r.request();
      h = NtpHeader.builder().mode(4).version(4).originTimestamp(r.xmt).build();
      nak = new byte[52];
      h.writeTo(ByteBuffer.wrap(nak));
      v = r.deliver(nak);
      assertEquals(reset, v.restarted());
      assertEquals(reset, !r.a.isProventic(), "second NAK resets the association (ntpd)");
    }
  }

  @Test
  void assocRequestInAnswerToCert_unsolicitedIgnoredNoRestart() throws Exception {
    // ntpd restarts on this (XEVNT_ERR); we never process a field we did not ask for, so a
    // forged field (its cookie-0 MAC is anyone's) cannot reset the association either.
    Rig r = tc(AutokeyConfig.defaults(), 111);
    r.until(Flag.CERT);
    long before = r.a.flags();
    byte[] rep = r.reply(r.request());
    byte[] forged = forge(rep, f -> AutokeyMessages.assoc(false, r.a.associationId(), 0,
        dev.autokey.core.wire.HostStatus.of(0x00080001L), "server"));
    Verdict v = r.deliver(forged);
    assertEquals(Verdict.Cause.UNSOLICITED, v.cause(), v.toString());
    assertFalse(v.restarted());
    assertEquals(before, r.a.flags());
    assertEquals(Verdict.Kind.AUTHENTIC, r.deliver(rep).kind(), "the genuine answer still counts");
  }

  @Test
  void forgedAssocStatusWithProgressBits_masked_C10() throws Exception {
    Rig r = tc(AutokeyConfig.defaults(), 120);
    byte[] rep = r.reply(r.request());
    byte[] forged = forge(rep, f -> AutokeyMessages.assoc(true, f.associationId(), f.timestamp(),
        dev.autokey.core.wire.HostStatus.of(0x00087F03L), "server"));
    r.deliver(forged);
    assertEquals(0x1000L | 0x00080003L, r.a.flags(), "only AUTO (server mode) may be pre-lit");
    assertFalse(r.a.isProventic());
  }

  @Test
  void replayedCookResponse_tspLikeNtpdCookval_T28() throws Exception {
    Rig r = tc(AutokeyConfig.defaults(), 121);
    r.until(Flag.CERT);
    r.client.setSynchronised(true, r.now);
    r.until(Flag.COOK);
    // The COOK reply that lit the flag is the last one the server sent before COOK was lit:
    // fetch a second one (after a crypto-NAK) so that an older COOK response exists to replay.
    byte[] cook1 = lastCookReply(r);
    nak(r);
    assertFalse(r.a.has(Flag.COOK));
    r.until(Flag.COOK);
    nak(r);
    assertFalse(r.a.has(Flag.COOK));
    long before = r.a.flags();
    byte[] rep = r.reply(r.request()); // a COOK request is outstanding
    ExtensionField old = PacketCodec.ntpd().decode(cook1).fields().get(0);
    Verdict v = r.deliver(forge(rep, f -> old));
    assertEquals(XEvent.TSP, v.event(), v.toString());
    assertEquals(before, r.a.flags());
    Verdict w = r.deliver(forge(rep, f -> old.toBuilder()
        .timestamp(old.timestamp() + 100).filestamp(old.filestamp() - 1).build()));
    assertEquals(XEvent.FSP, w.event(), w.toString());
    assertEquals(before, r.a.flags());
    assertEquals(Verdict.Kind.AUTHENTIC, r.deliver(rep).kind(), "the genuine answer still counts");
    assertTrue(r.a.has(Flag.COOK));
  }

  /** Runs a COOK exchange on an association that has CERT and VRFY and returns the reply. */
  private static byte[] lastCookReply(Rig r) throws Exception {
    nak(r);
    byte[] rep = r.reply(r.request());
    r.deliver(rep);
    assertTrue(r.a.has(Flag.COOK));
    return rep;
  }

  /** A crypto-NAK with the right origin for the next request. */
  private static void nak(Rig r) {
    r.request();
    NtpHeader h = NtpHeader.builder().mode(4).version(4).originTimestamp(r.xmt).build();
    byte[] nak = new byte[52];
    h.writeTo(ByteBuffer.wrap(nak));
    r.deliver(nak);
  }

  @Test
  void strictRefusedRootLeavesNoState_realServerStillProven() throws Exception {
    Scenarios.Pair p = Scenarios.pair("TC", AutokeyConfig.defaults(), 122,
        ProtocolEventListener.NONE);
    AutokeyConfig strict = AutokeyConfig.builder().policy(AutokeyConfig.Policy.STRICT)
        .addTrustAnchor(p.server().certificates().entries().get(0).der()).build();
    AutokeyHost client = AutokeyHost.create(strict, p.client().cryptoSuite(),
        Scenarios.rng(6), ProtocolEventListener.NONE);
    Rig r = new Rig(p.server(), client, Optional.empty());
    r.poll(); // ASSOC
    EphemeralHosts.Host intruder = EphemeralHosts.trusted("server", Scenarios.FS, Scenarios.rng(8));
    int cached = client.certificates().entries().size();
    Verdict v = r.deliver(forge(r.reply(r.request()),
        f -> f.toBuilder().value(intruder.certificate()).build()));
    assertEquals(XEvent.CRT, v.event());
    assertEquals(cached, client.certificates().entries().size(), "refused root not cached");
    r.until(Flag.PROV); // the genuine certificate is not a DUPLICATE of the refused one
  }

  @Test
  void implausibleTaiOffset_notAdopted_T27() throws Exception {
    Rig r = tc(AutokeyConfig.defaults(), 123);
    r.server.setLeapValues(37, 3692217600L, 3912710400L, r.now);
    r.until(Flag.SIGN);
    byte[] rep = r.reply(r.request()); // LEAP
    var lv = new LeapValues(0xFFFFFFF0L, 0, 0);
    var suite = r.server.cryptoSuite();
    Verdict v = r.deliver(forge(rep, f -> {
      try {
        return AutokeyMessages.leapResponse(f.associationId(), f.timestamp(), f.filestamp(), lv,
            suite.signer().sign(dev.autokey.core.crypto.SignedBytes.of(f.timestamp(),
                f.filestamp(), lv.toBytes())));
      } catch (dev.autokey.core.AutokeyException e) {
        throw new IllegalStateException(e);
      }
    }));
    assertEquals(Verdict.Kind.AUTHENTIC, v.kind(), v.toString());
    assertTrue(r.a.has(Flag.LEAP), "LEAP lit, as ntpd");
    assertEquals(0, r.a.taiOffset(), "offset outside 10..1000 not adopted");
  }
}
