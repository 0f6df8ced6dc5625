package dev.autokey.crypto.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.BroadcastServer;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A unicast AUTO request that reaches a broadcast server after its key list expired (the key-age
 * timer, {@code 2^automax} s after the list was made) and before its next broadcast makes the new
 * list. Broadcasts with a long poll make this window as long as one poll interval; a broadcast
 * client's volley and every refetch after a broken chain ask AUTO by unicast.
 */
class BroadcastAutoAfterExpiryTest {
  static final long T0 = ModesFixture.T0;
  static final int POLL = 10; // 1024 s between broadcasts: 4 keys per 2^12 s list

  record Rig(AutokeyHost server, AutokeyHost client, BroadcastServer bs, InetAddress sa,
      InetAddress ca, InetAddress ba, List<String> log) {}

  static Rig rig(long seed) throws Exception {
    List<String> log = ModesFixture.newLog();
    SecureRandom r = ModesFixture.rng(seed);
    EphemeralHosts.Host srv = EphemeralHosts.trusted("server", T0 - 100, r);
    EphemeralHosts.Host cli = EphemeralHosts.ordinary("client", T0 - 100, r);
    AutokeyHost sh = ModesFixture.host(AutokeyConfig.defaults(), srv.tcSuite(r), seed + 1, log);
    AutokeyHost ch = ModesFixture.host(AutokeyConfig.defaults(), cli.tcSuite(r), seed + 2, log);
    sh.setSynchronised(true, NtpTime.ofSeconds(T0));
    InetAddress sa = InetAddress.getByName("10.77.0.1");
    InetAddress ca = InetAddress.getByName("10.77.0.2");
    InetAddress ba = InetAddress.getByName("10.77.0.255");
    return new Rig(sh, ch, sh.broadcastServer(sa, ba), sa, ca, ba, log);
  }

  static byte[] broadcast(BroadcastServer bs, long now) {
    NtpHeader h = NtpHeader.builder().version(4).mode(NtpHeader.MODE_BROADCAST).stratum(1)
        .poll(POLL).transmitTimestamp(now).build();
    return bs.prepareBroadcast(h, now).orElseThrow();
  }

  static AutokeyPacket decode(byte[] d) throws Exception {
    return PacketCodec.ntpd().decode(d, 0, d.length);
  }

  /** A unicast AUTO request for the broadcast server's association (MAC with cookie 0). */
  static byte[] autoRequest(Rig r, long now) {
    ExtensionField f = AutokeyMessages.autoRequest(r.bs().associationId());
    byte[] q = new byte[NtpHeader.LENGTH + f.length() + 20];
    ByteBuffer b = ByteBuffer.wrap(q);
    NtpHeader.builder().version(4).mode(3).poll(POLL).transmitTimestamp(now).build().writeTo(b);
    f.writeTo(b);
    SessionKeyEngine.md5().computeMac(AddressPair.of(r.ca(), r.sa()), 0x7654_3210, 0, q, 0,
        NtpHeader.LENGTH + f.length());
    return q;
  }

  static ExtensionField answer(Rig r, byte[] q, long now) throws Exception {
    NtpHeader h = NtpHeader.builder().version(4).mode(4).stratum(1).poll(POLL)
        .originTimestamp(now).receiveTimestamp(now).transmitTimestamp(now + 1).build();
    ServerResponse resp = r.server().responder().respond(q, 0, q.length, r.ca(), r.sa(), now, h);
    assertEquals(ServerResponse.Kind.REPLY, resp.kind(), resp.toString());
    AutokeyPacket p = decode(resp.datagram());
    assertEquals(1, p.fields().size());
    return p.fields().get(0);
  }

  /**
   * The server side, pinned down: between the key-age timer and the next broadcast the AUTO
   * request is answered without values and without the E bit (the client asks again; ntpd's
   * empty answer), never with an error that restarts the client; once the next broadcast made the
   * new list, the request gets the new list's signed values, which the new broadcasts hash to.
   */
  @Test
  void autoRequestBetweenKeyListExpiryAndNextBroadcast() throws Exception {
    Rig r = rig(71);
    long now = NtpTime.ofSeconds(T0);
    broadcast(r.bs(), now); // first list, AUTO push
    ExtensionField before = answer(r, autoRequest(r, now), now);
    assertTrue(before.isResponse() && !before.isError() && before.signatureLength() > 0);
    long first = before.autoValues().keyId();

    long expiry = r.bs().nextDeadline();
    assertNotEquals(NtpTime.NEVER, expiry);
    assertEquals(1L << 12, NtpTime.seconds(expiry) - T0, "key-age timer at 2^automax");
    r.bs().onTimer(expiry); // the list is gone, no broadcast sent yet

    ExtensionField inWindow = answer(r, autoRequest(r, expiry), expiry);
    assertEquals(Opcode.AUTO, inWindow.opcode());
    assertTrue(inWindow.isResponse());
    assertFalse(inWindow.isError(), "AUTO request in the expiry window got an error: "
        + inWindow);

    long next = NtpTime.plusSeconds(expiry, 1);
    AutokeyPacket b = decode(broadcast(r.bs(), next)); // makes the new list, pushes its values
    ExtensionField push = b.fields().get(0);
    assertEquals(Opcode.AUTO, push.opcode(), "the first broadcast of the new list pushes AUTO");
    ExtensionField after = answer(r, autoRequest(r, next), next);
    assertFalse(after.isError());
    assertEquals(push.autoValues(), after.autoValues(), "unicast answer = pushed values");
    assertNotEquals(first, after.autoValues().keyId(), "a new list");
    int keyId = (int) b.mac().orElseThrow().keyId();
    assertEquals(after.autoValues().keyId(), SessionKeyEngine.md5()
        .nextKeyId(AddressPair.of(r.sa(), r.ba()), keyId, 0) & 0xFFFF_FFFFL);
  }

  /**
   * The client side: a broadcast client whose volley AUTO request lands in that window is not
   * reset; it gets the values at a later poll and then verifies the new list's broadcasts.
   */
  @Test
  void broadcastClientVolleyAcrossTheExpiryKeepsGoing() throws Exception {
    Rig r = rig(81);
    long now = NtpTime.ofSeconds(T0);
    broadcast(r.bs(), now); // AUTO push of the first list
    now = NtpTime.plusSeconds(now, 16);
    byte[] assoc = broadcast(r.bs(), now);
    BroadcastClient bc = BroadcastClient.mobilise(r.client(), r.ca(), assoc, 0, assoc.length,
        r.sa(), r.ba(), now, Optional.empty()).orElseThrow();
    boolean expired = false;
    List<Verdict> autoReplies = new ArrayList<>();
    for (int i = 0; i < 20 && bc.wantsToTransmit(); i++) {
      now = NtpTime.plusSeconds(now, 16);
      NtpHeader qh = NtpHeader.builder().version(4).mode(3).poll(4).transmitTimestamp(now)
          .build();
      byte[] q = bc.prepareTransmit(qh, now);
      AutokeyPacket qp = decode(q);
      boolean isAuto = !qp.fields().isEmpty() && qp.fields().get(0).opcode().equals(Opcode.AUTO);
      if (isAuto && !expired) {
        // the key-age timer fires while the request is in flight
        long at = r.bs().nextDeadline();
        r.bs().onTimer(at);
        now = at;
        expired = true;
      }
      NtpHeader rh = NtpHeader.builder().version(4).mode(4).stratum(1).poll(4)
          .originTimestamp(qh.transmitTimestamp()).receiveTimestamp(now)
          .transmitTimestamp(now + 1).build();
      byte[] reply = r.server().responder().respond(q, 0, q.length, r.ca(), r.sa(), now, rh)
          .datagram();
      Verdict v = bc.receive(reply, 0, reply.length, r.sa(), r.ca(), now);
      r.client().setSynchronised(bc.association().isProventic(), now);
      if (isAuto) {
        autoReplies.add(v);
        if (autoReplies.size() == 1) {
          // the server's next broadcast comes before the client's next poll
          byte[] d = broadcast(r.bs(), NtpTime.plusSeconds(now, 2));
          bc.receive(d, 0, d.length, r.sa(), r.ba(), NtpTime.plusSeconds(now, 2));
        }
      }
      assertFalse(bc.isDemobilised(), "client reset at request " + i + " by " + v + "\n"
          + String.join("\n", r.log()));
    }
    assertTrue(expired, "the volley asked AUTO");
    assertTrue(bc.association().allFlags(), "all flags: " + autoReplies + "\n"
        + String.join("\n", r.log()));
    assertTrue(bc.isReceivingBroadcasts());
    assertTrue(autoReplies.size() >= 2, "the values came with a later request: " + autoReplies);
    Verdict inWindow = autoReplies.get(0);
    // the empty answer: refused like a budget-limited field (XEVNT_LEN), no restart
    assertFalse(inWindow.restarted(), inWindow.toString());
    assertEquals(dev.autokey.core.XEvent.LEN, inWindow.event(), inWindow.toString());
    Verdict last = autoReplies.get(autoReplies.size() - 1);
    assertNotEquals(Verdict.Kind.REJECTED, last.kind(), last.toString());
    // the new list's broadcasts verify
    long accepted = bc.broadcastsAccepted();
    for (int i = 0; i < 3; i++) {
      now = NtpTime.plusSeconds(now, 1L << POLL);
      byte[] d = broadcast(r.bs(), now);
      bc.receive(d, 0, d.length, r.sa(), r.ba(), now);
    }
    assertEquals(accepted + 3, bc.broadcastsAccepted(), String.join("\n", r.log()));
  }
}
