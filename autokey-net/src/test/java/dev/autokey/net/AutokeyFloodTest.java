package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.crypto.suite.EphemeralHosts;
import dev.autokey.testing.Gen;
import dev.autokey.testing.Pcap;
import dev.autokey.testing.TestData;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A flood of crafted requests at the Java Autokey server over real UDP while a well-behaved
 * Autokey client keeps polling it: no crash, no handler error, time service continues. The flood
 * is not timed: it sends at least {@value #MIN_FLOOD} datagrams and goes on until the good client
 * has all flags and {@value #MIN_SAMPLES} authenticated samples, however slow the machine
 * (deadline {@value #DEADLINE_SECONDS} s); nothing is asserted about rates.
 */
class AutokeyFloodTest {
  static final int MIN_FLOOD = 60_000;
  static final int MIN_SAMPLES = 10;
  static final long DEADLINE_SECONDS = 300;

  @Test
  void timeServiceContinuesUnderAFloodOfCraftedRequests() throws Exception {
    NtpClock clock = NtpClock.system();
    long nowSec = clock.now() >>> 32;
    SecureRandom r = new SecureRandom();
    AutokeyHost sh = AutokeyHost.create(AutokeyConfig.defaults(),
        EphemeralHosts.trusted("server", nowSec - 100, r).tcSuite(r), r, e -> { });
    AutokeyHost ch = AutokeyHost.create(AutokeyConfig.defaults(),
        EphemeralHosts.ordinary("client", nowSec - 100, r).tcSuite(r), r, e -> { });
    sh.setSynchronised(true, clock.now());
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    // seeds: every client request of the captured ntpd runs (all opcodes, plain MAC'd packets)
    List<byte[]> seeds = new ArrayList<>();
    for (String run : List.of("tc-client", "iff-client", "gq-client", "mv-client")) {
      for (Pcap.Udp u : Pcap.readUdp(TestData.path("captures/" + run + "/capture.pcap"), 123)) {
        if (u.payload().length >= 48 && (u.payload()[0] & 7) == 3) {
          seeds.add(u.payload());
        }
      }
    }
    assertTrue(seeds.size() > 20, "seeds " + seeds.size());
    AutokeyResponderAuthenticator auth =
        new AutokeyResponderAuthenticator(sh.responder(), clock);
    List<Verdict> verdicts = new CopyOnWriteArrayList<>();
    AtomicLong samples = new AtomicLong();
    try (NtpNode server = NtpNode.builder().bind(new InetSocketAddress(lo, 0))
            .timeSource(TimeSource.localClock(clock, 2)).serve(auth).build();
        NtpNode client = NtpNode.builder().bind(new InetSocketAddress(lo, 0)).build();
        DatagramChannel flood = DatagramChannel.open()) {
      flood.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.9"), 0));
      InetSocketAddress sa = server.transport().localAddresses().get(0);
      InetSocketAddress ca = client.transport().localAddresses().get(0);
      Association a = ch.client(ca.getAddress(), sa.getAddress(), Optional.empty());
      AutokeyTimers timers = AutokeyTimers.start(client.transport(), clock, ch);
      client.client(sa, AssociationOptions.builder().interval(Duration.ofMillis(50))
          .authenticator(new AutokeyAuthenticator(a, timers, verdicts::add))
          .listener(s -> {
            if (!ch.isSynchronised()) {
              ch.setSynchronised(true, clock.now());
            }
            samples.incrementAndGet();
          }).build());
      Gen g = new Gen(20261201L);
      long heapBefore = usedHeap();
      int sent = 0;
      long t0 = System.nanoTime();
      while (sent < MIN_FLOOD || !(a.allFlags() && samples.get() >= MIN_SAMPLES)) {
        if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS)) {
          throw new AssertionError("good client under the flood after " + DEADLINE_SECONDS
              + " s and " + sent + " datagrams: " + a + ", " + samples + " samples, "
              + verdicts.size() + " verdicts");
        }
        byte[] p = g.chance(0.1) ? g.bytes(0, 2200) : g.mutate(g.pick(seeds));
        if (p.length > UdpTransport.MAX_DATAGRAM + 100) {
          p = java.util.Arrays.copyOf(p, UdpTransport.MAX_DATAGRAM + 100);
        }
        flood.send(ByteBuffer.wrap(p), sa);
        sent++;
        if ((sent & 63) == 0) {
          Thread.sleep(1); // keep the flood well above the client's rate without starving the box
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      long heapAfter = usedHeap();
      UdpTransport.Stats st = server.transport().stats();
      System.out.printf("[net] flood: %d crafted datagrams in %.1f s (%.0f/s); server read %d, "
          + "answered %s; good client: all flags %s, %d authenticated samples during the flood; "
          + "heap %d -> %d MB%n", sent, secs, sent / secs, st.received(), auth.stats(),
          a.allFlags(), samples.get(), heapBefore >> 20, heapAfter >> 20);
      assertEquals(0, st.handlerErrors(), "handler errors");
      assertEquals(0, verdicts.stream().filter(v -> v.kind() == Verdict.Kind.REJECTED).count(),
          "the good client never saw a bad reply");
      assertTrue(heapAfter - heapBefore < 256L << 20, "heap grew by "
          + ((heapAfter - heapBefore) >> 20) + " MB");
    }
  }

  private static long usedHeap() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
