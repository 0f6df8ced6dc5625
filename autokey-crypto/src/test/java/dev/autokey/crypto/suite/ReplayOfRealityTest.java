package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.ReplayHooks;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.testing.Pcap;
import dev.autokey.testing.TestData;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Must-show 7: our client engine, fed the captured ntpd 4.2.8p15 server responses (clock from the
 * capture, key IDs, association ID and identity challenges injected from the captured requests),
 * accepts every one and reaches all flags; our responder answering the captured requests produces
 * fields that pass the same checks (byte-equal where nothing random is involved).
 */
class ReplayOfRealityTest {
  static final CryptoPolicy LEGACY = CryptoPolicy.legacy(CryptoWarningListener.IGNORE);

  static long ntp(Pcap.Udp u) {
    return NtpTime.ofUnixMillis(u.timestampMicros() / 1000);
  }

  static SecureRandom rng() throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(99);
    return r;
  }

  @ParameterizedTest
  @CsvSource({"tc-client,client,clientpw,", "iff-client,client,clientpw,labgroup"})
  void clientAcceptsEveryCapturedResponse(String run, String host, String pw, String group)
      throws Exception {
    var dir = TestData.path("captures/" + run + "/client/keys");
    BcCryptoSuite suite = BcCryptoSuite.fromKeysDirectory(dir, host, null, pw.toCharArray(),
        group == null ? Set.of() : Set.of(group), LEGACY, rng());
    List<Pcap.Udp> pkts = Pcap.readUdp(TestData.path("captures/" + run + "/capture.pcap"), 123);
    Pcap.Udp first = pkts.get(0);
    AutokeyPacket firstReq = PacketCodec.ntpd().decode(first.payload());
    long associd = firstReq.fields().get(0).associationId();
    AutokeyHost h = AutokeyHost.create(AutokeyConfig.defaults(), suite, rng(),
        ProtocolEventListener.NONE);
    Association a = ReplayHooks.client(h, first.src(), first.dst(),
        Optional.ofNullable(group), associd);
    int accepted = 0;
    int exchanges = 0;
    List<String> ourOrder = new ArrayList<>();
    List<String> theirOrder = new ArrayList<>();
    for (int i = 0; i + 1 < pkts.size(); i++) {
      Pcap.Udp req = pkts.get(i);
      Pcap.Udp rsp = pkts.get(i + 1);
      if (!req.src().equals(first.src()) || !rsp.src().equals(first.dst())) {
        continue;
      }
      AutokeyPacket rq = PacketCodec.ntpd().decode(req.payload());
      NtpHeader hdr = rq.header();
      long now = ntp(req);
      h.setSynchronised(hdr.leap() != NtpHeader.LEAP_UNSYNCHRONIZED, now);
      ReplayHooks.nextKeyId(a, rq.mac().orElseThrow().keyId());
      if (!rq.fields().isEmpty() && rq.fields().get(0).opcode().isIdentity()) {
        ReplayHooks.nextChallenge(a, rq.fields().get(0).identityValue());
      }
      byte[] ours = a.prepareTransmit(hdr, now);
      AutokeyPacket op = PacketCodec.ntpd().decode(ours);
      ourOrder.add(op.fields().isEmpty() ? "-" : op.fields().get(0).opcode().name());
      theirOrder.add(rq.fields().isEmpty() ? "-" : rq.fields().get(0).opcode().name());
      byte[] r = rsp.payload();
      Verdict v = a.receive(r, 0, r.length, rsp.src(), rsp.dst(), ntp(rsp));
      exchanges++;
      assertNotEquals(Verdict.Kind.REJECTED, v.kind(), "frame " + rsp.frame() + ": " + v);
      if (v.kind() != Verdict.Kind.IGNORED) {
        accepted++;
      }
      i++;
    }
    System.out.println(run + ": " + exchanges + " exchanges, our requests " + ourOrder
        + ", captured " + theirOrder + ", flags " + Long.toHexString(a.flags()));
    assertEquals(theirOrder, ourOrder, "request sequence");
    assertEquals(exchanges, accepted);
    assertTrue(a.allFlags(), "all flags: " + Long.toHexString(a.flags()));
  }

  @ParameterizedTest
  @CsvSource({"tc-client,server,serverpw,", "iff-client,server,serverpw,labgroup"})
  void responderAnswersCapturedRequestsLikeNtpd(String run, String host, String pw,
      String ident) throws Exception {
    var dir = TestData.path("captures/" + run + "/server/keys");
    BcCryptoSuite suite = BcCryptoSuite.fromKeysDirectory(dir, host, ident, pw.toCharArray(),
        Set.of(), LEGACY, rng());
    var clientDir = TestData.path("captures/" + run + "/client/keys");
    BcCryptoSuite clientSuite = BcCryptoSuite.fromKeysDirectory(clientDir, "client", null,
        "clientpw".toCharArray(), Set.of(), LEGACY, rng());
    List<Pcap.Udp> pkts = Pcap.readUdp(TestData.path("captures/" + run + "/capture.pcap"), 123);
    AutokeyHost h = AutokeyHost.create(AutokeyConfig.builder().ntpdPrivateValue(true).build(),
        suite, rng(), ProtocolEventListener.NONE);
    h.setLeapValues(37, 3692217600L, 3694377600L, 0);
    int compared = 0;
    int byteEqual = 0;
    for (int i = 0; i + 1 < pkts.size(); i++) {
      Pcap.Udp req = pkts.get(i);
      Pcap.Udp rsp = pkts.get(i + 1);
      if (!rsp.src().equals(req.dst()) || !rsp.dst().equals(req.src())) {
        continue;
      }
      AutokeyPacket theirs = PacketCodec.ntpd().decode(rsp.payload());
      if (theirs.header().mode() != NtpHeader.MODE_SERVER) {
        continue;
      }
      h.setSynchronised(true, ntp(req));
      if (!theirs.fields().isEmpty() && theirs.fields().get(0).timestamp() != 0) {
        // the server's signature-update time at the moment it answered
        long upd = theirs.fields().get(0).opcode().equals(Opcode.COOK)
            || theirs.fields().get(0).opcode().isIdentity()
            ? theirs.fields().get(0).filestamp() : theirs.fields().get(0).timestamp();
        ReplayHooks.signatureUpdateTime(h, upd);
      }
      byte[] q = req.payload();
      ServerResponse r = h.responder().respond(q, 0, q.length, req.src(), req.dst(), ntp(rsp),
          theirs.header());
      assertEquals(ServerResponse.Kind.REPLY, r.kind(), "frame " + req.frame() + ": " + r);
      AutokeyPacket ours = PacketCodec.ntpd().decode(r.datagram());
      assertEquals(theirs.mac().orElseThrow().keyId(), ours.mac().orElseThrow().keyId());
      assertEquals(theirs.fields().size(), ours.fields().size());
      if (ours.fields().isEmpty()) {
        // plain reply: MAC keyed with the cookie (private value 0): byte-equal to ntpd's
        assertEquals(List.of(rsp.payload().length), List.of(r.length()));
        org.junit.jupiter.api.Assertions.assertArrayEquals(rsp.payload(), r.datagram(),
            "plain reply frame " + rsp.frame());
        byteEqual++;
        compared++;
        continue;
      }
      ExtensionField t = theirs.fields().get(0);
      ExtensionField o = ours.fields().get(0);
      assertEquals(t.headerWord() & 0xFFFF0000L, o.headerWord() & 0xFFFF0000L);
      assertEquals(t.associationId(), o.associationId());
      compared++;
      if (t.opcode().equals(Opcode.COOK)) {
        int ct = clientSuite.cookieCipher().decrypt(t.value());
        int co = clientSuite.cookieCipher().decrypt(o.value());
        assertEquals(ct, co, "cookie");
      } else if (t.opcode().isIdentity() || t.opcode().equals(Opcode.SIGN)) {
        assertEquals(t.filestamp(), o.filestamp());
      } else {
        assertEquals(t.timestamp(), o.timestamp(), t.opcode() + " ts");
        org.junit.jupiter.api.Assertions.assertArrayEquals(t.toByteArray(), o.toByteArray(),
            t.opcode() + " field frame " + rsp.frame());
        org.junit.jupiter.api.Assertions.assertArrayEquals(rsp.payload(), r.datagram(),
            t.opcode() + " reply frame " + rsp.frame());
        byteEqual++;
      }
      if (t.isSigned()) {
        suite.verifier(suite.hostCertificate().publicKey(), suite.hostCertificate().nid())
            .verify(o.signedBytes(), o.signature());
      }
    }
    System.out.println(run + " responder: " + compared + " replies compared, " + byteEqual
        + " byte-equal to ntpd's");
    assertTrue(compared >= 6);
  }
}
