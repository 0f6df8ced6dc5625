package dev.autokey.net;

import com.google.common.base.Preconditions;
import dev.autokey.core.wire.NtpHeader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The minimal NTP that Autokey needs, on a {@link UdpTransport}: a stateless server (mode 3 →
 * 4, and mode 1 → 2 for peers without an association), unicast client and symmetric-active
 * associations, a broadcast server (mode 5) and a broadcast client. Authentication plugs in per
 * association ({@link PacketAuthenticator}) and for the server ({@link ServerAuthenticator}).
 * Everything runs on the transport's loop thread; nothing here sets the system clock.
 *
 * <pre>{@code
 * try (NtpNode node = NtpNode.builder()
 *     .bind(new InetSocketAddress("127.0.0.1", 0))
 *     .build()) {
 *   NtpAssociation a = node.client(new InetSocketAddress("127.0.0.1", 123),
 *       AssociationOptions.builder().burst(4)
 *           .listener(s -> System.out.println(s.offsetSeconds())).build());
 *   ...
 * }
 * }</pre>
 */
public final class NtpNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NtpNode.class.getName());
  /** Most broadcast servers a broadcast client tracks at once: {@value}. */
  public static final int MAX_BROADCAST_SOURCES = 64;
  /** ntpd's default {@code broadcastdelay}: 4 ms round trip assumed for broadcast samples. */
  public static final Duration DEFAULT_BROADCAST_DELAY = Duration.ofMillis(4);

  /** Node counters (monotonic). */
  public record Stats(long tooShort, long badVersion, long unmatched, long requests,
      long replies, long repliesSuppressed, long broadcastsSent, long broadcastsReceived,
      long broadcastSamples, long broadcastMobilisations, long broadcastDemobilisations) {}

  /** Something the authenticator rejected, for logging and tests. */
  @FunctionalInterface
  public interface RejectionListener {
    /** A packet from {@code source} was rejected with {@code result}. */
    void onRejected(InetSocketAddress source, InetSocketAddress local, AuthResult result);
  }

  private record Key(InetSocketAddress remote, InetSocketAddress local) {}

  private final UdpTransport transport;
  private final NtpClock clock;
  private final TimeSource timeSource;
  private final ServerAuthenticator server;
  private final boolean answerSymmetric;
  private final RejectionListener rejections;
  private final Map<Key, NtpAssociation> associations = new ConcurrentHashMap<>();
  private final ByteBuffer tx = ByteBuffer.allocate(UdpTransport.MAX_DATAGRAM);
  private volatile BroadcastClient broadcastClient;

  private final AtomicLong tooShort = new AtomicLong();
  private final AtomicLong badVersion = new AtomicLong();
  private final AtomicLong unmatched = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong bcastSent = new AtomicLong();
  private final AtomicLong bcastReceived = new AtomicLong();
  private final AtomicLong bcastSamples = new AtomicLong();
  private final AtomicLong bcastMobilised = new AtomicLong();
  private final AtomicLong bcastDemobilised = new AtomicLong();

  private NtpNode(Builder b) {
    this.clock = b.clock;
    this.timeSource = b.timeSource != null ? b.timeSource : unsynchronizedSource(b.clock);
    this.server = b.server;
    this.answerSymmetric = b.answerSymmetric;
    this.rejections = b.rejections;
    this.transport = b.transport.clock(b.clock).handler(this::dispatch).open();
    this.transport.startLoop();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The transport (for its addresses, statistics and timers). */
  public UdpTransport transport() {
    return transport;
  }

  /** The local clock. */
  public NtpClock clock() {
    return clock;
  }

  /** The time source this node's headers are built from. */
  public TimeSource timeSource() {
    return timeSource;
  }

  /** Current counters. */
  public Stats stats() {
    return new Stats(tooShort.get(), badVersion.get(), unmatched.get(), requests.get(),
        replies.get(), suppressed.get(), bcastSent.get(), bcastReceived.get(), bcastSamples.get(),
        bcastMobilised.get(), bcastDemobilised.get());
  }

  /**
   * Starts a unicast client association (mode 3) with {@code server}: the first packet goes out
   * at once, then every {@link AssociationOptions#interval()}.
   */
  public NtpAssociation client(InetSocketAddress server, AssociationOptions options) {
    return associate(server, NtpHeader.MODE_CLIENT, options);
  }

  /**
   * Starts a symmetric-active association (mode 1) with {@code peer}; it accepts the peer's mode
   * 1 and mode 2 packets.
   */
  public NtpAssociation peer(InetSocketAddress peer, AssociationOptions options) {
    return associate(peer, NtpHeader.MODE_SYMMETRIC_ACTIVE, options);
  }

  private NtpAssociation associate(InetSocketAddress remote, int mode, AssociationOptions o) {
    Preconditions.checkArgument(!remote.isUnresolved(), "unresolved %s", remote);
    InetSocketAddress local = o.local().orElseGet(() -> transport.localAddressFor(remote));
    NtpAssociation a = new NtpAssociation(this, remote, local, mode, o);
    NtpAssociation prev = associations.putIfAbsent(new Key(remote, local), a);
    Preconditions.checkState(prev == null, "association %s <-> %s exists", local, remote);
    transport.execute(a::start);
    return a;
  }

  void detach(NtpAssociation a) {
    associations.remove(new Key(a.remote(), a.local()), a);
  }

  void onRejected(NtpAssociation a, Datagram d, AuthResult r) {
    LOG.log(Level.DEBUG, () -> "rejected " + d + ": " + r);
    rejections.onRejected(d.source(), d.local(), r);
  }

  ByteBuffer txBuffer() {
    return tx.clear();
  }

  /**
   * Starts a broadcast server: every {@code interval}, while {@link #timeSource()} is
   * synchronised, a mode-5 packet goes from {@code from} (a bound unicast address) to
   * {@code broadcast} (e.g. {@code 192.0.2.255:123}), completed by {@code authenticator} with
   * (from, broadcast) as the session key's addresses.
   */
  public Cancellable broadcastServer(InetSocketAddress from, InetSocketAddress broadcast,
      int poll, Duration interval, PacketAuthenticator authenticator) {
    Objects.requireNonNull(authenticator, "authenticator");
    Preconditions.checkArgument(poll >= AssociationOptions.MIN_POLL
        && poll <= AssociationOptions.MAX_POLL, "poll %s", poll);
    long nanos = interval.toNanos();
    Preconditions.checkArgument(nanos >= 10_000_000L, "interval %s < 10 ms", interval);
    Cancellable[] current = new Cancellable[1];
    boolean[] stopped = new boolean[1];
    Runnable[] tick = new Runnable[1];
    tick[0] = () -> {
      if (stopped[0]) {
        return;
      }
      ServerStatus st = timeSource.status();
      if (st.synchronizedClock()) {
        ByteBuffer out = txBuffer();
        NtpHeader.builder().leap(st.leap()).version(4).mode(NtpHeader.MODE_BROADCAST)
            .stratum(st.wireStratum()).poll(poll).precision(st.precision())
            .rootDelay(st.rootDelay()).rootDispersion(st.rootDispersion())
            .referenceId(st.referenceId()).referenceTimestamp(st.referenceTimestamp())
            .transmitTimestamp(timeSource.now()).writeTo(out);
        if (authenticator.seal(out, from, broadcast)) {
          out.flip();
          if (transport.send(out, from, broadcast)) {
            bcastSent.incrementAndGet();
          }
        }
      }
      current[0] = transport.schedule(nanos, tick[0]);
    };
    transport.execute(() -> current[0] = transport.schedule(0, tick[0]));
    return () -> transport.execute(() -> {
      stopped[0] = true;
      if (current[0] != null) {
        current[0].cancel();
      }
    });
  }

  /**
   * Enables the broadcast client: mode-5 packets (from up to {@value #MAX_BROADCAST_SOURCES}
   * servers) are judged by a per-server authenticator from {@code authenticators} (called once
   * per new server; the datagram's {@link Datagram#local()} is the broadcast address it was sent
   * to) and usable ones become samples with θ = T3 − T4 + d/2, δ = d ({@code delay}).
   */
  public void broadcastClient(Function<InetSocketAddress, PacketAuthenticator> authenticators,
      Duration delay, SampleListener listener) {
    Objects.requireNonNull(authenticators, "authenticators");
    broadcastClient((d, local) -> Optional.of(
        BroadcastClientAuthenticator.of(authenticators.apply(d.source()))), delay, listener);
  }

  /**
   * Enables the broadcast client with per-server associations that may run a unicast exchange
   * (Autokey's volley, {@link AutokeyBroadcastClientAuthenticator#factory}). The first broadcast
   * from a new server (up to {@value #MAX_BROADCAST_SOURCES}) goes to {@code factory}; once an
   * association is mobilised and while its authenticator {@link
   * BroadcastClientAuthenticator#wantsUnicast() wants unicast}, the node polls the server's
   * unicast address (the broadcasts' source) in mode 3 from the local unicast address the kernel
   * routes to it, at the poll the broadcasts carry (every 2^poll s), and the mode-4 replies go to
   * the same authenticator and, if usable, to {@code listener}. Usable broadcasts become samples
   * with θ = T3 − T4 + d/2 and δ = d, where d is the lowest delay measured in the unicast
   * exchange, or {@code delay} without one. A demobilised association is forgotten and a new one
   * mobilised from the server's next broadcast.
   */
  public void broadcastClient(BroadcastClientAuthenticator.Factory factory, Duration delay,
      SampleListener listener) {
    broadcastClient(factory, delay, null, listener);
  }

  /**
   * As {@link #broadcastClient(BroadcastClientAuthenticator.Factory, Duration, SampleListener)},
   * with the unicast requests {@code volleyInterval} apart instead of 2^poll s (tests and
   * demos; the headers still carry the broadcasts' poll). At least 10 ms; {@code null} for
   * 2^poll s.
   */
  public void broadcastClient(BroadcastClientAuthenticator.Factory factory, Duration delay,
      Duration volleyInterval, SampleListener listener) {
    Preconditions.checkArgument(volleyInterval == null || volleyInterval.toMillis() >= 10,
        "volley interval %s < 10 ms", volleyInterval);
    broadcastClient = new BroadcastClient(Objects.requireNonNull(factory, "factory"),
        delay.toNanos(), volleyInterval, Objects.requireNonNull(listener, "listener"));
  }

  /** One broadcast server heard by the broadcast client (loop thread only). */
  private static final class Source {
    final InetSocketAddress server;
    final InetSocketAddress local;
    final BroadcastClientAuthenticator auth;
    long lastXmt;
    long volleyDelayNanos = -1;
    NtpAssociation volley;

    Source(InetSocketAddress server, InetSocketAddress local, BroadcastClientAuthenticator auth) {
      this.server = server;
      this.local = local;
      this.auth = auth;
    }
  }

  private final class BroadcastClient {
    final BroadcastClientAuthenticator.Factory factory;
    final long delayNanos;
    final Duration volleyInterval;
    final SampleListener listener;
    final Map<InetSocketAddress, Source> sources = new HashMap<>();

    BroadcastClient(BroadcastClientAuthenticator.Factory factory, long delayNanos,
        Duration volleyInterval, SampleListener listener) {
      this.factory = factory;
      this.delayNanos = delayNanos;
      this.volleyInterval = volleyInterval;
      this.listener = listener;
    }

    void receive(Datagram d, NtpHeader h) {
      bcastReceived.incrementAndGet();
      long xmt = h.transmitTimestamp();
      Source s = sources.get(d.source());
      if (s != null && s.auth.isDemobilised()) {
        forget(s);
        bcastDemobilised.incrementAndGet();
        s = null;
      }
      if (s == null) {
        if (sources.size() >= MAX_BROADCAST_SOURCES || xmt == 0) {
          unmatched.incrementAndGet();
          return;
        }
        InetSocketAddress local;
        try {
          local = localUnicastFor(d.source());
        } catch (IllegalArgumentException ex) {
          unmatched.incrementAndGet();
          return;
        }
        Optional<BroadcastClientAuthenticator> a = factory.mobilise(d, local);
        if (a.isEmpty()) {
          unmatched.incrementAndGet();
          return;
        }
        s = new Source(d.source(), local, a.get());
        sources.put(d.source(), s);
        bcastMobilised.incrementAndGet();
      }
      if (xmt == 0 || xmt == s.lastXmt) {
        startVolley(s, h);
        return;
      }
      s.lastXmt = xmt;
      AuthResult r = s.auth.open(d);
      startVolley(s, h);
      if (r.kind() == AuthResult.Kind.REJECTED) {
        rejections.onRejected(d.source(), d.local(), r);
        return;
      }
      if (!r.isUsable() || h.leap() == NtpHeader.LEAP_UNSYNCHRONIZED || h.stratum() == 0
          || h.stratum() > 15) {
        return;
      }
      long delay = s.volleyDelayNanos >= 0 ? s.volleyDelayNanos : delayNanos;
      long t4 = d.receiveTime();
      long offset = NtpTimestamps.differenceNanos(xmt, t4) + delay / 2;
      TimeSample sample = new TimeSample(d.source(), d.local(), h.mode(), h.leap(), h.stratum(),
          h.poll(), h.precision(), h.referenceId(), NtpTimestamps.shortToNanos(h.rootDelay()),
          NtpTimestamps.shortToNanos(h.rootDispersion()), 0, 0, xmt, t4, offset, delay,
          s.auth.authenticates());
      bcastSamples.incrementAndGet();
      listener.onSample(sample);
    }

    /** Starts the unicast association with the server once the authenticator asks for it. */
    private void startVolley(Source s, NtpHeader h) {
      if (s.volley != null || s.auth.isDemobilised() || !s.auth.wantsUnicast()) {
        return;
      }
      int poll = Math.max(AssociationOptions.MIN_POLL,
          Math.min(AssociationOptions.MAX_POLL, h.poll()));
      Source src = s;
      AssociationOptions.Builder o = AssociationOptions.builder().authenticator(s.auth)
          .poll(poll).local(s.local).listener(sample -> {
            if (src.volleyDelayNanos < 0 || sample.delayNanos() < src.volleyDelayNanos) {
              src.volleyDelayNanos = Math.max(0, sample.delayNanos());
            }
            listener.onSample(sample);
          });
      if (volleyInterval != null) {
        o.interval(volleyInterval);
      }
      try {
        s.volley = associate(s.server, NtpHeader.MODE_CLIENT, o.build());
      } catch (IllegalStateException ex) {
        // a unicast association with this server already uses the address pair
        LOG.log(Level.WARNING, () -> "broadcast client volley with " + s.server + ": " + ex);
      }
    }

    private void forget(Source s) {
      sources.remove(s.server, s);
      if (s.volley != null) {
        s.volley.close();
      }
      s.auth.close();
    }

    void closeAll() {
      for (Source s : List.copyOf(sources.values())) {
        forget(s);
      }
    }
  }

  /**
   * The bound unicast socket the kernel would send to {@code remote} from (route lookup with a
   * connected, unused channel), else the first bound socket of the family.
   */
  private InetSocketAddress localUnicastFor(InetSocketAddress remote) {
    try (DatagramChannel ch = DatagramChannel.open(remote.getAddress() instanceof Inet4Address
        ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
      ch.connect(remote);
      InetAddress a = ((InetSocketAddress) ch.getLocalAddress()).getAddress();
      for (InetSocketAddress l : transport.localAddresses()) {
        if (l.getAddress().equals(a)) {
          return l;
        }
      }
    } catch (IOException | RuntimeException ex) {
      LOG.log(Level.DEBUG, () -> "route lookup for " + remote + ": " + ex);
    }
    return transport.localAddressFor(remote);
  }

  void dispatch(Datagram d) {
    if (d.length() < NtpHeader.LENGTH) {
      tooShort.incrementAndGet();
      return;
    }
    NtpHeader h = NtpHeader.view(d.array(), 0);
    int version = h.version();
    if (version < 1 || version > 4) {
      badVersion.incrementAndGet();
      return;
    }
    int mode = h.mode();
    switch (mode) {
      case NtpHeader.MODE_SERVER:
      case NtpHeader.MODE_SYMMETRIC_PASSIVE: {
        NtpAssociation a = associations.get(new Key(d.source(), d.local()));
        if (a != null && (mode == NtpHeader.MODE_SERVER) == (a.mode() == NtpHeader.MODE_CLIENT)) {
          a.receive(d, h);
        } else {
          unmatched.incrementAndGet();
        }
        return;
      }
      case NtpHeader.MODE_SYMMETRIC_ACTIVE: {
        NtpAssociation a = associations.get(new Key(d.source(), d.local()));
        if (a != null && a.mode() == NtpHeader.MODE_SYMMETRIC_ACTIVE) {
          a.receive(d, h);
        } else if (server != null && answerSymmetric && !d.arrivedOnBroadcastSocket()) {
          reply(d, h, NtpHeader.MODE_SYMMETRIC_PASSIVE);
        } else {
          unmatched.incrementAndGet();
        }
        return;
      }
      case NtpHeader.MODE_CLIENT:
        if (server != null && !d.arrivedOnBroadcastSocket()) {
          reply(d, h, NtpHeader.MODE_SERVER);
        } else {
          unmatched.incrementAndGet();
        }
        return;
      case NtpHeader.MODE_BROADCAST: {
        BroadcastClient bc = broadcastClient;
        if (bc != null) {
          bc.receive(d, h);
        } else {
          unmatched.incrementAndGet();
        }
        return;
      }
      default:
        unmatched.incrementAndGet();
    }
  }

  private void reply(Datagram d, NtpHeader req, int mode) {
    requests.incrementAndGet();
    ServerStatus st = timeSource.status();
    ByteBuffer out = txBuffer();
    NtpHeader.builder().leap(st.leap()).version(req.version()).mode(mode)
        .stratum(st.wireStratum()).poll(req.poll()).precision(st.precision())
        .rootDelay(st.rootDelay()).rootDispersion(st.rootDispersion())
        .referenceId(st.referenceId()).referenceTimestamp(st.referenceTimestamp())
        .originTimestamp(req.transmitTimestamp())
        .receiveTimestamp(timeSource.serve(d.receiveTime()))
        .transmitTimestamp(timeSource.now())
        .writeTo(out);
    if (!server.respond(d, out)) {
      suppressed.incrementAndGet();
      return;
    }
    out.flip();
    if (transport.send(out, d.local(), d.source())) {
      replies.incrementAndGet();
    }
  }

  /** Stops every association and closes the transport (see {@link UdpTransport#close()}). */
  @Override
  public void close() {
    for (NtpAssociation a : associations.values()) {
      a.close();
    }
    transport.close();
    BroadcastClient bc = broadcastClient;
    if (bc != null) {
      bc.closeAll();
    }
  }

  private static TimeSource unsynchronizedSource(NtpClock clock) {
    return new TimeSource() {
      @Override
      public long now() {
        return clock.now();
      }

      @Override
      public long serve(long localNtp) {
        return localNtp;
      }

      @Override
      public ServerStatus status() {
        return ServerStatus.unsynchronized(SYSTEM_PRECISION);
      }
    };
  }

  /** Builder for an {@link NtpNode}. */
  public static final class Builder {
    private final UdpTransport.Builder transport = UdpTransport.builder();
    private NtpClock clock = NtpClock.system();
    private TimeSource timeSource;
    private ServerAuthenticator server;
    private boolean answerSymmetric;
    private RejectionListener rejections = (s, l, r) -> { };

    private Builder() {}

    /** Binds a local unicast address (see {@link UdpTransport.Builder#bind}). */
    public Builder bind(InetSocketAddress address) {
      transport.bind(address);
      return this;
    }

    /** Binds a broadcast address for reception (see {@link UdpTransport.Builder#bindBroadcast}). */
    public Builder bindBroadcast(InetSocketAddress address) {
      transport.bindBroadcast(address);
      return this;
    }

    /** Binds every interface address (see {@link UdpTransport.Builder#bindAllAddresses}). */
    public Builder bindAllAddresses(int port, boolean withBroadcast) {
      transport.bindAllAddresses(port, withBroadcast);
      return this;
    }

    /** The local clock (default {@link NtpClock#system()}). */
    public Builder clock(NtpClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The source of served time and advertised system variables (default: unsynchronised, as a
     * pure client is).
     */
    public Builder timeSource(TimeSource source) {
      this.timeSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Answers client requests (mode 3) through {@code authenticator}. */
    public Builder serve(ServerAuthenticator authenticator) {
      this.server = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * Also answers symmetric-active packets (mode 1) from peers without an association with a
     * stateless mode-2 reply (off by default).
     */
    public Builder answerSymmetric(boolean on) {
      this.answerSymmetric = on;
      return this;
    }

    /** Receives rejections (default: ignored). */
    public Builder rejections(RejectionListener l) {
      this.rejections = Objects.requireNonNull(l, "listener");
      return this;
    }

    /** Name of the loop thread. */
    public Builder threadName(String name) {
      transport.threadName(name);
      return this;
    }

    /** Opens the sockets and starts the node. */
    public NtpNode build() {
      return new NtpNode(this);
    }
  }
}
