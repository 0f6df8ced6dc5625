package dev.autokey.crypto.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.BroadcastServer;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.sim.LinkProfile;
import dev.autokey.core.sim.SimNetwork;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BroadcastModeTest {
  static final long T0 = ModesFixture.T0;

  record Setup(SimNetwork net, ModesNode server, ModesNode client, BroadcastServer bs,
      List<String> log) {}

  static Setup tc(String v, LinkProfile link, long seed) throws Exception {
    List<String> log = ModesFixture.newLog();
    SecureRandom r = ModesFixture.rng(seed);
    EphemeralHosts.Host srv = EphemeralHosts.trusted("server", T0 - 100, r);
    EphemeralHosts.Host cli = EphemeralHosts.ordinary("client", T0 - 100, r);
    AutokeyHost sh = ModesFixture.host(AutokeyConfig.defaults(), srv.tcSuite(r), seed + 1, log);
    AutokeyHost ch = ModesFixture.host(AutokeyConfig.defaults(), cli.tcSuite(r), seed + 2, log);
    boolean v6 = v.equals("6");
    InetAddress sa = InetAddress.getByName(v6 ? "fd77::1" : "10.77.0.1");
    InetAddress ca = InetAddress.getByName(v6 ? "fd77::2" : "10.77.0.2");
    InetAddress ba = InetAddress.getByName(v6 ? "ff02::101" : "10.77.0.255");
    SimNetwork net = new SimNetwork(seed, NtpTime.ofSeconds(T0)).defaultLink(link);
    ModesNode s = new ModesNode("server", sh, sa).serve().reference();
    BroadcastServer bs = s.addBroadcastServer(ba, 4);
    net.add(s);
    ModesNode c = net.add(new ModesNode("client", ch, ca).broadcastClient(ba, 4,
        Optional.empty()));
    return new Setup(net, s, c, bs, log);
  }

  static BroadcastClient only(ModesNode c) {
    assertEquals(1, c.bclients.size(), "one broadcast client mobilised");
    return c.bclients.values().iterator().next();
  }

  @Test
  void broadcastServerPutsAssocOnEveryBroadcastAndSignedAutoAfterEachKeyList() throws Exception {
    SecureRandom r = ModesFixture.rng(11);
    EphemeralHosts.Host srv = EphemeralHosts.trusted("server", T0 - 100, r);
    List<String> log = new ArrayList<>();
    AutokeyHost sh = ModesFixture.host(AutokeyConfig.defaults(), srv.tcSuite(r), 12, log);
    sh.setSynchronised(true, NtpTime.ofSeconds(T0));
    InetAddress sa = InetAddress.getByName("10.77.0.1");
    InetAddress ba = InetAddress.getByName("10.77.0.255");
    BroadcastServer bs = sh.broadcastServer(sa, ba);
    int autos = 0;
    int assocs = 0;
    long prevKey = -1;
    for (int i = 0; i < 230; i++) {
      long now = NtpTime.ofSeconds(T0 + 16L * i);
      NtpHeader h = NtpHeader.builder().version(4).mode(NtpHeader.MODE_BROADCAST).stratum(1)
          .poll(4).transmitTimestamp(now + i).build();
      byte[] d = bs.prepareBroadcast(h, now).orElseThrow();
      AutokeyPacket p = PacketCodec.ntpd().decode(d, 0, d.length);
      assertEquals(1, p.fields().size());
      ExtensionField f = p.fields().get(0);
      assertTrue(f.isResponse());
      assertEquals(bs.associationId(), f.associationId(), "own association ID");
      long keyId = p.mac().orElseThrow().keyId();
      if (f.opcode().equals(Opcode.AUTO)) {
        autos++;
        assertTrue(f.signatureLength() > 0, "AUTO values signed");
        // the first key of a new list hashes to the published key ID
        var values = f.autoValues();
        var engine = dev.autokey.core.keys.SessionKeyEngine.md5();
        int next = engine.nextKeyId(dev.autokey.core.keys.AddressPair.of(sa, ba), (int) keyId, 0);
        assertEquals(values.keyId(), next & 0xFFFFFFFFL);
        assertEquals(99, values.sequence());
      } else {
        assertEquals(Opcode.ASSOC, f.opcode());
        assertEquals("server", f.assocHostName());
        assocs++;
        if (prevKey != -1) {
          var engine = dev.autokey.core.keys.SessionKeyEngine.md5();
          int next = engine.nextKeyId(dev.autokey.core.keys.AddressPair.of(sa, ba), (int) keyId,
              0);
          assertEquals(prevKey, next & 0xFFFFFFFFL, "key IDs chain with cookie 0");
        }
      }
      prevKey = keyId;
    }
    assertEquals(3, autos, "one AUTO push per 100-key list: packets 0, 100, 200");
    assertEquals(227, assocs);
  }

  @Test
  void unsynchronisedBroadcastServerSendsNothing() throws Exception {
    SecureRandom r = ModesFixture.rng(21);
    EphemeralHosts.Host srv = EphemeralHosts.trusted("server", T0 - 100, r);
    AutokeyHost sh = ModesFixture.host(AutokeyConfig.defaults(), srv.tcSuite(r), 22,
        new ArrayList<>());
    BroadcastServer bs = sh.broadcastServer(InetAddress.getByName("10.77.0.1"),
        InetAddress.getByName("10.77.0.255"));
    NtpHeader h = NtpHeader.builder().version(4).mode(NtpHeader.MODE_BROADCAST).poll(4)
        .transmitTimestamp(NtpTime.ofSeconds(T0)).build();
    assertTrue(bs.prepareBroadcast(h, NtpTime.ofSeconds(T0)).isEmpty());
  }

  @Test
  void tcBroadcastClientReachesAllFlagsThenVerifiesBroadcastsForTwoKeyLists() throws Exception {
    for (String v : new String[] {"4", "6"}) {
      Setup s = tc(v, LinkProfile.perfect(), 31);
      boolean ok = s.net().runUntil(() -> !s.client().bclients.isEmpty()
          && only(s.client()).association().allFlags()
          && only(s.client()).isReceivingBroadcasts(), 3600);
      s.log().forEach(System.out::println);
      assertTrue(ok, "all flags, IPv" + v);
      BroadcastClient bc = only(s.client());
      long before = bc.broadcastsAccepted();
      s.net().runFor(2 * 1600 + 100);
      ModesNode.Stats st = s.client().bclientStats.get(bc.server());
      System.out.println("IPv" + v + " " + st + " accepted broadcasts " + bc.broadcastsAccepted());
      assertTrue(bc.broadcastsAccepted() - before >= 195,
          "broadcasts accepted over two key lists: " + (bc.broadcastsAccepted() - before));
      assertEquals(0, st.count(Verdict.Kind.REJECTED), st.rejections.toString());
      assertTrue(s.client().synchronisedAt() != -1, "client synchronised");
      assertTrue(!bc.wantsToTransmit(), "no unicast traffic once broadcasts verify");
    }
  }

  @Test
  void tcBroadcastClientSurvivesLossDuplicationReordering() throws Exception {
    Setup s = tc("4", LinkProfile.lossy(0.10), 41);
    boolean ok = s.net().runUntil(() -> !s.client().bclients.isEmpty()
        && only(s.client()).association().allFlags()
        && only(s.client()).isReceivingBroadcasts(), 7200);
    assertTrue(ok, "all flags with 10 % loss/duplication/reordering");
    BroadcastClient bc = only(s.client());
    long before = bc.broadcastsAccepted();
    s.net().runFor(2 * 1600 + 100);
    ModesNode.Stats st = s.client().bclientStats.get(bc.server());
    System.out.println("lossy " + st + " accepted " + bc.broadcastsAccepted() + " net "
        + s.net().stats());
    assertTrue(bc.broadcastsAccepted() - before >= 150, "accepted " + (bc.broadcastsAccepted()
        - before));
  }
}
