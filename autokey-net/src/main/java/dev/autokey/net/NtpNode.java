package dev.autokey.net;

import com.google.common.base.Preconditions;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.net.internal.NtpHeaderWriter;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    /** A packet from {@code source} was rejected with {@code verdict}. */
    void onRejected(InetSocketAddress source, InetSocketAddress local, Verdict verdict);
  }

  private record Key(InetSocketAddress remote, InetSocketAddress local) {}

  private final UdpTransport transport;
  private final NtpClock clock;
  private final TimeSource timeSource;
  private final ServerAuthenticator server;
  private final boolean answerSymmetric;
  private final RejectionListener rejections;
  private final Map<Key, NtpAssociation> associations = new ConcurrentHashMap<>();
  private final NodeCounters counters = new NodeCounters();
  // the send buffer of every packet the node sends (loop thread only)
  private final ByteBuffer tx = ByteBuffer.allocate(UdpTransport.MAX_DATAGRAM);
  private volatile BroadcastListener broadcastListener;

  private NtpNode(Builder b) {
    this.clock = b.clock;
    this.timeSource = b.timeSource != null ? b.timeSource : TimeSource.unsynchronized(b.clock);
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
    return counters.snapshot();
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

  void rejected(Datagram d, Verdict r) {
    LOG.log(Level.DEBUG, () -> "rejected " + d + ": " + r);
    rejections.onRejected(d.source(), d.local(), r);
  }

  NodeCounters counters() {
    return counters;
  }

  /**
   * Writes the header of the next packet into the node's send buffer (loop thread only) and
   * returns the buffer at position 48, limit = capacity, for the authenticator to complete.
   */
  ByteBuffer header(ServerStatus status, int version, int mode, int poll, long origin,
      long receive, long transmit) {
    NtpHeaderWriter.write(tx.array(), 0, status, version, mode, poll, origin, receive, transmit);
    return tx.clear().position(NtpHeaderWriter.LENGTH);
  }

  /** Sends the completed packet in {@code sealed} (the node's send buffer, before flipping). */
  boolean send(ByteBuffer sealed, InetSocketAddress from, InetSocketAddress to) {
    sealed.flip();
    return transport.send(sealed, from, to);
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
    BroadcastSender s = new BroadcastSender(this, from, broadcast, poll, nanos, authenticator);
    s.start();
    return s;
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
   * (Autokey's volley, {@link AutokeyAuthenticator#broadcastClients}). The first broadcast
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
    broadcastListener = new BroadcastListener(this, Objects.requireNonNull(factory, "factory"),
        delay.toNanos(), volleyInterval, Objects.requireNonNull(listener, "listener"));
  }

  /**
   * The bound unicast socket the kernel would send to {@code remote} from (a route lookup), else
   * the first bound socket of the family.
   *
   * @throws IllegalArgumentException if no socket of the family is bound
   */
  InetSocketAddress localUnicastFor(InetSocketAddress remote) {
    try {
      return transport.localAddress(Endpoints.routeSource(remote));
    } catch (IllegalArgumentException ex) {
      LOG.log(Level.DEBUG, () -> "route lookup for " + remote + ": " + ex);
      return transport.localAddressFor(remote);
    }
  }

  /** Takes one received datagram (loop thread): its header is parsed here, once. */
  void dispatch(Datagram d) {
    ReceivedHeader h = ReceivedHeader.parse(d);
    if (h == null) {
      counters.tooShort.incrementAndGet();
      return;
    }
    if (h.version() < 1 || h.version() > 4) {
      counters.badVersion.incrementAndGet();
      return;
    }
    int mode = h.mode();
    if (mode == NtpHeader.MODE_CLIENT && server != null && !d.arrivedOnBroadcastSocket()) {
      reply(d, h, NtpHeader.MODE_SERVER);
      return;
    }
    BroadcastListener listener = broadcastListener;
    if (mode == NtpHeader.MODE_BROADCAST && listener != null) {
      listener.receive(d, h);
      return;
    }
    NtpAssociation a = mode == NtpHeader.MODE_SERVER || mode == NtpHeader.MODE_SYMMETRIC_ACTIVE
        || mode == NtpHeader.MODE_SYMMETRIC_PASSIVE
        ? associations.get(new Key(d.source(), d.local())) : null;
    if (a != null && a.accepts(mode)) {
      a.receive(d, h);
    } else if (mode == NtpHeader.MODE_SYMMETRIC_ACTIVE && server != null && answerSymmetric
        && !d.arrivedOnBroadcastSocket()) {
      reply(d, h, NtpHeader.MODE_SYMMETRIC_PASSIVE);
    } else {
      counters.unmatched.incrementAndGet();
    }
  }

  private void reply(Datagram d, ReceivedHeader req, int mode) {
    counters.requests.incrementAndGet();
    ByteBuffer out = header(timeSource.status(), req.version(), mode, req.poll(), req.transmit(),
        timeSource.serve(d.receiveTime()), timeSource.now());
    if (!server.respond(d, out)) {
      counters.suppressed.incrementAndGet();
      return;
    }
    if (send(out, d.local(), d.source())) {
      counters.replies.incrementAndGet();
    }
  }

  /** Stops every association and closes the transport (see {@link UdpTransport#close()}). */
  @Override
  public void close() {
    for (NtpAssociation a : associations.values()) {
      a.close();
    }
    transport.close();
    BroadcastListener bc = broadcastListener;
    if (bc != null) {
      bc.closeAll();
    }
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
