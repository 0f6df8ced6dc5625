package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A flood of unsolicited crafted datagrams at our client's socket over real UDP: one client
 * {@link NtpNode} runs an Autokey association to a fake server (which answers honestly but also
 * blasts crafted mode-4/5 packets, many with the right origin and key ID of the client's latest
 * request, at the client) and a second association to a well-behaved Java Autokey server;
 * further sockets on other loopback addresses/ports add mutations of captured ntpd replies and
 * random junk. The good association must reach all flags and keep taking authenticated samples
 * during the flood; the loop thread must see no exception; heap must stay flat. The flood is not
 * timed: it sends at least {@value #MIN_FLOOD} datagrams and goes on until the good association
 * has all flags and {@value #MIN_SAMPLES} authenticated samples taken during the flood, however
 * slow the machine (deadline {@value #DEADLINE_SECONDS} s); nothing is asserted about rates.
 */
class AutokeyClientFloodTest {
  static final int MIN_FLOOD = 60_000;
  static final int MIN_SAMPLES = 10;
  static final long DEADLINE_SECONDS = 300;

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1"})
  void goodAssociationKeepsItsTimeServiceUnderAFloodAtTheClient(String host) throws Exception {
    NtpClock clock = NtpClock.system();
    long nowSec = clock.now() >>> 32;
    SecureRandom r = new SecureRandom();
    EphemeralHosts.Host goodHost = EphemeralHosts.trusted("good", nowSec - 100, r);
    EphemeralHosts.Host fakeHost = EphemeralHosts.trusted("fake", nowSec - 100, r);
    EphemeralHosts.Host cli = EphemeralHosts.ordinary("client", nowSec - 100, r);
    AutokeyHost gh = AutokeyHost.create(AutokeyConfig.defaults(), goodHost.tcSuite(r), r, e -> { });
    AutokeyHost fh = AutokeyHost.create(AutokeyConfig.defaults(), fakeHost.tcSuite(r), r, e -> { });
    AutokeyHost ch = AutokeyHost.create(AutokeyConfig.defaults(), cli.tcSuite(r), r, e -> { });
    gh.setSynchronised(true, clock.now());
    fh.setSynchronised(true, clock.now());
    InetAddress lo = InetAddress.getByName(host);

    // seeds: every server reply (mode 4) and broadcast (mode 5) of the captured ntpd runs
    List<byte[]> seeds = new ArrayList<>();
    for (String run : List.of("tc-client", "iff-client", "gq-client", "mv-client",
        "tc-broadcast")) {
      for (Pcap.Udp u : Pcap.readUdp(TestData.path("captures/" + run + "/capture.pcap"), 123)) {
        int mode = u.payload().length >= 48 ? u.payload()[0] & 7 : -1;
        if (mode == 4 || mode == 5) {
          seeds.add(u.payload());
        }
      }
    }
    assertTrue(seeds.size() > 20, "seeds " + seeds.size());

    // the fake server remembers the origin and key ID of the client's latest request
    AtomicLong lastOrigin = new AtomicLong();
    AtomicLong lastKeyId = new AtomicLong();
    HostileServer.Hostility spy = x -> {
      lastOrigin.set(x.origin());
      lastKeyId.set(x.keyId());
      return null; // answers honestly; the flood comes on top
    };
    Map<String, AtomicLong> fakeVerdicts = new ConcurrentHashMap<>();
    List<Verdict> goodVerdicts = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicLong goodSamples = new AtomicLong();
    AtomicLong floodSamples = new AtomicLong();
    AtomicLong fakeSamples = new AtomicLong();
    AtomicLong forgedSamples = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean flooding =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (NtpNode server = NtpNode.builder().bind(new InetSocketAddress(lo, 0))
            .timeSource(TimeSource.localClock(clock, 2))
            .serve(new AutokeyResponderAuthenticator(gh.responder(), clock)).build();
        NtpNode client = NtpNode.builder().bind(new InetSocketAddress(lo, 0)).build();
        HostileServer hs = new HostileServer(lo, fh, spy)) {
      InetSocketAddress sa = server.transport().localAddresses().get(0);
      InetSocketAddress ca = client.transport().localAddresses().get(0);
      Association ga = ch.client(ca.getAddress(), sa.getAddress(), Optional.empty());
      Association fa = ch.client(ca.getAddress(), hs.address().getAddress(), Optional.empty());
      AutokeyTimers timers = AutokeyTimers.start(client.transport(), clock, ch);
      AutokeyTimers.start(server.transport(), clock, gh);
      List<DatagramChannel> others = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        DatagramChannel c = DatagramChannel.open();
        // other loopback addresses for IPv4 (127.0.0.0/8 is all loopback), other ports for ::1
        c.bind(new InetSocketAddress(host.equals("::1") ? lo
            : InetAddress.getByName("127.0.0." + (20 + i)), 0));
        others.add(c);
      }
      NtpAssociation good = client.client(sa, AssociationOptions.builder().poll(3)
          .interval(Duration.ofMillis(50))
          .authenticator(new AutokeyAuthenticator(ga, timers, goodVerdicts::add))
          .listener(s -> {
            if (!ch.isSynchronised()) {
              ch.setSynchronised(true, clock.now());
            }
            goodSamples.incrementAndGet();
            if (flooding.get()) {
              floodSamples.incrementAndGet();
            }
          }).build());
      NtpAssociation bad = client.client(hs.address(), AssociationOptions.builder().poll(3)
          .interval(Duration.ofMillis(50))
          .authenticator(new AutokeyAuthenticator(fa, timers, v -> fakeVerdicts
              .computeIfAbsent(v.kind() + " " + v.cause()
                  + (v.event() != dev.autokey.core.XEvent.OK ? " " + v.event().ntpdName() : ""),
                  k -> new AtomicLong()).incrementAndGet()))
          .listener(s -> {
            fakeSamples.incrementAndGet();
            if (!hs.isHonest(s.t3())) {
              forgedSamples.incrementAndGet();
            }
          }).build());

      Gen g = new Gen(20261202L);
      long heapBefore = usedHeap();
      long[] kinds = new long[5];
      String[] kindNames = {"capture mutations", "random junk", "forged mode 4 (right origin)",
          "forged mode 5", "crypto-NAKs"};
      int sent = 0;
      flooding.set(true);
      long t0 = System.nanoTime();
      while (sent < MIN_FLOOD || !(ga.allFlags() && floodSamples.get() >= MIN_SAMPLES)) {
        if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS)) {
          throw new AssertionError("good association under the flood after " + DEADLINE_SECONDS
              + " s and " + sent + " datagrams: " + ga + ", " + floodSamples + " samples, "
              + goodVerdicts.size() + " verdicts");
        }
        int kind = g.intBetween(0, 4);
        byte[] p;
        switch (kind) {
          case 0:
            p = g.mutate(g.pick(seeds));
            break;
          case 1:
            p = g.bytes(0, 2200);
            break;
          case 2:
          case 3:
            p = forged(g, g.pick(seeds), kind == 2 ? 4 : 5, lastOrigin.get(), lastKeyId.get());
            break;
          default:
            p = new byte[52];
            NtpHeader.builder().version(4).mode(4).stratum(2)
                .originTimestamp(g.chance(0.5) ? lastOrigin.get() : g.anyLong())
                .transmitTimestamp(g.anyLong()).build().writeTo(ByteBuffer.wrap(p));
            break;
        }
        if (p.length > 2200) {
          p = Arrays.copyOf(p, 2200);
        }
        kinds[kind]++;
        if (kind >= 2 || g.chance(0.5)) {
          hs.send(p, ca); // from the fake server's own address: reaches its association
        } else {
          others.get(g.intBetween(0, others.size() - 1)).send(ByteBuffer.wrap(p), ca);
        }
        sent++;
        if ((sent & 63) == 0) {
          Thread.sleep(1);
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      flooding.set(false);
      for (DatagramChannel c : others) {
        c.close();
      }
      hs.close();
      // the loop handles everything already read or queued, then stops: the counters are final
      client.close();
      long heapAfter = usedHeap();
      UdpTransport.Stats ts = client.transport().stats();
      NtpNode.Stats ns = client.stats();
      NtpAssociation.Stats bs = bad.stats();
      NtpAssociation.Stats gs = good.stats();
      StringBuilder mix = new StringBuilder();
      for (int i = 0; i < kinds.length; i++) {
        mix.append(i == 0 ? "" : ", ").append(kinds[i]).append(' ').append(kindNames[i]);
      }
      System.out.printf("[net] client flood %s: %d crafted datagrams in %.2f s (%.0f/s: %s); "
          + "client socket read %d (oversized %d), node: too short %d, bad version %d, "
          + "unmatched %d; fake-server association: received %d, bogus origin %d, duplicates "
          + "%d, to the engine %d, verdicts %s, samples %d (all from its honest replies); good association: all flags %s "
          + "(0x%08x), %d authenticated samples during the flood (%d in all), %d rejected; "
          + "handler errors %d; heap %d -> %d KiB%n",
          host, sent, secs, sent / secs, mix, ts.received(), ts.oversized(), ns.tooShort(),
          ns.badVersion(), ns.unmatched(), bs.received(), bs.bogus(), bs.duplicates(),
          bs.received() - bs.bogus() - bs.duplicates(), new TreeMap<>(fakeVerdicts),
          fakeSamples.get(), ga.allFlags(), ga.flags(), floodSamples.get(), goodSamples.get(),
          gs.rejected(), ts.handlerErrors(), heapBefore >> 10, heapAfter >> 10);
      assertEquals(0, ts.handlerErrors(), "handler errors on the client's loop thread");
      assertTrue(hs.errors.isEmpty(), "fake server errors " + hs.errors);
      assertEquals(0, goodVerdicts.stream().filter(v -> v.kind() == Verdict.Kind.REJECTED)
          .count(), "the good association never saw a bad packet");
      assertEquals(0, forgedSamples.get(), "no forged packet became a time sample (the fake "
          + "server's own honest replies may: " + fakeSamples + ")");
      assertTrue(ts.received() + ts.oversized() > gs.received(), "the client read the flood: "
          + ts);
      assertTrue(heapAfter - heapBefore < 32L << 20, "heap grew by "
          + ((heapAfter - heapBefore) >> 10) + " KiB");
    }
  }

  /**
   * A mode-4 or mode-5 packet with valid-looking fields: version 4, stratum 2, the client's
   * latest origin, the captured packet's extension fields (if any) and a MAC with the client's
   * key ID and a random digest.
   */
  static byte[] forged(Gen g, byte[] seed, int mode, long origin, long keyId) {
    int efEnd = Math.max(48, seed.length - 20);
    byte[] p = Arrays.copyOf(seed, efEnd + 20);
    ByteBuffer b = ByteBuffer.wrap(p);
    NtpHeader.builder().leap(0).version(4).mode(mode).stratum(2).poll(3).precision(-20)
        .referenceId(0x4C4F434CL).referenceTimestamp(g.anyLong()).originTimestamp(origin)
        .receiveTimestamp(g.anyLong()).transmitTimestamp(g.anyLong()).build().writeTo(b);
    b.putInt(efEnd, (int) (g.chance(0.8) ? keyId : g.u32()));
    byte[] digest = g.bytes(16);
    System.arraycopy(digest, 0, p, efEnd + 4, 16);
    return p;
  }

  private static long usedHeap() throws InterruptedException {
    System.gc();
    Thread.sleep(50);
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
