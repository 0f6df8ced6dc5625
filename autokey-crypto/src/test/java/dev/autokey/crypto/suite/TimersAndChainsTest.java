package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEvent;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.sim.AutokeyNode;
import dev.autokey.core.sim.SimNetwork;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.crypto.NtpCertificates;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Must-show 4 (national-service chain) and Must-show 6 (timers in virtual time). */
class TimersAndChainsTest {
  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void nationalServiceChain_trailOfTwoEndsAtTh_andGrundoonSignedByTh() throws Exception {
    Scenarios.Events ev = new Scenarios.Events();
    AutokeyConfig cfg = AutokeyConfig.defaults();
    var nist = EphemeralHosts.trusted("time.nist.gov", Scenarios.FS, Scenarios.rng(31));
    var grundoon = EphemeralHosts.ordinary("grundoon", Scenarios.FS, Scenarios.rng(32));
    var cli = EphemeralHosts.ordinary("client", Scenarios.FS, Scenarios.rng(33));
    AutokeyHost nh = AutokeyHost.create(cfg, nist.tcSuite(Scenarios.rng(34)), Scenarios.rng(35), ev);
    AutokeyHost gh = AutokeyHost.create(cfg, grundoon.tcSuite(Scenarios.rng(36)),
        Scenarios.rng(37), ev);
    AutokeyHost ch = AutokeyHost.create(cfg, cli.tcSuite(Scenarios.rng(38)), Scenarios.rng(39), ev);
    InetAddress na = ip("192.0.2.1");
    InetAddress ga = ip("192.0.2.2");
    InetAddress ca = ip("192.0.2.3");
    SimNetwork net = new SimNetwork(4, NtpTime.ofSeconds(Scenarios.T0));
    net.add(new AutokeyNode("nist", nh, na).serve().reference());
    AutokeyNode gn = net.add(new AutokeyNode("grundoon", gh, ga).serve());
    AutokeyNode cn = net.add(new AutokeyNode("client", ch, ca));
    Association up = gn.addClient(na, Optional.empty(), 4);
    Association down = cn.addClient(ga, Optional.empty(), 4);
    assertTrue(net.runUntil(() -> up.allFlags() && down.allFlags(), 7200),
        "flags " + Long.toHexString(up.flags()) + " " + Long.toHexString(down.flags()));
    List<CertificateInfo> trail = down.trail();
    assertEquals(2, trail.size(), "trail " + trail);
    assertEquals("grundoon", trail.get(0).subject());
    assertEquals("time.nist.gov", trail.get(0).issuer());
    assertEquals("time.nist.gov", trail.get(1).subject());
    assertTrue(trail.get(1).trusted());
    CertificateInfo signed = gh.certificates().find("grundoon", "time.nist.gov").orElseThrow();
    nh.cryptoSuite().certificateCodec().verify(signed, nh.cryptoSuite().hostCertificate()
        .publicKey());
    // time flows TH -> grundoon -> client only after PROV
    assertTrue(gn.synchronisedAt() != -1 && cn.synchronisedAt() != -1);
    assertTrue(Long.compareUnsigned(cn.synchronisedAt(), gn.synchronisedAt()) > 0);
    assertTrue(Long.compareUnsigned(gn.synchronisedAt(), gn.client(na).firstSampleAt()) >= 0);
    assertTrue(Long.compareUnsigned(cn.client(ga).firstSampleAt(), cn.synchronisedAt()) <= 0);
    assertTrue(Long.compareUnsigned(cn.synchronisedAt(), gn.client(na).allFlagsAt()) > 0,
        "client synchronised only after grundoon was proventic");
    System.out.println("national chain: grundoon all flags at +"
        + ((gn.client(na).allFlagsAt() - NtpTime.ofSeconds(Scenarios.T0)) >>> 32)
        + " s, client at +" + ((cn.client(ga).allFlagsAt() - NtpTime.ofSeconds(Scenarios.T0))
        >>> 32) + " s");
  }

  @Test
  void keyListsRegenerateOnSchedule() throws Exception {
    Scenarios.Events ev = new Scenarios.Events();
    Scenarios.Pair p = Scenarios.pair("TC", AutokeyConfig.defaults(), 41, ev);
    SimNetwork net = new SimNetwork(41, NtpTime.ofSeconds(Scenarios.T0));
    net.add(new AutokeyNode("s", p.server(), ip("10.0.0.1")).serve().reference());
    AutokeyNode cn = net.add(new AutokeyNode("c", p.client(), ip("10.0.0.2")));
    Association a = cn.addClient(ip("10.0.0.1"), Optional.empty(), 4);
    assertTrue(net.runUntil(a::allFlags, 3600));
    int from = ev.all.size();
    net.runFor(4 * 1600);
    List<Long> times = new ArrayList<>();
    for (ProtocolEvent e : ev.all.subList(from, ev.all.size())) {
      if (e.type() == ProtocolEvent.Type.KEY_LIST_REGENERATED
          && e.associationId() == a.associationId()) {
        assertTrue(e.text().contains("100 keys"), e.text());
        times.add(NtpTime.seconds(e.time()));
      }
    }
    assertTrue(times.size() >= 3, "regenerations " + times);
    for (int i = 1; i < times.size(); i++) {
      assertEquals(1600, times.get(i) - times.get(i - 1), "interval " + times);
    }
  }

  @Test
  void revokeRegeneratesPrivateValue_clientsRecoverWithinTwoPolls() throws Exception {
    Scenarios.Events ev = new Scenarios.Events();
    AutokeyConfig cfg = AutokeyConfig.builder().revoke(10).build(); // 1024 s
    Scenarios.Pair p = Scenarios.pair("TC", cfg, 42, ev);
    SimNetwork net = new SimNetwork(42, NtpTime.ofSeconds(Scenarios.T0));
    InetAddress sa = ip("10.0.0.1");
    net.add(new AutokeyNode("s", p.server(), sa).serve().reference());
    List<AutokeyNode> clients = new ArrayList<>();
    List<Association> assocs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      var h = EphemeralHosts.ordinary("c" + i, Scenarios.FS, Scenarios.rng(50 + i));
      AutokeyHost ch = AutokeyHost.create(cfg, h.tcSuite(Scenarios.rng(60 + i)),
          Scenarios.rng(70 + i), ev);
      AutokeyNode n = net.add(new AutokeyNode("c" + i, ch, ip("10.0.0." + (10 + i))));
      clients.add(n);
      assocs.add(n.addClient(sa, Optional.empty(), 4));
    }
    assertTrue(net.runUntil(() -> assocs.stream().allMatch(Association::allFlags), 3600));
    long revokeAt = p.server().nextDeadline();
    assertTrue(revokeAt != NtpTime.NEVER);
    net.runUntil(() -> ev.count(ProtocolEvent.Type.PRIVATE_VALUE_REVOKED) > 0, 2048);
    assertEquals(1, ev.count(ProtocolEvent.Type.PRIVATE_VALUE_REVOKED));
    long revokedAt = net.now();
    long naksBefore = p.server().responder().stats().cryptoNaks();
    // within two polls every client has a new cookie and is proventic again
    net.runFor(2 * 16 + 2);
    for (int i = 0; i < 3; i++) {
      Association a = assocs.get(i);
      assertTrue(a.allFlags(), "client " + i + " flags " + Long.toHexString(a.flags()));
      Verdict last = clients.get(i).client(sa).lastVerdict().orElseThrow();
      assertEquals(Verdict.Kind.ACCEPTED, last.kind(), "client " + i + ": " + last);
    }
    long naks = p.server().responder().stats().cryptoNaks() - naksBefore;
    assertEquals(3, naks, "one crypto-NAK per client: the old cookie no longer verifies");
    long refetched = ev.all.stream().filter(e -> e.type() == ProtocolEvent.Type.RESTART
        && e.text().contains("cookie refetch") && Long.compareUnsigned(e.time(), revokedAt) >= 0)
        .count();
    assertEquals(3, refetched);
    // and the responder keeps answering with the new private value afterwards
    long samples = clients.get(0).client(sa).samples();
    net.runFor(160);
    assertTrue(clients.get(0).client(sa).samples() >= samples + 9);
  }

  @Test
  void expiredOwnCertificateBlocksSign_per() throws Exception {
    Scenarios.Events ev = new Scenarios.Events();
    AutokeyConfig cfg = AutokeyConfig.defaults();
    var s = EphemeralHosts.trusted("server", Scenarios.FS, Scenarios.rng(81));
    // client certificate valid for 0 days: notAfter = notBefore, long before T0
    var c = EphemeralHosts.generate("client", NtpCertificates.Kind.ORDINARY, 512, Scenarios.FS, 0,
        null, Scenarios.rng(82));
    AutokeyHost sh = AutokeyHost.create(cfg, s.tcSuite(Scenarios.rng(83)), Scenarios.rng(84), ev);
    AutokeyHost ch = AutokeyHost.create(cfg, c.tcSuite(Scenarios.rng(85)), Scenarios.rng(86), ev);
    SimNetwork net = new SimNetwork(8, NtpTime.ofSeconds(Scenarios.T0));
    net.add(new AutokeyNode("s", sh, ip("10.0.0.1")).serve().reference());
    AutokeyNode cn = net.add(new AutokeyNode("c", ch, ip("10.0.0.2")));
    Association a = cn.addClient(ip("10.0.0.1"), Optional.empty(), 4);
    net.runFor(600);
    assertTrue(a.has(Flag.COOK) && a.isProventic());
    assertFalse(a.has(Flag.SIGN), "SIGN must be blocked");
    assertTrue(ev.all.stream().anyMatch(e -> e.type() == ProtocolEvent.Type.ERROR
        && e.event() == XEvent.PER && e.associationId() == a.associationId()));
  }

  @Test
  void refreshRerunsTheProtocol() throws Exception {
    Scenarios.Events ev = new Scenarios.Events();
    AutokeyConfig cfg = AutokeyConfig.builder().refresh(12).build(); // 4096 s
    Scenarios.Pair p = Scenarios.pair("IFF", cfg, 43, ev);
    SimNetwork net = new SimNetwork(43, NtpTime.ofSeconds(Scenarios.T0));
    net.add(new AutokeyNode("s", p.server(), ip("10.0.0.1")).serve().reference());
    AutokeyNode cn = net.add(new AutokeyNode("c", p.client(), ip("10.0.0.2")));
    Association a = cn.addClient(ip("10.0.0.1"), Optional.of("grp"), 4);
    assertTrue(net.runUntil(a::allFlags, 3600));
    assertTrue(net.runUntil(() -> ev.count(ProtocolEvent.Type.REFRESH) > 0, 4200));
    assertFalse(a.allFlags(), "refresh dropped the Autokey state");
    assertTrue(net.runUntil(a::allFlags, 600), "protocol re-ran");
    long verifies = ev.all.stream().filter(e -> e.type() == ProtocolEvent.Type.FLAG_LIT
        && e.text().equals("flag vrfy")).count();
    assertEquals(2, verifies, "IFF ran twice");
  }
}
