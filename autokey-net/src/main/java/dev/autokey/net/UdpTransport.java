package dev.autokey.net;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP transport for NTP/Autokey on JDK {@link DatagramChannel}s, run by one loop thread.
 *
 * <p><b>Local address of each datagram.</b> The JDK offers no {@code IP_PKTINFO}, so a socket
 * bound to the wildcard address cannot tell which local address a datagram was sent to — and the
 * Autokey session key needs exactly that address. This transport therefore does what ntpd does:
 * <em>one socket per local address</em> (never the wildcard), plus, for broadcast reception, one
 * socket bound to each interface's IPv4 broadcast address. Every {@link Datagram} carries the
 * address of the socket it arrived on. {@link Builder#bindAllAddresses(int, boolean)} enumerates
 * the interfaces once at start; addresses added later are not picked up (build a new transport).
 * Binding the wildcard address is refused.
 *
 * <p><b>Buffers.</b> Datagrams are read into a buffer of {@value #MAX_DATAGRAM}&nbsp;+&nbsp;1 bytes
 * (ntpd's {@code struct pkt} is 2120 bytes); a datagram longer than {@value #MAX_DATAGRAM} bytes
 * is dropped and counted ({@link Stats#oversized()}), never passed on truncated.
 *
 * <p><b>Threading.</b> One daemon thread runs the selector, the handler, scheduled tasks
 * ({@link #schedule}) and submitted tasks ({@link #execute}), so handler code needs no locking.
 * {@link #send} may be called from any thread.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops the loop after it has read and handled every
 * datagram already queued on its sockets and every task submitted before the call; each
 * datagram read from a socket is handed to the handler exactly once. Datagrams that arrive after
 * the final drain are discarded by the kernel when the sockets close.
 */
public final class UdpTransport implements AutoCloseable {
  /** Largest datagram handled (ntpd's receive buffer, 48 + 2048 + 24 bytes): {@value}. */
  public static final int MAX_DATAGRAM = 2120;
  /** Default socket receive buffer ({@code SO_RCVBUF}) requested: {@value} bytes. */
  public static final int DEFAULT_SOCKET_RECEIVE_BUFFER = 1 << 20;
  /** Datagrams read from one socket before the loop looks at the others: {@value}. */
  public static final int READ_BATCH = 64;
  /** Upper bound of datagrams read in the final drain on close: {@value}. */
  public static final int MAX_FINAL_DRAIN = 1 << 16;

  private static final System.Logger LOG = System.getLogger(UdpTransport.class.getName());

  /** Counters (monotonic). */
  public record Stats(long received, long sent, long oversized, long handlerErrors,
      long sendFailures) {}

  private static final class Endpoint {
    final DatagramChannel channel;
    final InetSocketAddress local;
    final boolean broadcast;

    Endpoint(DatagramChannel channel, InetSocketAddress local, boolean broadcast) {
      this.channel = channel;
      this.local = local;
      this.broadcast = broadcast;
    }
  }

  private static final class Timer implements Cancellable, Comparable<Timer> {
    final long due;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Timer(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(due - o.due, 0);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final List<Endpoint> endpoints;
  private final Map<InetSocketAddress, Endpoint> byLocal;
  private final Selector selector;
  private final DatagramHandler handler;
  private final NtpClock clock;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final AtomicLong timerSeq = new AtomicLong();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final byte[] rxArray = new byte[MAX_DATAGRAM + 1];
  private final ByteBuffer rx = ByteBuffer.wrap(rxArray);
  private volatile boolean closing;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong oversized = new AtomicLong();
  private final AtomicLong handlerErrors = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();

  private UdpTransport(Builder b, List<Endpoint> endpoints, Selector selector) {
    this.endpoints = List.copyOf(endpoints);
    Map<InetSocketAddress, Endpoint> m = new LinkedHashMap<>();
    for (Endpoint e : endpoints) {
      m.put(e.local, e);
    }
    this.byLocal = Collections.unmodifiableMap(m);
    this.selector = selector;
    this.handler = b.handler;
    this.clock = b.clock;
    this.thread = new Thread(this::loop, b.threadName);
    this.thread.setDaemon(true);
  }

  void startLoop() {
    thread.start();
  }

  /** A builder; at least one address must be bound and a handler set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The local socket addresses (with their bound ports), unicast first in binding order. */
  public List<InetSocketAddress> localAddresses() {
    List<InetSocketAddress> l = new ArrayList<>();
    for (Endpoint e : endpoints) {
      if (!e.broadcast) {
        l.add(e.local);
      }
    }
    return List.copyOf(l);
  }

  /** The broadcast socket addresses bound for reception. */
  public List<InetSocketAddress> broadcastAddresses() {
    List<InetSocketAddress> l = new ArrayList<>();
    for (Endpoint e : endpoints) {
      if (e.broadcast) {
        l.add(e.local);
      }
    }
    return List.copyOf(l);
  }

  /**
   * The bound unicast socket address for local address {@code address}.
   *
   * @throws IllegalArgumentException if no socket is bound to it
   */
  public InetSocketAddress localAddress(InetAddress address) {
    for (Endpoint e : endpoints) {
      if (!e.broadcast && e.local.getAddress().equals(address)) {
        return e.local;
      }
    }
    throw new IllegalArgumentException("no socket bound to " + address.getHostAddress());
  }

  /** The first bound unicast socket of the same family as {@code remote}. */
  public InetSocketAddress localAddressFor(InetSocketAddress remote) {
    boolean v4 = remote.getAddress() instanceof Inet4Address;
    for (Endpoint e : endpoints) {
      if (!e.broadcast && (e.local.getAddress() instanceof Inet4Address) == v4) {
        return e.local;
      }
    }
    throw new IllegalArgumentException("no " + (v4 ? "IPv4" : "IPv6") + " socket bound for "
        + remote);
  }

  /** The clock used for receive timestamps. */
  public NtpClock clock() {
    return clock;
  }

  /**
   * Sends the remaining bytes of {@code data} from the socket bound to {@code from} to {@code to}
   * (broadcast addresses allowed: IPv4 sockets have {@code SO_BROADCAST}). Returns whether the
   * kernel took the datagram; a failure is counted and logged, never thrown, as UDP loss is normal.
   *
   * @throws IllegalArgumentException if no unicast socket is bound to {@code from} or the datagram
   *     is longer than {@value #MAX_DATAGRAM} bytes
   */
  public boolean send(ByteBuffer data, InetSocketAddress from, InetSocketAddress to) {
    Endpoint e = byLocal.get(from);
    if (e == null || e.broadcast) {
      throw new IllegalArgumentException("no unicast socket bound to " + from);
    }
    Preconditions.checkArgument(data.remaining() <= MAX_DATAGRAM,
        "datagram of %s bytes exceeds %s", data.remaining(), MAX_DATAGRAM);
    try {
      int n = e.channel.send(data, to);
      if (n == 0) {
        sendFailures.incrementAndGet();
        return false;
      }
      sent.incrementAndGet();
      return true;
    } catch (IOException ex) {
      sendFailures.incrementAndGet();
      LOG.log(Level.DEBUG, () -> "send " + from + " -> " + to + " failed: " + ex);
      return false;
    }
  }

  /** Runs {@code task} on the loop thread (after the current callback), in submission order. */
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (closing && terminated.getCount() == 0) {
      throw new IllegalStateException("transport closed");
    }
    tasks.add(task);
    if (!inLoop()) {
      selector.wakeup();
    }
  }

  /** Runs {@code task} on the loop thread after {@code delayNanos} (≥ 0) nanoseconds. */
  public Cancellable schedule(long delayNanos, Runnable task) {
    Objects.requireNonNull(task, "task");
    Timer t = new Timer(System.nanoTime() + Math.max(0, delayNanos), timerSeq.incrementAndGet(),
        task);
    if (inLoop()) {
      timers.add(t);
    } else {
      execute(() -> timers.add(t));
    }
    return t;
  }

  /** Whether the caller runs on this transport's loop thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Current counters. */
  public Stats stats() {
    return new Stats(received.get(), sent.get(), oversized.get(), handlerErrors.get(),
        sendFailures.get());
  }

  /**
   * Stops the loop after the final drain (see the class comment) and closes the sockets. From
   * another thread, waits until the loop has ended (at most 10 s); from the loop thread itself,
   * returns at once and the loop ends after the current callback. Idempotent.
   */
  @Override
  public void close() {
    closing = true;
    selector.wakeup();
    if (!inLoop()) {
      try {
        if (!terminated.await(10, TimeUnit.SECONDS)) {
          LOG.log(Level.WARNING, "transport loop did not stop within 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the loop has ended and the sockets are closed. */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  private void loop() {
    try {
      while (!closing) {
        runTasks();
        runTimers();
        if (closing) {
          break;
        }
        long wait = nextTimerWaitMillis();
        int n;
        if (!tasks.isEmpty()) {
          n = selector.selectNow();
        } else if (wait < 0) {
          n = selector.select();
        } else if (wait == 0) {
          n = selector.selectNow();
        } else {
          n = selector.select(wait);
        }
        if (n > 0) {
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            if (k.isValid() && k.isReadable()) {
              readBatch((Endpoint) k.attachment(), READ_BATCH);
            }
          }
        }
      }
      // final drain: everything already queued on the sockets, then pending tasks
      int budget = MAX_FINAL_DRAIN;
      boolean any = true;
      while (any && budget > 0) {
        any = false;
        for (Endpoint e : endpoints) {
          int got = readBatch(e, Math.min(READ_BATCH, budget));
          budget -= got;
          any |= got > 0;
        }
      }
      runTasks();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.ERROR, "transport loop failed", e);
    } finally {
      for (Endpoint e : endpoints) {
        try {
          e.channel.close();
        } catch (IOException ex) {
          LOG.log(Level.DEBUG, () -> "close " + e.local + ": " + ex);
        }
      }
      try {
        selector.close();
      } catch (IOException ex) {
        LOG.log(Level.DEBUG, () -> "close selector: " + ex);
      }
      terminated.countDown();
    }
  }

  private int readBatch(Endpoint e, int max) throws IOException {
    int got = 0;
    while (got < max) {
      rx.clear();
      SocketAddress from;
      try {
        from = e.channel.receive(rx);
      } catch (ClosedChannelException ex) {
        return got;
      } catch (IOException ex) {
        // e.g. ICMP port unreachable reported on Linux for an earlier send: not fatal
        LOG.log(Level.DEBUG, () -> "receive on " + e.local + ": " + ex);
        continue;
      }
      if (from == null) {
        return got;
      }
      long rxTime = clock.now();
      got++;
      int len = rx.position();
      if (len > MAX_DATAGRAM) {
        oversized.incrementAndGet();
        continue;
      }
      received.incrementAndGet();
      Datagram d = new Datagram(rxArray, len, (InetSocketAddress) from, e.local, e.broadcast,
          rxTime);
      try {
        handler.onDatagram(d);
      } catch (RuntimeException ex) {
        handlerErrors.incrementAndGet();
        LOG.log(Level.WARNING, "handler failed on " + d, ex);
      }
    }
    return got;
  }

  private void runTasks() {
    Runnable r;
    while ((r = tasks.poll()) != null) {
      try {
        r.run();
      } catch (RuntimeException ex) {
        handlerErrors.incrementAndGet();
        LOG.log(Level.WARNING, "task failed", ex);
      }
    }
  }

  private void runTimers() {
    long now = System.nanoTime();
    Timer t;
    while ((t = timers.peek()) != null && (t.cancelled || t.due - now <= 0)) {
      timers.poll();
      if (!t.cancelled) {
        try {
          t.task.run();
        } catch (RuntimeException ex) {
          handlerErrors.incrementAndGet();
          LOG.log(Level.WARNING, "timer task failed", ex);
        }
      }
    }
  }

  private long nextTimerWaitMillis() {
    Timer t;
    while ((t = timers.peek()) != null && t.cancelled) {
      timers.poll();
    }
    if (t == null) {
      return -1;
    }
    long nanos = t.due - System.nanoTime();
    if (nanos <= 0) {
      return 0;
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }

  /** Builder for a {@link UdpTransport}. */
  public static final class Builder {
    private final List<InetSocketAddress> unicast = new ArrayList<>();
    private final List<InetSocketAddress> broadcast = new ArrayList<>();
    private final List<int[]> all = new ArrayList<>();
    private DatagramHandler handler;
    private NtpClock clock = NtpClock.system();
    private int socketReceiveBuffer = DEFAULT_SOCKET_RECEIVE_BUFFER;
    private String threadName = "autokey-net";

    private Builder() {}

    /**
     * Binds a socket to {@code address} (a specific local address, never the wildcard; port 0
     * picks a free port).
     */
    public Builder bind(InetSocketAddress address) {
      Preconditions.checkArgument(!address.isUnresolved(), "unresolved address %s", address);
      Preconditions.checkArgument(!address.getAddress().isAnyLocalAddress(),
          "the wildcard address cannot report the local address of a datagram; bind each "
              + "local address (bindAllAddresses) instead");
      unicast.add(address);
      return this;
    }

    /**
     * Binds a receive-only socket to the IPv4 broadcast address {@code address} (e.g.
     * {@code 192.0.2.255:123}, or {@code 127.255.255.255} on loopback): datagrams sent to that
     * broadcast address arrive there with it as their local address.
     */
    public Builder bindBroadcast(InetSocketAddress address) {
      Preconditions.checkArgument(address.getAddress() instanceof Inet4Address,
          "broadcast needs IPv4: %s", address);
      broadcast.add(address);
      return this;
    }

    /**
     * At start, binds one socket per address of every interface that is up (IPv4 and IPv6,
     * loopback included), all on {@code port} (0: the port the first socket gets), and, if
     * {@code withBroadcast}, one socket per IPv4 broadcast address.
     */
    public Builder bindAllAddresses(int port, boolean withBroadcast) {
      Preconditions.checkArgument(port >= 0 && port <= 0xFFFF, "port %s", port);
      all.add(new int[] {port, withBroadcast ? 1 : 0});
      return this;
    }

    /** The datagram handler (required). */
    public Builder handler(DatagramHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Clock for receive timestamps (default {@link NtpClock#system()}). */
    public Builder clock(NtpClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Requested {@code SO_RCVBUF} in bytes (default {@value #DEFAULT_SOCKET_RECEIVE_BUFFER}). */
    public Builder socketReceiveBuffer(int bytes) {
      Preconditions.checkArgument(bytes >= MAX_DATAGRAM, "SO_RCVBUF %s < %s", bytes,
          MAX_DATAGRAM);
      this.socketReceiveBuffer = bytes;
      return this;
    }

    /** Name of the loop thread. */
    public Builder threadName(String name) {
      this.threadName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Opens the sockets and starts the loop thread.
     *
     * @throws UncheckedIOException if a socket cannot be opened or bound (all opened ones are
     *     closed again)
     */
    public UdpTransport start() {
      UdpTransport t = open();
      t.startLoop();
      return t;
    }

    /** Opens the sockets without starting the loop ({@link UdpTransport#startLoop()}). */
    UdpTransport open() {
      Preconditions.checkState(handler != null, "handler not set");
      List<InetSocketAddress> uni = new ArrayList<>(unicast);
      List<InetSocketAddress> bc = new ArrayList<>(broadcast);
      List<int[]> allPorts = new ArrayList<>(all);
      List<Endpoint> opened = new ArrayList<>();
      Selector selector = null;
      try {
        selector = Selector.open();
        for (InetSocketAddress a : uni) {
          opened.add(open(a, false));
        }
        for (InetSocketAddress a : bc) {
          opened.add(open(a, true));
        }
        for (int[] spec : allPorts) {
          int port = spec[0];
          java.util.Set<InetAddress> bcast = new java.util.LinkedHashSet<>();
          for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp()) {
              continue;
            }
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
              Endpoint e = open(new InetSocketAddress(ia.getAddress(), port), false);
              opened.add(e);
              if (port == 0) {
                port = e.local.getPort();
              }
              if (spec[1] == 1 && ia.getBroadcast() != null) {
                bcast.add(ia.getBroadcast());
              }
            }
          }
          for (InetAddress b : bcast) {
            opened.add(open(new InetSocketAddress(b, port), true));
          }
        }
        Preconditions.checkState(!opened.isEmpty(), "no address bound");
        for (Endpoint e : opened) {
          e.channel.register(selector, SelectionKey.OP_READ, e);
        }
        return new UdpTransport(this, opened, selector);
      } catch (IOException | RuntimeException ex) {
        for (Endpoint e : opened) {
          try {
            e.channel.close();
          } catch (IOException suppressed) {
            ex.addSuppressed(suppressed);
          }
        }
        if (selector != null) {
          try {
            selector.close();
          } catch (IOException suppressed) {
            ex.addSuppressed(suppressed);
          }
        }
        if (ex instanceof IOException) {
          throw new UncheckedIOException("cannot open UDP transport: " + ex.getMessage(),
              (IOException) ex);
        }
        throw (RuntimeException) ex;
      }
    }

    private Endpoint open(InetSocketAddress a, boolean isBroadcast) throws IOException {
      if (isBroadcast) {
        // JDK 17 refuses to bind an AF_INET DatagramChannel to a broadcast address (no bind(2)
        // is even attempted); a dual-stack IPv6 socket bound to the IPv4-mapped address works on
        // Linux and reports plain IPv4 addresses. Fall back to IPv4 where IPv6 is unavailable.
        try {
          return open(a, true, StandardProtocolFamily.INET6);
        } catch (IOException | UnsupportedOperationException ex) {
          return open(a, true, StandardProtocolFamily.INET);
        }
      }
      ProtocolFamily family = a.getAddress() instanceof Inet4Address
          ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
      return open(a, false, family);
    }

    private Endpoint open(InetSocketAddress a, boolean isBroadcast, ProtocolFamily family)
        throws IOException {
      DatagramChannel ch = DatagramChannel.open(family);
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, socketReceiveBuffer);
        if (family == StandardProtocolFamily.INET || isBroadcast) {
          ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
        }
        if (isBroadcast) {
          ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        }
        ch.bind(a);
        InetSocketAddress bound = (InetSocketAddress) ch.getLocalAddress();
        return new Endpoint(ch, bound, isBroadcast);
      } catch (IOException | RuntimeException ex) {
        ch.close();
        throw new IOException("bind " + a + ": " + ex.getMessage(), ex);
      }
    }
  }
}
