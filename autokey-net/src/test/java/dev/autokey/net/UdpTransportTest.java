package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transport on loopback sockets. Waits are for datagrams, counters or threads with a
 * generous deadline ({@value #DEADLINE_SECONDS} s), never for a fixed time; nothing assumes that
 * two datagrams arrive in the order they were sent.
 */
class UdpTransportTest {
  /** Deadline of every wait for an event. */
  static final long DEADLINE_SECONDS = 60;

  /** What a handler saw, copied out of the transport's buffer. */
  record Seen(byte[] payload, InetSocketAddress source, InetSocketAddress local,
      boolean broadcast, Thread thread) {}

  private static UdpTransport.Builder recording(BlockingQueue<Seen> q) {
    return UdpTransport.builder().handler(d -> q.add(new Seen(d.copyPayload(), d.source(),
        d.local(), d.arrivedOnBroadcastSocket(), Thread.currentThread())));
  }

  private static DatagramChannel sender(InetAddress local) throws Exception {
    DatagramChannel ch = DatagramChannel.open(local.getAddress().length == 4
        ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
    ch.setOption(StandardSocketOptions.SO_BROADCAST, local.getAddress().length == 4);
    ch.bind(new InetSocketAddress(local, 0));
    return ch;
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1"})
  void fullSizeDatagramArrivesWholeWithItsAddresses(String host) throws Exception {
    InetAddress addr = InetAddress.getByName(host);
    BlockingQueue<Seen> q = new LinkedBlockingQueue<>();
    try (UdpTransport t = recording(q).bind(new InetSocketAddress(addr, 0)).start();
        DatagramChannel s = sender(addr)) {
      InetSocketAddress to = t.localAddresses().get(0);
      for (int n : new int[] {48, 68, 72, 1000, UdpTransport.MAX_DATAGRAM}) {
        s.send(ByteBuffer.wrap(pattern(n)), to);
        Seen seen = q.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(seen, "length " + n);
        assertArrayEquals(pattern(n), seen.payload(), "length " + n);
        assertEquals(s.getLocalAddress(), seen.source());
        assertEquals(to, seen.local());
        assertFalse(seen.broadcast());
      }
      // one byte too long: dropped and counted, never delivered truncated
      s.send(ByteBuffer.wrap(pattern(UdpTransport.MAX_DATAGRAM + 1)), to);
      s.send(ByteBuffer.wrap(pattern(60)), to);
      Seen last = q.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
      assertNotNull(last);
      assertArrayEquals(pattern(60), last.payload());
      await(() -> t.stats().oversized() == 1, () -> t.stats().toString());
      assertEquals(6, t.stats().received());
      assertTrue(q.isEmpty(), "the oversized datagram was not delivered");
    }
  }

  @Test
  void localAddressIsTheAddressTheDatagramWasSentTo() throws Exception {
    BlockingQueue<Seen> q = new LinkedBlockingQueue<>();
    InetAddress a1 = InetAddress.getByName("127.0.0.1");
    InetAddress a2 = InetAddress.getByName("127.0.0.2");
    try (UdpTransport probe = recording(q).bind(new InetSocketAddress(a1, 0)).start()) {
      int port = probe.localAddresses().get(0).getPort();
      probe.close();
      try (UdpTransport t = recording(q).bind(new InetSocketAddress(a1, port))
              .bind(new InetSocketAddress(a2, port)).start();
          DatagramChannel s = sender(a1)) {
        s.send(ByteBuffer.wrap(pattern(48)), new InetSocketAddress(a2, port));
        s.send(ByteBuffer.wrap(pattern(49)), new InetSocketAddress(a1, port));
        List<Seen> got = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          Seen seen = q.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
          assertNotNull(seen, "datagram " + i);
          got.add(seen);
        }
        for (Seen seen : got) {
          InetAddress expected = seen.payload().length == 48 ? a2 : a1;
          assertEquals(new InetSocketAddress(expected, port), seen.local());
        }
        // replies go out from the socket of the address they are sent from
        BlockingQueue<Seen> none = new LinkedBlockingQueue<>();
        assertTrue(t.send(ByteBuffer.wrap(pattern(52)), new InetSocketAddress(a2, port),
            (InetSocketAddress) s.getLocalAddress()));
        ByteBuffer in = ByteBuffer.allocate(100);
        s.configureBlocking(true);
        InetSocketAddress from = (InetSocketAddress) s.receive(in);
        assertEquals(new InetSocketAddress(a2, port), from);
        assertTrue(none.isEmpty());
      }
    }
  }

  @Test
  void broadcastSocketReportsTheBroadcastAddress() throws Exception {
    BlockingQueue<Seen> q = new LinkedBlockingQueue<>();
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    InetAddress bcast = InetAddress.getByName("127.255.255.255");
    int port;
    try (UdpTransport probe = recording(q).bind(new InetSocketAddress(lo, 0)).start()) {
      port = probe.localAddresses().get(0).getPort();
    }
    try (UdpTransport t = recording(q).bind(new InetSocketAddress(lo, port))
            .bindBroadcast(new InetSocketAddress(bcast, port)).start();
        UdpTransport server = recording(new LinkedBlockingQueue<>())
            .bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0)).start()) {
      assertEquals(List.of(new InetSocketAddress(bcast, port)), t.broadcastAddresses());
      assertTrue(server.send(ByteBuffer.wrap(pattern(68)), server.localAddresses().get(0),
          new InetSocketAddress(bcast, port)));
      Seen seen = q.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
      assertNotNull(seen);
      assertEquals(new InetSocketAddress(bcast, port), seen.local());
      assertTrue(seen.broadcast());
      assertEquals(server.localAddresses().get(0), seen.source());
    }
  }

  @Test
  void closeHandlesEveryQueuedDatagramExactlyOnce() throws Exception {
    int n = 400;
    List<Integer> handled = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    UdpTransport t = UdpTransport.builder().bind(new InetSocketAddress(lo, 0)).handler(d -> {
      first.countDown();
      try {
        release.await(); // the loop is stuck on the first datagram while the rest queue up
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      handled.add(d.payload().getInt(0));
    }).start();
    try (DatagramChannel s = sender(lo)) {
      InetSocketAddress to = t.localAddresses().get(0);
      for (int i = 0; i < n; i++) {
        ByteBuffer b = ByteBuffer.allocate(48).putInt(0, i);
        s.send(b, to);
      }
      assertTrue(first.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
      Thread closer = new Thread(t::close);
      closer.start();
      // close() has set the closing flag once it waits for the loop to end
      await(() -> closer.getState() == Thread.State.TIMED_WAITING
          || closer.getState() == Thread.State.TERMINATED, closer::toString);
      release.countDown();
      await(t::isTerminated, () -> "loop still running: " + handled.size() + " handled");
      closer.join();
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(i);
    }
    List<Integer> sorted = new ArrayList<>(handled);
    Collections.sort(sorted);
    assertEquals(expected, sorted, "every datagram handled exactly once");
    assertEquals(n, t.stats().received());
    assertFalse(t.send(ByteBuffer.allocate(48), t.localAddresses().get(0),
        t.localAddresses().get(0)), "send after close fails softly");
  }

  @Test
  void tasksTimersAndHandlerErrorsRunOnTheLoop() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    Thread[] loop = new Thread[1];
    try (UdpTransport t = UdpTransport.builder().bind(new InetSocketAddress(lo, 0)).handler(d -> {
      if (d.length() == 1) {
        throw new IllegalStateException("boom");
      }
      events.add("datagram " + d.length());
    }).start(); DatagramChannel s = sender(lo)) {
      // scheduled and cancelled within one loop task: no timer can run in between, so the
      // cancelled one (due before "late") is cancelled before it is due, however slow the box
      t.execute(() -> {
        loop[0] = Thread.currentThread();
        t.schedule(TimeUnit.MILLISECONDS.toNanos(200), () -> events.add("late"));
        t.schedule(TimeUnit.MILLISECONDS.toNanos(50), () -> events.add("early"));
        Cancellable c = t.schedule(TimeUnit.MILLISECONDS.toNanos(100),
            () -> events.add("never"));
        c.cancel();
      });
      assertEquals("early", events.poll(DEADLINE_SECONDS, TimeUnit.SECONDS));
      assertEquals("late", events.poll(DEADLINE_SECONDS, TimeUnit.SECONDS));
      s.send(ByteBuffer.allocate(1), t.localAddresses().get(0));
      s.send(ByteBuffer.allocate(2), t.localAddresses().get(0));
      assertEquals("datagram 2", events.poll(DEADLINE_SECONDS, TimeUnit.SECONDS));
      await(() -> t.stats().handlerErrors() == 1, () -> t.stats().toString());
      assertTrue(loop[0].getName().startsWith("autokey-net"));
      assertTrue(events.isEmpty());
    }
  }

  static void await(java.util.function.BooleanSupplier c,
      java.util.function.Supplier<String> what) throws InterruptedException {
    Await.until(c, DEADLINE_SECONDS, what);
  }

  @Test
  void wildcardBindIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> UdpTransport.builder().bind(new InetSocketAddress(0)));
  }

  @Test
  void bindAllAddressesBindsLoopbackOnOnePort() throws Exception {
    try (UdpTransport t = UdpTransport.builder().bindAllAddresses(0, true).handler(d -> { })
        .start()) {
      List<InetSocketAddress> l = t.localAddresses();
      assertTrue(l.contains(new InetSocketAddress(InetAddress.getByName("127.0.0.1"),
          l.get(0).getPort())), l.toString());
      assertEquals(1, l.stream().mapToInt(InetSocketAddress::getPort).distinct().count());
    }
  }
}
