package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptostatsFormatter;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.sim.AutokeyNode;
import dev.autokey.core.sim.SimNetwork;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineTcTest {
  static final long T0 = 3_900_000_000L;

  static SecureRandom rng(long seed) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(seed);
    return r;
  }

  @Test
  void tcClientReachesAllFlags() throws Exception {
    List<String> log = new ArrayList<>();
    ProtocolEventListener l = e -> log.add(CryptostatsFormatter.format(e));
    SecureRandom r = rng(1);
    EphemeralHosts.Host srv = EphemeralHosts.trusted("server", T0 - 100, r);
    EphemeralHosts.Host cli = EphemeralHosts.ordinary("client", T0 - 100, r);
    AutokeyHost sh = AutokeyHost.create(AutokeyConfig.defaults(), srv.tcSuite(r), rng(2), l);
    AutokeyHost ch = AutokeyHost.create(AutokeyConfig.defaults(), cli.tcSuite(r), rng(3), l);
    InetAddress sa = InetAddress.getByName("10.77.0.1");
    InetAddress ca = InetAddress.getByName("10.77.0.2");
    SimNetwork net = new SimNetwork(7, NtpTime.ofSeconds(T0));
    net.add(new AutokeyNode("server", sh, sa).serve().reference());
    AutokeyNode cn = net.add(new AutokeyNode("client", ch, ca));
    Association a = cn.addClient(sa, Optional.empty(), 4);
    boolean ok = net.runUntil(a::allFlags, 3600);
    log.forEach(System.out::println);
    System.out.println(a + " " + cn.client(sa).lastVerdict());
    assertTrue(ok, "all flags");
    net.runFor(2 * 1600 + 100);
    System.out.println("samples " + cn.client(sa).samples() + " sent " + cn.client(sa).sent());
    assertTrue(cn.client(sa).samples() > 190);
    assertEquals(0, cn.client(sa).count(dev.autokey.core.protocol.Verdict.Kind.REJECTED));
  }
}
