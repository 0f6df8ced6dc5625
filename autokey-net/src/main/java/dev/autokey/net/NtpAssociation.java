package dev.autokey.net;

import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A unicast client (mode 3) or symmetric-active (mode 1) association of an {@link NtpNode}:
 * polls its peer, applies the RFC 5905 packet checks (duplicate, bogus origin, unsynchronised
 * peer, kiss-o'-death), runs the {@link PacketAuthenticator} and hands usable samples to the
 * {@link SampleListener}. State is confined to the node's loop thread; the accessors here are
 * safe from any thread.
 */
public final class NtpAssociation implements AutoCloseable {
  /** Maximum acceptable peer root distance (rootDelay/2 + rootDispersion), as ntpd: 1.5 s. */
  public static final long MAX_ROOT_DISTANCE_NANOS = 1_500_000_000L;

  /** Counters (monotonic). */
  public record Stats(long sent, long received, long duplicates, long bogus, long rejected,
      long ignored, long protocolOnly, long unsynchronized, long samples, long kissCodes) {}

  /** Why a received packet was discarded before authentication, or what happened to it. */
  enum Check { OK, DUPLICATE, BOGUS, MALFORMED }

  private final NtpNode node;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;
  private final int mode;
  private final AssociationOptions options;
  private final PacketAuthenticator auth;

  // loop-thread state (RFC 5905 peer variables)
  private long aorg; // our last transmit timestamp (0 once answered)
  private long org; // peer's last transmit timestamp
  private long rec; // our receive time of it
  private int burstLeft;
  private long intervalNanos;
  private Cancellable next;
  private volatile boolean closed;
  private volatile int reach;
  private volatile TimeSample last;
  private volatile String lastKiss;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong bogus = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final AtomicLong protocolOnly = new AtomicLong();
  private final AtomicLong unsync = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  private final AtomicLong kiss = new AtomicLong();

  NtpAssociation(NtpNode node, InetSocketAddress remote, InetSocketAddress local, int mode,
      AssociationOptions options) {
    this.node = node;
    this.remote = remote;
    this.local = local;
    this.mode = mode;
    this.options = options;
    this.auth = options.authenticator();
    this.burstLeft = options.burst();
    this.intervalNanos = options.interval().toNanos();
  }

  /** The peer's address. */
  public InetSocketAddress remote() {
    return remote;
  }

  /** The local socket address this association sends from and receives on. */
  public InetSocketAddress local() {
    return local;
  }

  /** The mode of our packets: 3 (client) or 1 (symmetric active). */
  public int mode() {
    return mode;
  }

  /** The 8-bit reachability register (bit 0 = the latest poll was answered). */
  public int reach() {
    return reach;
  }

  /** The latest usable sample. */
  public Optional<TimeSample> lastSample() {
    return Optional.ofNullable(last);
  }

  /** The last kiss code received ("RATE", "DENY", ...). */
  public Optional<String> lastKissCode() {
    return Optional.ofNullable(lastKiss);
  }

  /** Current counters. */
  public Stats stats() {
    return new Stats(sent.get(), received.get(), duplicates.get(), bogus.get(), rejected.get(),
        ignored.get(), protocolOnly.get(), unsync.get(), samples.get(), kiss.get());
  }

  /** Sends a packet now (out of schedule), on the loop thread. */
  public void pollNow() {
    node.transport().execute(this::transmit);
  }

  /** Stops polling and detaches from the node; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    node.detach(this);
    if (!node.transport().isTerminated()) {
      node.transport().execute(() -> {
        if (next != null) {
          next.cancel();
        }
      });
    }
  }

  void start() {
    next = node.transport().schedule(0, this::tick);
  }

  private void tick() {
    if (closed) {
      return;
    }
    transmit();
    long delay;
    if (burstLeft > 1) {
      burstLeft--;
      delay = AssociationOptions.BURST_SPACING.toNanos();
    } else {
      burstLeft = 0;
      delay = intervalNanos;
    }
    next = node.transport().schedule(delay, this::tick);
  }

  private void transmit() {
    if (closed) {
      return;
    }
    reach = (reach << 1) & 0xFF;
    TimeSource ts = node.timeSource();
    long xmt = ts.now();
    boolean symmetric = mode == NtpHeader.MODE_SYMMETRIC_ACTIVE;
    ByteBuffer out = node.header(ts.status(), options.version(), mode, options.poll(),
        symmetric ? org : 0, symmetric ? rec : 0, xmt);
    if (!auth.seal(out, local, remote)) {
      return;
    }
    aorg = xmt;
    if (node.send(out, local, remote)) {
      sent.incrementAndGet();
    }
  }

  /** Whether a packet of NTP mode {@code mode} is for this association (client: 4; peer: 1, 2). */
  boolean accepts(int mode) {
    return this.mode == NtpHeader.MODE_CLIENT ? mode == NtpHeader.MODE_SERVER
        : mode == NtpHeader.MODE_SYMMETRIC_ACTIVE || mode == NtpHeader.MODE_SYMMETRIC_PASSIVE;
  }

  /**
   * Handles a packet from {@link #remote()} that arrived on {@link #local()}, with the header the
   * node parsed.
   */
  void receive(Datagram d, ReceivedHeader h) {
    received.incrementAndGet();
    long pktXmt = h.transmit();
    if (pktXmt == 0) {
      bogus.incrementAndGet();
      return;
    }
    if (pktXmt == org) {
      duplicates.incrementAndGet();
      return;
    }
    boolean isBogus = aorg == 0 || h.origin() != aorg;
    if (isBogus && mode != NtpHeader.MODE_SYMMETRIC_ACTIVE) {
      bogus.incrementAndGet();
      return;
    }
    // RFC 5905: a symmetric peer remembers the peer's transmit time even from a bogus packet
    org = pktXmt;
    rec = d.receiveTime();
    if (isBogus) {
      bogus.incrementAndGet();
      return;
    }
    aorg = 0; // exactly one reply per request is used
    Verdict r = auth.open(d);
    switch (r.kind()) {
      case REJECTED:
        rejected.incrementAndGet();
        node.rejected(d, r);
        return;
      case IGNORED:
        ignored.incrementAndGet();
        return;
      default:
        break;
    }
    reach |= 1;
    if (h.stratum() == 0) {
      onKiss(h.kissCode());
      return;
    }
    if (r.kind() == Verdict.Kind.AUTHENTIC) {
      protocolOnly.incrementAndGet();
      return;
    }
    if (!h.synchronised() || h.receive() == 0
        || h.rootDelayNanos() / 2 + h.rootDispersionNanos() >= MAX_ROOT_DISTANCE_NANOS) {
      unsync.incrementAndGet();
      return;
    }
    long t1 = h.origin();
    long t2 = h.receive();
    long t3 = pktXmt;
    long t4 = d.receiveTime();
    TimeSample s = h.sample(d, t1, t2, TimeSample.offsetNanos(t1, t2, t3, t4),
        TimeSample.delayNanos(t1, t2, t3, t4), auth.authenticates());
    last = s;
    samples.incrementAndGet();
    options.listener().onSample(s);
  }

  private void onKiss(String code) {
    kiss.incrementAndGet();
    lastKiss = code;
    if (code.equals("RATE")) {
      // back off: double the interval, at most 2^17 s
      intervalNanos = Math.min(intervalNanos * 2, TimeUnit.SECONDS.toNanos(1L << 17));
    } else if (code.equals("DENY") || code.equals("RSTR")) {
      close();
    }
  }

  /** Our last unanswered transmit timestamp (loop thread only; for tests). */
  long pendingOrigin() {
    return aorg;
  }

  /** The current transmit interval. */
  public Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }
}
