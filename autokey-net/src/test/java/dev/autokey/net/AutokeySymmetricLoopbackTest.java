package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Symmetric Autokey (both peers active) between two Java hosts over UDP on loopback. Waits are
 * for events with a generous deadline; offsets are checked against half the round trip (both
 * peers read the same clock), not against a fixed number of milliseconds.
 */
class AutokeySymmetricLoopbackTest {
  static final long DEADLINE_SECONDS = 120;

  @Test
  void bothPeersReachAllFlagsAndTakeAuthenticatedSamples() throws Exception {
    NtpClock clock = NtpClock.system();
    long nowSec = clock.now() >>> 32;
    SecureRandom r = new SecureRandom();
    // both peers must be trusted hosts (docs/protocol.md §11.5)
    AutokeyHost ha = AutokeyHost.create(AutokeyConfig.defaults(),
        EphemeralHosts.trusted("alpha", nowSec - 100, r).tcSuite(r), r, e -> { });
    AutokeyHost hb = AutokeyHost.create(AutokeyConfig.defaults(),
        EphemeralHosts.trusted("beta", nowSec - 100, r).tcSuite(r), r, e -> { });
    ha.setSynchronised(true, clock.now());
    hb.setSynchronised(true, clock.now());
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    List<Verdict> va = new CopyOnWriteArrayList<>();
    List<Verdict> vb = new CopyOnWriteArrayList<>();
    BlockingQueue<TimeSample> sa = new LinkedBlockingQueue<>();
    BlockingQueue<TimeSample> sb = new LinkedBlockingQueue<>();
    try (NtpNode a = NtpNode.builder().bind(new InetSocketAddress(lo, 0))
            .timeSource(TimeSource.localClock(clock, 3)).build();
        NtpNode b = NtpNode.builder().bind(new InetSocketAddress(lo, 0))
            .timeSource(TimeSource.localClock(clock, 3)).build()) {
      InetSocketAddress aa = a.transport().localAddresses().get(0);
      InetSocketAddress ba = b.transport().localAddresses().get(0);
      SymmetricPeer pa = ha.symmetricActive(aa.getAddress(), ba.getAddress(), Optional.empty());
      SymmetricPeer pb = hb.symmetricActive(ba.getAddress(), aa.getAddress(), Optional.empty());
      AutokeyTimers ta = AutokeyTimers.start(a.transport(), clock, ha);
      AutokeyTimers tb = AutokeyTimers.start(b.transport(), clock, hb);
      long t0 = System.nanoTime();
      a.peer(ba, AssociationOptions.builder().interval(Duration.ofMillis(100))
          .authenticator(new AutokeyAuthenticator(pa, ta, va::add))
          .listener(sa::add).build());
      b.peer(aa, AssociationOptions.builder().interval(Duration.ofMillis(130))
          .authenticator(new AutokeyAuthenticator(pb, tb, vb::add))
          .listener(sb::add).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
      while (!(pa.association().allFlags() && pb.association().allFlags())
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      assertTrue(pa.association().allFlags(), "alpha: " + pa + " " + va);
      assertTrue(pb.association().allFlags(), "beta: " + pb + " " + vb);
      System.out.printf("[net] symmetric: both peers all flags after %.2f s (0x%08x, 0x%08x)%n",
          secs, pa.association().flags(), pb.association().flags());
      sa.clear();
      sb.clear();
      for (int i = 0; i < 4; i++) {
        TimeSample x = sa.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        TimeSample y = sb.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(x, "alpha sample " + i);
        assertNotNull(y, "beta sample " + i);
        assertTrue(x.authenticated() && y.authenticated());
        assertEquals(1, x.mode());
        NtpNodeTest.assertOffsetWithinHalfDelay(x, 0);
        NtpNodeTest.assertOffsetWithinHalfDelay(y, 0);
      }
      assertEquals(0, va.stream().filter(v -> v.kind() == Verdict.Kind.REJECTED).count(),
          va.toString());
      assertEquals(0, vb.stream().filter(v -> v.kind() == Verdict.Kind.REJECTED).count(),
          vb.toString());
    }
  }
}
