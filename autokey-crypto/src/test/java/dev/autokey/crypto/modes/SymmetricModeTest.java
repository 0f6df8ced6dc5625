package dev.autokey.crypto.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.sim.LinkProfile;
import dev.autokey.core.sim.SimNetwork;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SymmetricModeTest {
  static final long T0 = ModesFixture.T0;

  record Setup(SimNetwork net, ModesNode a, ModesNode b, SymmetricPeer pa, List<String> log) {
    SymmetricPeer pb() {
      return b.peer(a.address()).orElseThrow();
    }
  }

  /** Two trusted hosts; A is active, B either active too or passive (mobilised by A). */
  static Setup tc(String v, LinkProfile link, long seed, boolean bothActive) throws Exception {
    List<String> log = ModesFixture.newLog();
    SecureRandom r = ModesFixture.rng(seed);
    EphemeralHosts.Host ha = EphemeralHosts.trusted("alpha", T0 - 100, r);
    EphemeralHosts.Host hb = EphemeralHosts.trusted("beta", T0 - 100, r);
    AutokeyHost a = ModesFixture.host(AutokeyConfig.defaults(), ha.tcSuite(r), seed + 1, log);
    AutokeyHost b = ModesFixture.host(AutokeyConfig.defaults(), hb.tcSuite(r), seed + 2, log);
    boolean v6 = v.equals("6");
    InetAddress aa = InetAddress.getByName(v6 ? "fd77::1" : "10.77.0.1");
    InetAddress ba = InetAddress.getByName(v6 ? "fd77::2" : "10.77.0.2");
    SimNetwork net = new SimNetwork(seed, NtpTime.ofSeconds(T0)).defaultLink(link);
    ModesNode na = new ModesNode("alpha", a, aa).reference();
    SymmetricPeer pa = na.addPeer(ba, Optional.empty(), 4);
    ModesNode nb = new ModesNode("beta", b, ba).reference();
    if (bothActive) {
      nb.addPeer(aa, Optional.empty(), 4);
    } else {
      nb.acceptPassive();
    }
    net.add(na);
    net.add(nb);
    return new Setup(net, na, nb, pa, log);
  }

  static boolean bothAllFlags(Setup s) {
    return s.pa().association().allFlags() && s.b().peer(s.a().address())
        .map(p -> p.association().allFlags()).orElse(false);
  }

  @Test
  void activeActivePeersReachAllFlagsAndAgreeOnTheXorCookie() throws Exception {
    for (String v : new String[] {"4", "6"}) {
      Setup s = tc(v, LinkProfile.perfect(), 51, true);
      boolean ok = s.net().runUntil(() -> bothAllFlags(s), 3600);
      if (!ok) {
        s.log().forEach(System.out::println);
        System.out.println(s.a().peers.values() + " " + s.b().peers.values());
        s.a().peers.values().forEach(st -> System.out.println(st.rejections));
        s.b().peers.values().forEach(st -> System.out.println(st.rejections));
      }
      assertTrue(ok, "both peers all flags, IPv" + v);
      ModesNode.Stats sa = s.a().stats(s.pa());
      ModesNode.Stats sb = s.b().stats(s.pb());
      long sa0 = sa.samples;
      long sb0 = sb.samples;
      s.net().runFor(2 * 1600 + 100);
      System.out.println("IPv" + v + " " + sa + " | " + sb);
      assertTrue(sa.samples - sa0 >= 190, "alpha samples " + (sa.samples - sa0));
      assertTrue(sb.samples - sb0 >= 190, "beta samples " + (sb.samples - sb0));
      assertEquals(0, sa.count(Verdict.Kind.REJECTED), sa.rejections.toString());
      assertEquals(0, sb.count(Verdict.Kind.REJECTED), sb.rejections.toString());
    }
  }

  @Test
  void activePassivePairWithLossDuplicationReordering() throws Exception {
    Setup s = tc("4", LinkProfile.lossy(0.10), 61, false);
    boolean ok = s.net().runUntil(() -> bothAllFlags(s), 7200);
    System.out.println(s.a().peers.values() + " " + s.b().peers.values());
    assertTrue(ok, "all flags with 10 % loss");
    assertEquals(NtpHeader.MODE_SYMMETRIC_PASSIVE, s.pb().ntpMode());
    ModesNode.Stats sa = s.a().stats(s.pa());
    long sa0 = sa.samples;
    s.net().runFor(2 * 1600 + 100);
    System.out.println("lossy " + sa + " net " + s.net().stats());
    assertTrue(sa.samples - sa0 >= 120, "alpha samples " + (sa.samples - sa0));
  }

  /** Packets between two hosts, stepped by hand (no network), for field-level assertions. */
  static final class Pair {
    final AutokeyHost a;
    final AutokeyHost b;
    final SymmetricPeer pa;
    final SymmetricPeer pb;
    final InetAddress aa;
    final InetAddress ba;
    long t = NtpTime.ofSeconds(T0);
    long xmt;

    Pair(long seed, String nameA, String nameB) throws Exception {
      SecureRandom r = ModesFixture.rng(seed);
      EphemeralHosts.Host ha = EphemeralHosts.trusted(nameA, T0 - 100, r);
      EphemeralHosts.Host hb = EphemeralHosts.trusted(nameB, T0 - 100, r);
      a = ModesFixture.host(AutokeyConfig.defaults(), ha.tcSuite(r), seed + 1,
          ModesFixture.newLog());
      b = ModesFixture.host(AutokeyConfig.defaults(), hb.tcSuite(r), seed + 2,
          ModesFixture.newLog());
      a.setSynchronised(true, t);
      b.setSynchronised(true, t);
      aa = InetAddress.getByName("10.77.0.1");
      ba = InetAddress.getByName("10.77.0.2");
      pa = a.symmetricActive(aa, ba, Optional.empty());
      pb = b.symmetricActive(ba, aa, Optional.empty());
    }

    byte[] send(SymmetricPeer p) {
      t += NtpTime.ofSeconds(8) - NtpTime.ofSeconds(0);
      NtpHeader h = NtpHeader.builder().version(4).mode(1).stratum(1).poll(4)
          .originTimestamp(p.lastReceivedTransmitTimestamp()).transmitTimestamp(t + (++xmt))
          .build();
      return p.prepareTransmit(h, t);
    }

    Verdict deliver(byte[] d, SymmetricPeer to) {
      InetAddress src = to.association().remote();
      InetAddress dst = to.association().local();
      return to.receive(d, 0, d.length, src, dst, t);
    }
  }

  @Test
  void queuedRequestIsAnsweredInTheNextOwnTransmissionBeforeTheOwnRequest() throws Exception {
    Pair p = new Pair(71, "alpha", "beta");
    byte[] a1 = p.send(p.pa); // ASSOC request
    assertEquals(Opcode.ASSOC, PacketCodec.ntpd().decode(a1, 0, a1.length).fields().get(0)
        .opcode());
    p.deliver(a1, p.pb);
    assertTrue(p.pb.hasQueuedRequest());
    byte[] b1 = p.send(p.pb);
    AutokeyPacket pk = PacketCodec.ntpd().decode(b1, 0, b1.length);
    assertEquals(2, pk.fields().size(), "one response plus one request");
    assertTrue(pk.fields().get(0).isResponse());
    assertEquals(Opcode.ASSOC, pk.fields().get(0).opcode());
    assertEquals(p.pb.association().associationId(), pk.fields().get(0).associationId(),
        "response to a queued ASSOC carries the responder's own ID");
    // B already has A's ASSOC, so its own request is CERT
    assertEquals(Opcode.CERT, pk.fields().get(1).opcode());
    assertFalse(pk.fields().get(1).isResponse());
    Verdict v = p.deliver(b1, p.pa);
    assertEquals(Verdict.Kind.AUTHENTIC, v.kind(), v.toString());
    assertTrue(p.pa.association().flags() != 0, "A stored B's ASSOC");
    assertTrue(p.pa.hasQueuedRequest(), "B's CERT request queued at A");
    byte[] a2 = p.send(p.pa);
    AutokeyPacket pk2 = PacketCodec.ntpd().decode(a2, 0, a2.length);
    assertEquals(Opcode.CERT, pk2.fields().get(0).opcode());
    assertTrue(pk2.fields().get(0).isResponse());
    assertEquals(p.pb.association().associationId(), pk2.fields().get(0).associationId(),
        "response to a queued request echoes the requester's ID");
    assertEquals(Opcode.CERT, pk2.fields().get(1).opcode());
    assertFalse(pk2.fields().get(1).isResponse());
  }

  @Test
  void assocRequestWithCertLitRestartsWithXevntErr() throws Exception {
    Pair p = new Pair(81, "alpha", "beta");
    byte[] firstAssoc = p.send(p.pa);
    p.deliver(firstAssoc, p.pb);
    for (int i = 0; i < 6 && !p.pb.association().has(Flag.CERT); i++) {
      p.deliver(p.send(p.pb), p.pa);
      p.deliver(p.send(p.pa), p.pb);
    }
    assertTrue(p.pb.association().has(Flag.CERT));
    // A restarts (a fresh association) and sends a new ASSOC request: B must restart.
    SymmetricPeer fresh = p.a.symmetricActive(p.aa, p.ba, Optional.empty());
    byte[] again = p.send(fresh);
    Verdict v = p.deliver(again, p.pb);
    assertEquals(Verdict.Kind.REJECTED, v.kind());
    assertEquals(XEvent.ERR, v.event());
    assertTrue(v.restarted());
    assertEquals(0, p.pb.association().flags());
  }

  @Test
  void identityPresenceMustMatch() throws Exception {
    SecureRandom r = ModesFixture.rng(91);
    var iff = dev.autokey.crypto.identity.IffKey.generate(512, r, T0 - 100);
    EphemeralHosts.Host ha = EphemeralHosts.trusted("alpha", T0 - 100, r);
    EphemeralHosts.Host hb = EphemeralHosts.trusted("beta", T0 - 100, r);
    AutokeyHost a = ModesFixture.host(AutokeyConfig.defaults(),
        ha.suite(r).iffKey(iff).build(), 92, ModesFixture.newLog());
    AutokeyHost b = ModesFixture.host(AutokeyConfig.defaults(), hb.tcSuite(r), 93,
        ModesFixture.newLog());
    long t = NtpTime.ofSeconds(T0);
    a.setSynchronised(true, t);
    b.setSynchronised(true, t);
    InetAddress aa = InetAddress.getByName("10.77.0.1");
    InetAddress ba = InetAddress.getByName("10.77.0.2");
    SymmetricPeer pa = a.symmetricActive(aa, ba, Optional.empty());
    SymmetricPeer pb = b.symmetricActive(ba, aa, Optional.empty());
    NtpHeader h = NtpHeader.builder().version(4).mode(1).stratum(1).poll(4)
        .transmitTimestamp(t + 1).build();
    byte[] d = pa.prepareTransmit(h, t);
    Verdict v = pb.receive(d, 0, d.length, aa, ba, t);
    assertEquals(Verdict.Kind.REJECTED, v.kind());
    assertEquals(XEvent.KEY, v.event(), v.toString());
    assertEquals(0, pb.association().flags());
  }
}
