package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptostatsFormatter;
import dev.autokey.core.protocol.ProtocolEvent;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Autokey engine on real UDP sockets: Java client and Java server on loopback. Waits are for
 * events with a generous deadline; offsets are checked against half the round trip (both ends
 * read the same clock), not against a fixed number of milliseconds.
 */
class AutokeyLoopbackTest {
  static final long DEADLINE_SECONDS = 120;

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1"})
  void tcClientReachesAllFlagsOverUdpAndTakesAuthenticatedSamples(String host) throws Exception {
    NtpClock clock = NtpClock.system();
    long nowSec = clock.now() >>> 32;
    SecureRandom r = new SecureRandom();
    List<String> log = new CopyOnWriteArrayList<>();
    EphemeralHosts.Host srv = EphemeralHosts.trusted("server", nowSec - 100, r);
    EphemeralHosts.Host cli = EphemeralHosts.ordinary("client", nowSec - 100, r);
    AutokeyHost sh = AutokeyHost.create(AutokeyConfig.defaults(), srv.tcSuite(r), r,
        e -> log.add("server " + CryptostatsFormatter.format(e)));
    List<ProtocolEvent> clientEvents = new CopyOnWriteArrayList<>();
    AutokeyHost ch = AutokeyHost.create(AutokeyConfig.defaults(), cli.tcSuite(r), r, e -> {
      clientEvents.add(e);
      log.add("client " + CryptostatsFormatter.format(e));
    });
    sh.setSynchronised(true, clock.now());
    InetAddress lo = InetAddress.getByName(host);
    BlockingQueue<TimeSample> samples = new LinkedBlockingQueue<>();
    List<Verdict> verdicts = new CopyOnWriteArrayList<>();
    try (NtpNode server = NtpNode.builder().bind(new InetSocketAddress(lo, 0))
            .timeSource(TimeSource.localClock(clock, 2))
            .serve(new AutokeyResponderAuthenticator(sh.responder(), clock)).build();
        NtpNode client = NtpNode.builder().bind(new InetSocketAddress(lo, 0)).build()) {
      InetSocketAddress sa = server.transport().localAddresses().get(0);
      InetSocketAddress ca = client.transport().localAddresses().get(0);
      Association a = ch.client(ca.getAddress(), sa.getAddress(), Optional.empty());
      AutokeyTimers timers = AutokeyTimers.start(client.transport(), clock, ch);
      AutokeyTimers.start(server.transport(), clock, sh);
      long t0 = System.nanoTime();
      client.client(sa, AssociationOptions.builder().poll(3).interval(Duration.ofMillis(100))
          .authenticator(new AutokeyAuthenticator(a, timers, verdicts::add))
          .listener(s -> {
            if (!ch.isSynchronised()) {
              ch.setSynchronised(true, clock.now());
            }
            samples.add(s);
          }).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
      while (!a.allFlags() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      log.forEach(System.out::println);
      assertTrue(a.allFlags(), "all flags: " + a + " " + verdicts);
      System.out.printf("[net] %s: all flags after %.2f s, flags 0x%08x%n", host, secs,
          a.flags());
      for (int i = 0; i < 4; i++) {
        TimeSample s = samples.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(s, "authenticated sample " + i);
        assertTrue(s.authenticated());
        NtpNodeTest.assertOffsetWithinHalfDelay(s, 0);
      }
      assertEquals(0, verdicts.stream().filter(v -> v.kind() == Verdict.Kind.REJECTED).count(),
          verdicts.toString());
    }
  }
}
