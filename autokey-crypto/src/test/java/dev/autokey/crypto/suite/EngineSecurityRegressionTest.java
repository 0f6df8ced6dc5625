package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateCache;
import dev.autokey.core.cert.CertificateCodec;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.BcCertificateCodec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One regression test per finding of the engine review (an on-path attacker with no key driving
 * the engine API). Each failed on the code before the fix (commit 9d59ce5).
 */
class EngineSecurityRegressionTest {
  private static final InetAddress ATTACKER = AttackTest.addr("10.77.0.66");

  /** The client's next request's key ID (a reply must echo it). */
  private static long keyId(byte[] request) throws Exception {
    return PacketCodec.ntpd().decode(request).mac().orElseThrow().keyId();
  }

  /** A field-less reply to the client's last request, MAC'd with cookie 0 (anyone can). */
  private static byte[] forgedPlainReply(AttackTest.Rig r, long fakeTime) throws Exception {
    NtpHeader h = NtpHeader.builder().leap(0).version(4).mode(4).stratum(1).poll(4)
        .originTimestamp(r.xmt).receiveTimestamp(fakeTime).transmitTimestamp(fakeTime + 7)
        .build();
    return AttackTest.mac(h, List.of(), keyId(r.lastRequest));
  }

  /** Finding 1, first route: a crypto-NAK after all flags, then a forged plain reply. */
  @Test
  void cryptoNakThenCookieZeroReply_neverUsableForTime() throws Exception {
    AttackTest.Rig r = AttackTest.tc(AutokeyConfig.defaults(), 501);
    r.client.setSynchronised(true, r.now);
    r.until(Flag.LEAP);
    assertTrue(r.a.allFlags());
    r.request();
    byte[] nak = new byte[52];
    NtpHeader.builder().mode(4).version(4).originTimestamp(r.xmt).build()
        .writeTo(ByteBuffer.wrap(nak));
    r.deliver(nak);
    assertFalse(r.a.has(Flag.COOK));
    r.request();
    Verdict v = r.deliver(forgedPlainReply(r, NtpTime.ofSeconds(1_000_000_000L)));
    assertFalse(v.usableForTime(), v.toString());
    // and the association still recovers with the real server
    r.until(Flag.COOK);
    assertTrue(r.poll().usableForTime());
  }

  /**
   * Finding 1, second route: the attacker fetches the server's signed LEAP response with its own
   * request and replays it (association ID rewritten, cookie-0 MAC) as the answer to the client's
   * COOK request; then it forges a plain reply.
   */
  @Test
  void signedLeapReplayedAsCookAnswer_neverLightsProvNorTime() throws Exception {
    AttackTest.Rig r = AttackTest.tc(AutokeyConfig.defaults(), 502);
    r.until(Flag.VRFY);
    byte[] cookRequest = r.request();
    AutokeyPacket req = PacketCodec.ntpd().decode(cookRequest);
    assertEquals(Opcode.COOK, req.fields().get(0).opcode());
    // the attacker's own LEAP request to the server
    ExtensionField leapReq = AutokeyMessages.leapRequest(4242);
    NtpHeader ah = NtpHeader.builder().version(4).mode(3).transmitTimestamp(r.now | 9).build();
    byte[] attReq = macFrom(ATTACKER, AttackTest.SA, ah, List.of(leapReq), 0x12345678L);
    ServerResponse leapReply = r.server.responder().respond(attReq, 0, attReq.length, ATTACKER,
        AttackTest.SA, r.now, NtpHeader.builder().version(4).mode(4).build());
    ExtensionField leap = PacketCodec.ntpd().decode(leapReply.datagram()).fields().get(0);
    assertTrue(leap.signatureLength() > 0, "the server signs LEAP values");
    long before = r.a.flags();
    Verdict v = r.deliver(AttackTest.forge(r.reply(cookRequest),
        f -> leap.toBuilder().associationId(r.a.associationId()).build()));
    assertFalse(r.a.isProventic(), v.toString());
    assertEquals(before, r.a.flags(), "an answer we did not ask for lights nothing");
    r.request();
    Verdict w = r.deliver(forgedPlainReply(r, NtpTime.ofSeconds(1_000_000_000L)));
    assertFalse(w.usableForTime(), w.toString());
  }

  /**
   * Finding 1, third route: a COOK answer that carries the server's genuine signature but a value
   * that does not decrypt; ntpd lights PROV before it decrypts, which left PROV without COOK.
   */
  @Test
  void cookAnswerThatFailsToDecrypt_leavesNoProv() throws Exception {
    AttackTest.Rig r = AttackTest.tc(AutokeyConfig.defaults(), 503);
    r.until(Flag.VRFY);
    // another client's genuine COOK response (encrypted to another key) replayed to this one
    AttackTest.Rig other = new AttackTest.Rig(r.server,
        Scenarios.pair("TC", AutokeyConfig.defaults(), 504,
            dev.autokey.core.protocol.ProtocolEventListener.NONE).client(), Optional.empty());
    other.until(Flag.VRFY);
    byte[] otherCook = other.reply(other.request());
    ExtensionField foreign = PacketCodec.ntpd().decode(otherCook).fields().get(0);
    assertEquals(Opcode.COOK, foreign.opcode());
    long before = r.a.flags();
    byte[] rep = r.reply(r.request());
    Verdict v = r.deliver(AttackTest.forge(rep,
        f -> foreign.toBuilder().associationId(r.a.associationId()).build()));
    assertEquals(Verdict.Kind.REJECTED, v.kind(), v.toString());
    assertEquals(before, r.a.flags(), "a failed COOK answer leaves no PROV behind");
    r.request();
    assertFalse(r.deliver(forgedPlainReply(r, NtpTime.ofSeconds(1_000_000_000L)))
        .usableForTime());
  }

  /** Finding 2: a forged CERT response for the victim's own name never replaces its certificate. */
  @Test
  void forgedCertForOwnName_rejectedAndOwnCertificateStillServed() throws Exception {
    AttackTest.Rig r = AttackTest.tc(AutokeyConfig.defaults(), 505);
    r.poll(); // ASSOC
    EphemeralHosts.Host evil =
        EphemeralHosts.trusted("client", Scenarios.FS + 500, Scenarios.rng(506));
    List<CertificateInfo> cacheBefore = r.client.certificates().entries();
    long before = r.a.flags();
    byte[] rep = r.reply(r.request()); // CERT request for "server"
    Verdict v = r.deliver(AttackTest.forge(rep, f -> AutokeyMessages.certResponse(
        r.a.associationId(), f.timestamp(), Scenarios.FS + 500, evil.certificate(),
        new byte[0])));
    assertEquals(Verdict.Kind.REJECTED, v.kind(), v.toString());
    assertEquals(XEvent.CRT, v.event());
    assertEquals(before, r.a.flags());
    assertEquals(ders(cacheBefore), ders(r.client.certificates().entries()),
        "a rejected response leaves the cache exactly as before");
    // also through the cache's own API: the pinned own certificate cannot be replaced
    assertThrows(AutokeyException.class, () -> r.client.certificates().install(
        evil.certificate(), Scenarios.FS + 501, 0));
    assertEquals(ders(cacheBefore), ders(r.client.certificates().entries()));
    // the victim's responder still serves its own certificate to its own clients
    byte[] own = r.client.certificates().entries().stream()
        .filter(c -> c.subject().equals("client")).findFirst().orElseThrow().der();
    ExtensionField served = certAnswer(r, "client");
    if (served.valueLength() > 0) {
      assertArrayEquals(own, served.certificateDer());
    }
    assertFalse(served.valueLength() > 0
        && !java.util.Arrays.equals(served.certificateDer(), own));
  }

  private static List<String> ders(List<CertificateInfo> cs) {
    return cs.stream().map(c -> java.util.HexFormat.of().formatHex(c.der())).sorted().toList();
  }

  /** The CERT answer the client host's responder gives for {@code name}. */
  private static ExtensionField certAnswer(AttackTest.Rig r, String name) throws Exception {
    r.client.setSynchronised(true, r.now);
    ExtensionField q = AutokeyMessages.certRequest(7, 0, 0, name);
    NtpHeader h = NtpHeader.builder().version(4).mode(3).transmitTimestamp(r.now | 3).build();
    byte[] req = macFrom(ATTACKER, AttackTest.CA, h, List.of(q), 0x7777_0000L);
    ServerResponse resp = r.client.responder().respond(req, 0, req.length, ATTACKER,
        AttackTest.CA, r.now, NtpHeader.builder().version(4).mode(4).build());
    return PacketCodec.ntpd().decode(resp.datagram()).fields().get(0);
  }

  /** Finding 4: an ASSOC host name that begins with NUL is refused; the client recovers. */
  @Test
  void assocNameStartingWithNul_refusedAndEveryRequestDecodes() throws Exception {
    AttackTest.Rig r = AttackTest.tc(AutokeyConfig.defaults(), 507);
    byte[] rep = r.reply(r.request());
    AutokeyPacket p = PacketCodec.ntpd().decode(rep);
    ExtensionField genuine = p.fields().get(0);
    byte[] evilName = "\u0000server".getBytes(StandardCharsets.ISO_8859_1);
    Verdict v = r.deliver(AttackTest.forge(rep, f -> AutokeyMessages.valueResponse(Opcode.ASSOC,
        f.associationId(), f.timestamp(), f.filestamp(), evilName, new byte[0])));
    assertEquals(Verdict.Kind.REJECTED, v.kind(), v.toString());
    assertEquals(XEvent.LEN, v.event());
    assertEquals(0, r.a.flags());
    assertEquals(Opcode.ASSOC, genuine.opcode());
    for (int i = 0; i < 11; i++) {
      byte[] q = r.request();
      PacketCodec.ntpd().decode(q); // every request we build decodes with our own decoder
      r.deliver(r.reply(q));
    }
    assertTrue(r.a.has(Flag.CERT), Long.toHexString(r.a.flags()));
  }

  /**
   * Finding 6: cached signatures were keyed by {@code Arrays.hashCode} and length; two
   * certificates whose DER differ by a 31-polynomial collision got the same signature.
   */
  @Test
  void signatureCacheKeyedByContent_collidingCertificatesSignedApart() throws Exception {
    AttackTest.Rig r = AttackTest.tc(AutokeyConfig.defaults(), 508);
    EphemeralHosts.Host c = EphemeralHosts.ordinary("peerAx", Scenarios.FS, Scenarios.rng(509));
    CertificateInfo serverCert = r.server.certificates().entries().stream()
        .filter(x -> x.subject().equals("server")).findFirst().orElseThrow();
    byte[] d1 = r.server.cryptoSuite().signCertificate(c.certificate(), Scenarios.T0,
        serverCert);
    byte[] d2 = replaceOnce(d1, "peerAx", "peerBY"); // same Arrays.hashCode and length
    assertEquals(java.util.Arrays.hashCode(d1), java.util.Arrays.hashCode(d2));
    // the client host caches both (as it would after two trails) and serves them to its clients
    r.client.certificates().install(d1, Scenarios.FS, 0);
    r.client.certificates().install(d2, Scenarios.FS, 0);
    CertificateInfo clientCert = r.client.certificates().entries().stream()
        .filter(x -> x.subject().equals("client")).findFirst().orElseThrow();
    SignatureVerifier sv = r.client.cryptoSuite().verifier(clientCert.publicKey(),
        clientCert.nid());
    for (String name : new String[] {"peerAx", "peerBY"}) {
      ExtensionField f = certAnswer(r, name);
      assertTrue(f.valueLength() > 0, name);
      sv.verify(f.signedBytes(), f.signature()); // throws XEVNT_SIG on a shared signature
    }
  }

  private static byte[] replaceOnce(byte[] der, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    byte[] t = to.getBytes(StandardCharsets.US_ASCII);
    byte[] out = der.clone();
    for (int i = 0; i + f.length <= out.length; i++) {
      if (java.util.Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
        System.arraycopy(t, 0, out, i, t.length);
        return out;
      }
    }
    throw new IllegalStateException(from + " not in the certificate");
  }

  /** Finding 6, second half: no certificate is decoded or verified under the cache's lock. */
  @Test
  void certificateCache_decodesAndVerifiesOutsideItsLock() throws Exception {
    CertificateCache[] self = new CertificateCache[1];
    BcCertificateCodec real = BcCertificateCodec.INSTANCE;
    CertificateCodec probe = new CertificateCodec() {
      @Override
      public CertificateInfo decode(byte[] der, long filestamp) throws AutokeyException {
        assertFalse(Thread.holdsLock(self[0]), "decode under the cache lock");
        return real.decode(der, filestamp);
      }

      @Override
      public void verify(CertificateInfo c, PublicKey issuerKey) throws AutokeyException {
        assertFalse(Thread.holdsLock(self[0]), "verify under the cache lock");
        real.verify(c, issuerKey);
      }
    };
    self[0] = new CertificateCache(probe, "me", 8);
    for (int i = 0; i < 4; i++) {
      EphemeralHosts.Host h =
          EphemeralHosts.trusted("root" + i, Scenarios.FS, Scenarios.rng(510 + i));
      self[0].install(h.certificate(), Scenarios.FS, 0);
    }
    assertEquals(4, self[0].size());
  }

  private static byte[] macFrom(InetAddress src, InetAddress dst, NtpHeader h,
      List<ExtensionField> fields, long keyId) {
    return OnPathAttacker.seal(src, dst, h, fields, keyId);
  }
}
