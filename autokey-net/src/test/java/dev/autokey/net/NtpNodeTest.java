package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.Await;
import dev.autokey.core.XEvent;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NTP layer on loopback sockets. Nothing waits for a fixed time: every wait is for a sample
 * or a counter with a generous deadline ({@value #DEADLINE_SECONDS} s; a loaded machine is slow,
 * not stuck), and the offsets are checked against the bounds RFC 5905 guarantees whatever the
 * delays (half the round trip), never against a fixed number of milliseconds.
 */
class NtpNodeTest {
  private static final long MS = 1_000_000L;
  private static final Duration FAST = Duration.ofMillis(50);
  /** Deadline of every wait for an event. */
  static final long DEADLINE_SECONDS = 60;

  private static InetSocketAddress any(String host) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(host), 0);
  }

  /** A fake authenticator: appends a 24-byte trailer naming the addresses, checks it back. */
  static final class AddressMac implements PacketAuthenticator, ServerAuthenticator {
    final List<String> sealed = new CopyOnWriteArrayList<>();
    final List<String> opened = new CopyOnWriteArrayList<>();

    static int tag(InetSocketAddress src, InetSocketAddress dst) {
      return (src.getAddress().hashCode() * 31 + dst.getAddress().hashCode()) * 31
          + src.getPort() * 7 + dst.getPort();
    }

    @Override
    public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
      assertEquals(48, packet.position());
      packet.putInt(0x10000).putInt(tag(local, remote)).put(new byte[16]);
      sealed.add(local + ">" + remote);
      return true;
    }

    @Override
    public Verdict open(Datagram d) {
      opened.add(d.source() + ">" + d.local());
      if (d.length() != 72) {
        return rejected(Verdict.Cause.MALFORMED, XEvent.LEN, "length " + d.length());
      }
      int tag = d.payload().getInt(52);
      return tag == tag(d.source(), d.local())
          ? new Verdict(Verdict.Kind.ACCEPTED, Verdict.Cause.OK, XEvent.OK, false, 0, 0x10000,
              "tag")
          : rejected(Verdict.Cause.BAD_MAC, XEvent.SIG, "bad tag");
    }

    static Verdict rejected(Verdict.Cause cause, XEvent event, String detail) {
      return new Verdict(Verdict.Kind.REJECTED, cause, event, false, 0, 0, detail);
    }

    @Override
    public boolean respond(Datagram request, ByteBuffer reply) {
      if (!open(request).usableForTime()) {
        reply.putInt(0); // crypto-NAK
        return true;
      }
      return seal(reply, request.local(), request.source());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1"})
  void clientMeasuresTheServersOffset(String host) throws Exception {
    long ahead = 5_000 * MS;
    NtpClock serverClock = NtpClock.system().shifted(ahead);
    AddressMac auth = new AddressMac();
    BlockingQueue<TimeSample> samples = new LinkedBlockingQueue<>();
    try (NtpNode server = NtpNode.builder().bind(any(host)).clock(serverClock)
            .timeSource(TimeSource.localClock(serverClock, 2)).serve(auth).build();
        NtpNode client = NtpNode.builder().bind(any(host)).build()) {
      InetSocketAddress srv = server.transport().localAddresses().get(0);
      NtpAssociation a = client.client(srv, AssociationOptions.builder().authenticator(auth)
          .interval(FAST).listener(samples::add).build());
      for (int i = 0; i < 5; i++) {
        TimeSample s = samples.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(s, "sample " + i);
        assertOffsetWithinHalfDelay(s, ahead);
        assertTrue(s.delayNanos() >= -MS, "delay " + s.delaySeconds());
        assertEquals(4, s.mode());
        assertEquals(2, s.stratum());
        assertEquals(0, s.leap());
        assertEquals(ServerStatus.ascii("LOCL"), s.referenceId());
        assertEquals(srv, s.source());
        assertEquals(a.local(), s.local());
        assertTrue(s.authenticated());
        assertTrue(s.t1() < s.t4());
      }
      assertEquals(0xFF & a.reach() & 1, 1);
      // the session-key addresses: request (client, server), reply (server, client)
      String req = a.local() + ">" + srv;
      String rep = srv + ">" + a.local();
      assertTrue(auth.sealed.contains(req) && auth.sealed.contains(rep), auth.sealed.toString());
      assertTrue(auth.opened.contains(a.local() + ">" + srv), auth.opened.toString());
      assertTrue(auth.opened.contains(rep), auth.opened.toString());
      assertEquals(0, a.stats().rejected());
    }
  }

  /** A hand-driven peer: we read the request and answer whatever we like. */
  private static final class FakeServer implements AutoCloseable {
    final DatagramChannel ch;

    FakeServer() throws Exception {
      ch = DatagramChannel.open(StandardProtocolFamily.INET);
      ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      ch.configureBlocking(false);
      selector = Selector.open();
      ch.register(selector, SelectionKey.OP_READ);
    }

    final Selector selector;

    InetSocketAddress address() throws Exception {
      return (InetSocketAddress) ch.getLocalAddress();
    }

    /** Receives one request (waiting at most the deadline); returns (header, client address). */
    Object[] take() throws Exception {
      ByteBuffer b = ByteBuffer.allocate(UdpTransport.MAX_DATAGRAM);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
      InetSocketAddress from;
      while ((from = (InetSocketAddress) ch.receive(b)) == null) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        assertTrue(left > 0, "no request within " + DEADLINE_SECONDS + " s");
        selector.select(left);
        selector.selectedKeys().clear();
      }
      byte[] h = new byte[48];
      b.flip().get(h);
      return new Object[] {NtpHeader.of(h), from};
    }

    void send(NtpHeader.Builder reply, InetSocketAddress to) throws Exception {
      ByteBuffer b = ByteBuffer.allocate(48);
      reply.writeTo(b);
      ch.send(b.flip(), to);
    }

    @Override
    public void close() throws Exception {
      selector.close();
      ch.close();
    }
  }

  private static NtpHeader.Builder goodReply(NtpHeader req, NtpClock clock) {
    long now = clock.now();
    return NtpHeader.builder().mode(4).stratum(3).poll(req.poll()).precision(-20)
        .referenceId(0x0a000001L).referenceTimestamp(now - (1L << 32))
        .originTimestamp(req.transmitTimestamp()).receiveTimestamp(now).transmitTimestamp(now);
  }

  @Test
  void clientDiscardsBogusDuplicateUnsynchronisedAndKissReplies() throws Exception {
    NtpClock clock = NtpClock.system();
    BlockingQueue<TimeSample> samples = new LinkedBlockingQueue<>();
    try (FakeServer fake = new FakeServer();
        NtpNode client = NtpNode.builder().bind(any("127.0.0.1")).build()) {
      // an hour between scheduled polls: the only requests are the first and pollNow()'s
      NtpAssociation a = client.client(fake.address(), AssociationOptions.builder()
          .interval(Duration.ofHours(1)).listener(samples::add).build());
      Object[] r = fake.take();
      NtpHeader req = (NtpHeader) r[0];
      InetSocketAddress cli = (InetSocketAddress) r[1];
      assertEquals(3, req.mode());
      assertEquals(4, req.version());
      assertTrue(req.transmitTimestamp() != 0);
      // wrong origin: bogus
      fake.send(goodReply(req, clock).originTimestamp(req.transmitTimestamp() + 1), cli);
      // unsynchronised server (in either order: the bogus reply does not use up the request)
      fake.send(goodReply(req, clock).leap(3).transmitTimestamp(clock.now() + 1000), cli);
      awaitCount(() -> a.stats().unsynchronized(), 1);
      awaitCount(() -> a.stats().bogus(), 1);
      // the answer has been used up: a second good answer to the same request is bogus
      fake.send(goodReply(req, clock).transmitTimestamp(clock.now() + 2000), cli);
      awaitCount(() -> a.stats().bogus(), 2);
      assertTrue(samples.isEmpty());

      a.pollNow();
      req = (NtpHeader) fake.take()[0];
      NtpHeader.Builder good = goodReply(req, clock);
      fake.send(good, cli);
      TimeSample s = samples.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
      assertNotNull(s);
      assertOffsetWithinHalfDelay(s, 0);
      assertFalse(s.authenticated());
      fake.send(good, cli); // exact duplicate
      awaitCount(() -> a.stats().duplicates(), 1);

      a.pollNow();
      req = (NtpHeader) fake.take()[0];
      fake.send(goodReply(req, clock).stratum(0).referenceId(ServerStatus.ascii("RATE")), cli);
      awaitCount(() -> a.stats().kissCodes(), 1);
      assertEquals("RATE", a.lastKissCode().orElseThrow());
      assertEquals(Duration.ofHours(2), a.interval());
      assertEquals(1, a.stats().samples());
      assertTrue(samples.isEmpty());
    }
  }

  @Test
  void rejectedRepliesReachTheRejectionListenerAndGiveNoSample() throws Exception {
    AddressMac auth = new AddressMac();
    BlockingQueue<Verdict> rejected = new LinkedBlockingQueue<>();
    BlockingQueue<TimeSample> samples = new LinkedBlockingQueue<>();
    try (NtpNode server = NtpNode.builder().bind(any("127.0.0.1"))
            .timeSource(TimeSource.localClock(NtpClock.system(), 2))
            .serve(ServerAuthenticator.none()).build();
        NtpNode client = NtpNode.builder().bind(any("127.0.0.1"))
            .rejections((s, l, r) -> rejected.add(r)).build()) {
      client.client(server.transport().localAddresses().get(0), AssociationOptions.builder()
          .authenticator(auth).interval(FAST).listener(samples::add).build());
      Verdict r = rejected.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
      assertNotNull(r);
      assertEquals(XEvent.LEN, r.event()); // the plain server's reply has no MAC
      assertTrue(samples.isEmpty());
    }
  }

  @Test
  void serverFollowingAnUpstreamServesCorrectedTimeAtStratumPlusOne() throws Exception {
    long ahead = 3_000 * MS;
    NtpClock upstreamClock = NtpClock.system().shifted(ahead);
    BlockingQueue<TimeSample> down = new LinkedBlockingQueue<>();
    UpstreamTimeSource follow = new UpstreamTimeSource(NtpClock.system());
    try (NtpNode upstream = NtpNode.builder().bind(any("127.0.0.1")).clock(upstreamClock)
            .timeSource(TimeSource.localClock(upstreamClock, 1)).serve(ServerAuthenticator.none())
            .build();
        NtpNode middle = NtpNode.builder().bind(any("127.0.0.1")).timeSource(follow)
            .serve(ServerAuthenticator.none()).build();
        NtpNode leaf = NtpNode.builder().bind(any("127.0.0.1")).build()) {
      InetSocketAddress up = upstream.transport().localAddresses().get(0);
      assertFalse(follow.status().synchronizedClock());
      middle.client(up, AssociationOptions.builder().interval(FAST).listener(follow).build());
      awaitCount(() -> follow.status().synchronizedClock() ? 1 : 0, 1);
      leaf.client(middle.transport().localAddresses().get(0), AssociationOptions.builder()
          .interval(FAST).listener(down::add).build());
      TimeSample s;
      do {
        s = down.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(s);
      } while (s.stratum() == 0);
      assertEquals(2, s.stratum());
      assertEquals(UpstreamTimeSource.referenceIdOf(up.getAddress()), s.referenceId());
      assertEquals(0x7f000001L, s.referenceId());
      assertTrue(s.rootDelayNanos() >= 0);
      // the middle serves upstream time to within half its sample's round trip, which it
      // advertises as its root delay; the leaf measures the middle to within half its own
      long error = Math.abs(s.offsetNanos() - ahead);
      assertTrue(error <= s.delayNanos() / 2 + s.rootDelayNanos() / 2 + 2 * MS,
          "offset " + s.offsetSeconds() + " s, delay " + s.delaySeconds() + " s, root delay "
              + s.rootDelayNanos() / 1e9 + " s, true offset " + ahead / 1e9 + " s");
    }
  }

  @Test
  void symmetricJavaPeersBothTakeSamples() throws Exception {
    long ahead = 2_000 * MS;
    NtpClock bClock = NtpClock.system().shifted(ahead);
    BlockingQueue<TimeSample> aSamples = new LinkedBlockingQueue<>();
    BlockingQueue<TimeSample> bSamples = new LinkedBlockingQueue<>();
    AddressMac auth = new AddressMac();
    try (NtpNode a = NtpNode.builder().bind(any("127.0.0.1"))
            .timeSource(TimeSource.localClock(NtpClock.system(), 3)).build();
        NtpNode b = NtpNode.builder().bind(any("127.0.0.1")).clock(bClock)
            .timeSource(TimeSource.localClock(bClock, 3)).build()) {
      InetSocketAddress aa = a.transport().localAddresses().get(0);
      InetSocketAddress ba = b.transport().localAddresses().get(0);
      a.peer(ba, AssociationOptions.builder().authenticator(auth).interval(FAST)
          .listener(aSamples::add).build());
      b.peer(aa, AssociationOptions.builder().authenticator(auth)
          .interval(Duration.ofMillis(70)).listener(bSamples::add).build());
      for (int i = 0; i < 3; i++) {
        TimeSample sa = aSamples.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        TimeSample sb = bSamples.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(sa);
        assertNotNull(sb);
        assertEquals(1, sa.mode());
        assertOffsetWithinHalfDelay(sa, ahead);
        assertOffsetWithinHalfDelay(sb, -ahead);
        assertTrue(sa.delayNanos() >= -MS, "delay " + sa.delaySeconds());
      }
    }
  }

  @Test
  void passiveReplyToAnUnknownActivePeer() throws Exception {
    BlockingQueue<TimeSample> samples = new LinkedBlockingQueue<>();
    try (NtpNode server = NtpNode.builder().bind(any("127.0.0.1"))
            .timeSource(TimeSource.localClock(NtpClock.system(), 2))
            .serve(ServerAuthenticator.none()).answerSymmetric(true).build();
        NtpNode active = NtpNode.builder().bind(any("127.0.0.1"))
            .timeSource(TimeSource.localClock(NtpClock.system(), 4)).build()) {
      active.peer(server.transport().localAddresses().get(0), AssociationOptions.builder()
          .interval(FAST).listener(samples::add).build());
      TimeSample s = samples.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
      assertNotNull(s);
      assertEquals(2, s.mode());
      assertEquals(2, s.stratum());
    }
  }

  @Test
  void broadcastOnLoopback() throws Exception {
    long ahead = 1_000 * MS;
    NtpClock serverClock = NtpClock.system().shifted(ahead);
    AddressMac auth = new AddressMac();
    BlockingQueue<TimeSample> samples = new LinkedBlockingQueue<>();
    InetAddress bcast = InetAddress.getByName("127.255.255.255");
    int port;
    try (UdpTransport probe = UdpTransport.builder().bind(any("127.0.0.1")).handler(d -> { })
        .start()) {
      port = probe.localAddresses().get(0).getPort();
    }
    InetSocketAddress group = new InetSocketAddress(bcast, port);
    try (NtpNode client = NtpNode.builder()
            .bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port))
            .bindBroadcast(group).build();
        NtpNode server = NtpNode.builder().bind(any("127.0.0.4")).clock(serverClock)
            .timeSource(TimeSource.localClock(serverClock, 2)).build()) {
      List<InetSocketAddress> created = new CopyOnWriteArrayList<>();
      client.broadcastClient(src -> {
        created.add(src);
        return auth;
      }, NtpNode.DEFAULT_BROADCAST_DELAY, samples::add);
      InetSocketAddress from = server.transport().localAddresses().get(0);
      long start = System.nanoTime();
      Cancellable stop = server.broadcastServer(from, group, 3, FAST, auth);
      for (int i = 0; i < 3; i++) {
        TimeSample s = samples.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        assertNotNull(s);
        assertEquals(5, s.mode());
        assertEquals(group, s.local());
        // θ = T3 − T4 + d/2 with the configured d: the one-way latency (T4 − T3 in true time)
        // is at least 0 and at most the time since the server started
        long d2 = NtpNode.DEFAULT_BROADCAST_DELAY.toNanos() / 2;
        assertTrue(s.offsetNanos() <= ahead + d2 + MS && s.offsetNanos() >= ahead + d2 - elapsed
            - MS, "offset " + s.offsetSeconds() + " s, true offset " + ahead / 1e9 + " s, "
            + elapsed / 1e9 + " s since the server started");
      }
      stop.cancel();
      assertEquals(List.of(from), created);
      // the broadcast MAC was keyed with (server unicast address, broadcast address)
      assertTrue(auth.sealed.contains(from + ">" + group), auth.sealed.toString());
      assertTrue(auth.opened.contains(from + ">" + group), auth.opened.toString());
    }
  }

  interface Count {
    long get();
  }

  /**
   * RFC 5905: the true offset lies within delay/2 of the measured one, whatever the load on the
   * machine; 1 ms allows for the two clock reads that bracket each timestamp.
   */
  static void assertOffsetWithinHalfDelay(TimeSample s, long trueOffsetNanos) {
    long error = Math.abs(s.offsetNanos() - trueOffsetNanos);
    assertTrue(error <= s.delayNanos() / 2 + MS,
        "offset " + s.offsetSeconds() + " s, delay " + s.delaySeconds() + " s, true offset "
            + trueOffsetNanos / 1e9 + " s");
  }

  static void awaitCount(Count c, long atLeast) throws InterruptedException {
    Await.until(() -> c.get() >= atLeast, DEADLINE_SECONDS, () -> "count " + c.get() + " < "
        + atLeast);
  }
}
