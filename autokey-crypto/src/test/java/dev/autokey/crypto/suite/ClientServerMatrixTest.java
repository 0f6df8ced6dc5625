package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.sim.AutokeyNode;
import dev.autokey.core.sim.LinkProfile;
import dev.autokey.core.sim.SimNetwork;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Must-show 1 for client/server mode: every identity scheme × MD5/SHA-1 × IPv4/IPv6, perfect and
 * 10 % lossy/duplicating/reordering links: all seven flags, then authenticated plain packets for
 * two key-list lifetimes (poll 16 s: 100 keys, 1600 s per list).
 */
class ClientServerMatrixTest {
  static final Map<String, Long> SECONDS_TO_ALL_FLAGS = new TreeMap<>();
  static final long LIST_LIFETIME = 1600;

  @ParameterizedTest(name = "{0} {1} {2} loss={3}")
  @CsvSource({
      "TC,MD5,v4,0", "TC,SHA1,v6,0", "TC,MD5,v6,0.1", "TC,SHA1,v4,0.1",
      "IFF,MD5,v4,0", "IFF,SHA1,v6,0", "IFF,MD5,v6,0.1", "IFF,SHA1,v4,0.1",
      "GQ,MD5,v4,0", "GQ,SHA1,v6,0", "GQ,MD5,v6,0.1", "GQ,SHA1,v4,0.1",
      "MV,MD5,v4,0", "MV,SHA1,v6,0", "MV,MD5,v6,0.1", "MV,SHA1,v4,0.1",
      "PC,MD5,v4,0", "PC,SHA1,v6,0", "PC,MD5,v6,0.1", "PC,SHA1,v4,0.1"})
  void clientServer(String scheme, String digest, String family, double loss) throws Exception {
    AutokeyConfig cfg = AutokeyConfig.builder().digest(digest).build();
    long seed = (scheme + digest + family + loss).hashCode();
    Scenarios.Events ev = new Scenarios.Events();
    Scenarios.Pair p = Scenarios.pair(scheme, cfg, seed, ev);
    InetAddress sa = InetAddress.getByName(family.equals("v4") ? "10.77.0.1" : "fd77::1");
    InetAddress ca = InetAddress.getByName(family.equals("v4") ? "10.77.0.2" : "fd77::2");
    SimNetwork net = new SimNetwork(seed, NtpTime.ofSeconds(Scenarios.T0));
    net.defaultLink(loss == 0 ? LinkProfile.perfect() : LinkProfile.lossy(loss));
    net.add(new AutokeyNode("server", p.server(), sa).serve().reference());
    AutokeyNode cn = net.add(new AutokeyNode("client", p.client(), ca));
    Association a = cn.addClient(sa, Optional.ofNullable(p.ident()), 4);
    long t0 = net.now();
    assertTrue(net.runUntil(a::allFlags, 3600), scheme + " all flags, flags "
        + Long.toHexString(a.flags()) + " last " + cn.client(sa).lastVerdict());
    long secs = (net.now() - t0) >>> 32;
    SECONDS_TO_ALL_FLAGS.put(String.format("%-3s %-4s %s loss %3.0f%%", scheme, digest, family,
        loss * 100), secs);
    AutokeyNode.Client c = cn.client(sa);
    long samplesBefore = c.samples();
    long listsBefore = ev.count(dev.autokey.core.protocol.ProtocolEvent.Type.KEY_LIST_REGENERATED);
    net.runFor(2 * LIST_LIFETIME + 64);
    long samples = c.samples() - samplesBefore;
    long lists = ev.count(dev.autokey.core.protocol.ProtocolEvent.Type.KEY_LIST_REGENERATED)
        - listsBefore;
    long polls = (2 * LIST_LIFETIME + 64) / 16;
    // lossy link: each poll survives two 10 % losses with probability 0.81
    long want = loss == 0 ? polls - 1 : (long) (polls * 0.6);
    assertTrue(samples >= want, scheme + ": " + samples + " samples, want >= " + want);
    assertTrue(lists >= 2, "key lists regenerated " + lists);
    assertEquals(0, c.count(Verdict.Kind.REJECTED), "rejections: " + c.lastVerdict());
    assertTrue(a.allFlags());
  }

  @AfterAll
  static void table() {
    System.out.println("| combination | virtual s to all flags |");
    SECONDS_TO_ALL_FLAGS.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
  }
}
