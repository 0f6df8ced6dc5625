package dev.autokey.net;

import com.google.common.base.Preconditions;
import dev.autokey.net.internal.BoundSockets;
import dev.autokey.net.internal.BoundSockets.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

  private final BoundSockets sockets;
  private final EventLoop loop;
  private final NtpClock clock;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();

  private UdpTransport(Builder b, BoundSockets sockets, Selector selector) {
    this.sockets = sockets;
    this.clock = b.clock;
    this.loop = new EventLoop(sockets, selector, b.handler, b.clock, b.threadName);
  }

  void startLoop() {
    loop.start();
  }

  /** A builder; at least one address must be bound and a handler set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The local socket addresses (with their bound ports), unicast first in binding order. */
  public List<InetSocketAddress> localAddresses() {
    return sockets.addresses(false);
  }

  /** The broadcast socket addresses bound for reception. */
  public List<InetSocketAddress> broadcastAddresses() {
    return sockets.addresses(true);
  }

  /**
   * The bound unicast socket address for local address {@code address}.
   *
   * @throws IllegalArgumentException if no socket is bound to it
   */
  public InetSocketAddress localAddress(InetAddress address) {
    return sockets.localAddress(address);
  }

  /**
   * The first bound unicast socket of the same family as {@code remote}.
   *
   * @throws IllegalArgumentException if no socket of that family is bound
   */
  public InetSocketAddress localAddressFor(InetSocketAddress remote) {
    return sockets.localAddressFor(remote);
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
    Endpoint e = sockets.unicast(from);
    if (e == null) {
      throw new IllegalArgumentException("no unicast socket bound to " + from);
    }
    Preconditions.checkArgument(data.remaining() <= MAX_DATAGRAM,
        "datagram of %s bytes exceeds %s", data.remaining(), MAX_DATAGRAM);
    try {
      int n = e.channel().send(data, to);
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

  /**
   * Runs {@code task} on the loop thread (after the current callback), in submission order.
   *
   * @throws IllegalStateException if the transport is closed
   */
  public void execute(Runnable task) {
    loop.execute(task);
  }

  /** Runs {@code task} on the loop thread after {@code delayNanos} (≥ 0) nanoseconds. */
  public Cancellable schedule(long delayNanos, Runnable task) {
    return loop.schedule(delayNanos, task);
  }

  /** Whether the caller runs on this transport's loop thread. */
  public boolean inLoop() {
    return loop.inLoop();
  }

  /** Current counters. */
  public Stats stats() {
    return new Stats(loop.received.get(), sent.get(), loop.oversized.get(),
        loop.handlerErrors.get(), sendFailures.get());
  }

  /**
   * Stops the loop after the final drain (see the class comment) and closes the sockets. From
   * another thread, waits until the loop has ended (at most 10 s); from the loop thread itself,
   * returns at once and the loop ends after the current callback. Idempotent.
   */
  @Override
  public void close() {
    loop.close();
  }

  /** Whether the loop has ended and the sockets are closed. */
  public boolean isTerminated() {
    return loop.isTerminated();
  }

  /** Builder for a {@link UdpTransport}. */
  public static final class Builder {
    private final List<InetSocketAddress> unicast = new ArrayList<>();
    private final List<InetSocketAddress> broadcast = new ArrayList<>();
    private final List<BoundSockets.AllAddresses> all = new ArrayList<>();
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
      all.add(new BoundSockets.AllAddresses(port, withBroadcast));
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
      BoundSockets sockets = null;
      Selector selector = null;
      try {
        sockets = BoundSockets.bind(List.copyOf(unicast), List.copyOf(broadcast),
            List.copyOf(all), socketReceiveBuffer);
        selector = Selector.open();
        for (Endpoint e : sockets.all()) {
          e.channel().register(selector, SelectionKey.OP_READ, e);
        }
        return new UdpTransport(this, sockets, selector);
      } catch (IOException | RuntimeException ex) {
        if (sockets != null) {
          sockets.close();
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
  }
}
