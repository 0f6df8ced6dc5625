package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.Await;
import dev.autokey.core.XEvent;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.crypto.suite.EphemeralHosts;
import dev.autokey.net.HostileServer.Exchange;
import dev.autokey.net.HostileServer.Step;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Smoke test of a malicious Autokey server on real UDP sockets against our client ({@link
 * NtpNode} + {@link AutokeyAuthenticator} over the engine's {@link Association}), on 127.0.0.1
 * and ::1. The full list of crafted replies is judged on the engine, deterministically, by {@code
 * dev.autokey.crypto.suite.BadServerEngineTest}; here a few of them check that the same verdicts
 * come out of the real stack, and that the NTP layer drops what only it can drop (bad version,
 * unmatched socket, oversized datagram, bogus origin).
 *
 * <p>Nothing here depends on timing. The client's poll interval is a day, so it sends only the
 * request the test asks for ({@link NtpAssociation#pollNow()}); the fake server answers exactly
 * the request it received; the test sends the next request only after every datagram of the
 * previous answer has been read and handled by the client's loop thread (transport counters,
 * then a task on that thread). Every wait is for an event, with a generous deadline; no assertion
 * needs a packet to arrive within a time window.
 */
class AutokeyBadServerTest {
  /** Deadline of each wait for an event (a loaded machine is slow, not stuck). */
  static final long DEADLINE_SECONDS = 120;
  /** Requests allowed to reach the attacked step, and again to recover after it. */
  static final int MAX_POLLS = 30;
  static final long NOW = NtpClock.system().now() >>> 32;
  static final long FS = NOW - 1000;
  static final SecureRandom RNG = new SecureRandom();
  static final EphemeralHosts.Host SRV = EphemeralHosts.trusted("server", FS, RNG);
  static final EphemeralHosts.Host CLI = EphemeralHosts.ordinary("client", FS, RNG);
  /** Per-case results for the summary printed at the end. */
  static final Map<String, String> RESULTS = new TreeMap<>();

  // ================================================================ expectations

  /**
   * One expected outcome: a verdict (kind, cause, event) for every crafted datagram, with the
   * association's flags unchanged; or a drop by the NTP layer / transport read from a counter.
   */
  record Expect(Verdict.Kind kind, Verdict.Cause cause, XEvent event, String counterName,
      ToLongFunction<Rig> counter) {
    static Expect rejected(Verdict.Cause cause, XEvent e) {
      return new Expect(Verdict.Kind.REJECTED, cause, e, null, null);
    }

    /** Never reaches the engine: dropped by the NTP layer or the transport. */
    static Expect dropped(String name, ToLongFunction<Rig> counter) {
      return new Expect(null, null, null, name, counter);
    }

    boolean byVerdict() {
      return counter == null;
    }

    @Override
    public String toString() {
      return byVerdict() ? kind + " " + cause + (event != XEvent.OK ? " " + event.ntpdName() : "")
          : "dropped (" + counterName + ")";
    }
  }

  /** The hostile part of a case: crafted datagrams for one exchange. */
  @FunctionalInterface
  interface Attack {
    List<byte[]> craft(Rig rig, Exchange x) throws Exception;
  }

  /**
   * One crafted reply.
   *
   * @param id the test-list entry or a short tag
   * @param title what is sent
   * @param step the request the attack answers
   * @param times how many such requests are answered with crafted datagrams
   * @param attack the crafting
   * @param expect the expected outcome per crafted datagram
   */
  record Case(String id, String title, Step step, int times, Attack attack, Expect expect) {
    @Override
    public String toString() {
      return id + " " + title;
    }
  }

  static Case c(String id, String title, Step step, Attack a, Expect e) {
    return new Case(id, title, step, 2, a, e);
  }

  // ================================================================ the rig

  /** One client against one hostile server. */
  static final class Rig {
    HostileServer hostile;
    NtpNode node;
    AutokeyTimers timers;
    NtpAssociation ntp;
    Association a;
    DatagramChannel third;
    final AtomicLong thirdSent = new AtomicLong();
    final List<Observation> observations = new CopyOnWriteArrayList<>();
    final AtomicLong samples = new AtomicLong();
    final AtomicLong lieSamples = new AtomicLong();
    final AtomicLong samplesAfterAttack = new AtomicLong();
    volatile boolean attackOver;
    volatile byte[] firstCert;

    InetSocketAddress clientAddress() {
      return node.transport().localAddresses().get(0);
    }
  }

  /** One crafted datagram as the engine judged it. */
  record Observation(long flagsBefore, Verdict verdict, long flagsAfter) {}

  /** Wraps the engine adapter to see each crafted datagram's verdict next to the flags. */
  static final class Recording implements PacketAuthenticator {
    final Rig rig;
    final AutokeyAuthenticator inner;

    Recording(Rig rig) {
      this.rig = rig;
      this.inner = new AutokeyAuthenticator(rig.a, rig.timers);
    }

    @Override
    public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
      return inner.seal(packet, local, remote);
    }

    @Override
    public Verdict open(Datagram d) {
      long before = rig.a.flags();
      Verdict r = inner.open(d);
      long xmt = ByteBuffer.wrap(d.copyPayload(), 40, 8).getLong();
      if (rig.hostile.isHostile(xmt)) {
        rig.observations.add(new Observation(before, r, rig.a.flags()));
      }
      return r;
    }
  }

  /** A crypto-NAK (header + 4 zero bytes) with the given origin. */
  static byte[] nak(Exchange x, long origin) throws Exception {
    NtpHeader h = x.header();
    byte[] d = new byte[NtpHeader.LENGTH + 4];
    NtpHeader.builder().leap(h.leap()).version(h.version()).mode(NtpHeader.MODE_SERVER)
        .stratum(h.stratum()).poll(h.poll()).precision(h.precision())
        .originTimestamp(origin).receiveTimestamp(h.receiveTimestamp())
        .transmitTimestamp(h.transmitTimestamp()).build().writeTo(ByteBuffer.wrap(d));
    return d;
  }

  // ================================================================ the cases

  static List<Case> cases() {
    List<Case> l = new ArrayList<>();
    // verdicts through the whole stack: a plain reply and a reply with a field (cookie-0 MAC)
    l.add(c("T34", "plain reply, right origin, wrong MAC", Step.PLAIN, (rig, x) -> {
      byte[] d = x.honest();
      d[d.length - 1] ^= 1;
      return List.of(d);
    }, Expect.rejected(Verdict.Cause.BAD_MAC, XEvent.OK)));
    l.add(c("T17", "COOK response: well-formed ciphertext, bad signature", Step.COOK,
        (rig, x) -> List.of(x.forge(f -> {
          byte[] s = f.signature();
          s[0] ^= 0x40;
          return f.withSignature(s);
        })), Expect.rejected(Verdict.Cause.PROTOCOL, XEvent.SIG)));
    // drops only the NTP layer makes
    l.add(c("T28", "whole earlier reply (the CERT answer) replayed", Step.PLAIN, (rig, x) -> {
      byte[] old = rig.firstCert;
      rig.hostile.markHostile(ByteBuffer.wrap(old, 40, 8).getLong());
      return List.of(old, x.honest());
    }, Expect.dropped("bogus origin", r -> r.ntp.stats().bogus())));
    l.add(c("VER", "reply with NTP version 0", Step.PLAIN, (rig, x) -> {
      byte[] d = x.honest();
      d[0] = (byte) (d[0] & 0xC7);
      return List.of(d);
    }, Expect.dropped("bad version", r -> r.node.stats().badVersion())));
    l.add(c("T31", "crypto-NAK (right origin) from a socket with no association", Step.PLAIN,
        (rig, x) -> {
          rig.third.send(ByteBuffer.wrap(nak(x, x.origin())), rig.clientAddress());
          rig.thirdSent.incrementAndGet();
          return List.of(x.honest());
        }, Expect.dropped("unmatched", r -> r.node.stats().unmatched())));
    l.add(c("T39", "reply of 2,200 bytes (right origin)", Step.PLAIN,
        (rig, x) -> List.of(x.remac(Arrays.copyOf(x.honest(), 2200), x.keyId())),
        Expect.dropped("oversized", r -> r.node.transport().stats().oversized())));
    return l;
  }

  static Stream<Arguments> all() {
    List<Arguments> out = new ArrayList<>();
    for (String host : List.of("127.0.0.1", "::1")) {
      for (Case k : cases()) {
        out.add(Arguments.of(host, k));
      }
    }
    return out.stream();
  }

  // ================================================================ the test

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("all")
  void maliciousServer(String host, Case k) throws Exception {
    InetAddress lo = InetAddress.getByName(host);
    Rig rig = new Rig();
    NtpClock clock = NtpClock.system();
    SecureRandom r = new SecureRandom();
    AutokeyHost server = AutokeyHost.create(AutokeyConfig.defaults(), SRV.tcSuite(r), r,
        e -> { });
    server.setSynchronised(true, clock.now());
    server.setLeapValues(37, 3692217600L, 3912710400L, clock.now());
    AutokeyHost client = AutokeyHost.create(AutokeyConfig.defaults(), CLI.tcSuite(r), r,
        e -> { });
    int[] fired = new int[1];
    HostileServer.Hostility hostility = x -> {
      if (x.step == Step.CERT && rig.firstCert == null) {
        rig.firstCert = x.honest();
      }
      if (x.step == k.step() && fired[0] < k.times()) {
        fired[0]++;
        List<byte[]> out = k.attack().craft(rig, x);
        rig.attackOver = fired[0] >= k.times();
        return out;
      }
      return null;
    };
    long t0 = System.nanoTime();
    try (HostileServer hs = new HostileServer(lo, server, hostility);
        DatagramChannel third = DatagramChannel.open()) {
      third.bind(new InetSocketAddress(lo, 0));
      rig.third = third;
      rig.hostile = hs;
      rig.node = NtpNode.builder().bind(new InetSocketAddress(lo, 0)).build();
      int polls = 0;
      int attackPolls = -1;
      try {
        InetSocketAddress ca = rig.clientAddress();
        rig.a = client.client(ca.getAddress(), hs.address().getAddress(),
            java.util.Optional.empty());
        rig.timers = AutokeyTimers.start(rig.node.transport(), clock, client);
        // a day between scheduled polls: the only requests are the first and those of pollNow()
        rig.ntp = rig.node.client(hs.address(), AssociationOptions.builder().poll(3)
            .interval(Duration.ofDays(1)).authenticator(new Recording(rig))
            .listener(s -> {
              if (!client.isSynchronised()) {
                client.setSynchronised(true, clock.now());
              }
              rig.samples.incrementAndGet();
              if (hs.isHostile(s.t3())) {
                rig.lieSamples.incrementAndGet();
              }
              if (rig.attackOver) {
                rig.samplesAfterAttack.incrementAndGet();
              }
            }).build());
        while (true) {
          polls++;
          // the request went out, was answered, and the client handled every datagram sent
          int n = polls;
          await(() -> rig.ntp.stats().sent() >= n, () -> "request " + n + " sent");
          await(() -> hs.answered() >= n, () -> "request " + n + " answered");
          long toClient = hs.datagramsSent() + rig.thirdSent.get();
          UdpTransport t = rig.node.transport();
          await(() -> t.stats().received() + t.stats().oversized() >= toClient,
              () -> toClient + " datagrams read: " + t.stats());
          onLoop(rig.node);
          if (rig.attackOver && attackPolls < 0) {
            attackPolls = polls;
          }
          if (rig.attackOver && rig.a.allFlags() && rig.samplesAfterAttack.get() >= 1) {
            break;
          }
          assertTrue(attackPolls < 0 ? polls < MAX_POLLS : polls - attackPolls < MAX_POLLS,
              k + " [" + host + "] attacked " + fired[0] + " times, " + polls + " polls: "
                  + rig.a);
          rig.ntp.pollNow();
        }
        judge(rig, k, host, polls - attackPolls, (System.nanoTime() - t0) / 1e9);
      } finally {
        rig.node.close();
      }
      assertTrue(hs.errors.isEmpty(), "fake server errors: " + hs.errors);
    }
  }

  private static void judge(Rig rig, Case k, String host, int recoveryPolls, double secs) {
    Expect e = k.expect();
    UdpTransport.Stats ts = rig.node.transport().stats();
    String where = k + " [" + host + "] " + rig.a + " observations " + rig.observations;
    assertEquals(0, ts.handlerErrors(), "loop-thread handler errors: " + where);
    assertEquals(0, rig.lieSamples.get(), "a crafted packet became a time sample: " + where);
    String seen;
    if (e.byVerdict()) {
      assertEquals(k.times(), rig.observations.size(), "crafted datagrams judged: " + where);
      for (Observation o : rig.observations) {
        Verdict v = o.verdict();
        assertEquals(e.kind(), v.kind(), "kind: " + v + " / " + where);
        assertEquals(e.cause(), v.cause(), "cause: " + v + " / " + where);
        assertEquals(e.event(), v.event(), "XEVNT: " + v + " / " + where);
        assertFalse(v.restarted(), "restart: " + v + " / " + where);
        assertEquals(o.flagsBefore(), o.flagsAfter(), "flags changed on a lie: " + v);
      }
      seen = rig.observations.size() + "x " + e;
    } else {
      long n = e.counter().applyAsLong(rig);
      assertEquals(k.times(), n, e.counterName() + ": " + where);
      assertTrue(rig.observations.isEmpty(), "a crafted packet reached the engine: " + where);
      seen = e.counterName() + " +" + n;
    }
    assertTrue(rig.a.allFlags(), "recovered all flags: " + where);
    String line = String.format(Locale.ROOT, "%-4s %-9s %-60s -> %s; recovered 0x%08x in %d "
        + "polls; %.2f s", k.id(), host, k.title(), seen, rig.a.flags(), recoveryPolls, secs);
    System.out.println("[badserver-udp] " + line);
    synchronized (RESULTS) {
      RESULTS.put(k.id() + " " + k.title() + " " + host, line);
    }
  }

  /** Returns once the node's loop thread has finished what it was doing when called. */
  static void onLoop(NtpNode node) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    node.transport().execute(() -> done.complete(null));
    done.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  static void await(BooleanSupplier c, Supplier<String> what) throws InterruptedException {
    Await.until(c, DEADLINE_SECONDS, what);
  }

  @AfterAll
  static void summary() {
    System.out.println("[badserver-udp] " + RESULTS.size() + " cases passed");
  }
}
