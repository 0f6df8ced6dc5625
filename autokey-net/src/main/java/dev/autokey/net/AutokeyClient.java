package dev.autokey.net;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.ProtocolEventListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An authenticated NTP client in one object: the Autokey host, its UDP node, one association per
 * server and the engine's timers, wired as {@code ./autokey demo} wires them. It polls each
 * server, runs the whole Autokey exchange (ASSOC, CERT, identity, COOK, SIGN, LEAP) and hands
 * every reply the engine accepts as usable for time to {@link Builder#onSample} as a {@link
 * TimeSample}; nothing else becomes a sample. The host learns that its clock is synchronised
 * from its first accepted sample ({@link AutokeyConfig.Synchronisation#LEARN_FROM_SAMPLES}); the
 * system clock is never set: feed the samples to your own discipline.
 *
 * <pre>{@code
 * CryptoSuite keys = BcCryptoSuite.fromKeysDirectory(dir, "client", null, pw,
 *     List.of("labgroup"), CryptoPolicy.legacy(System.err::println), new SecureRandom());
 * try (AutokeyClient client = AutokeyClient.builder().keys(keys).ident("labgroup")
 *     .server(new InetSocketAddress("192.0.2.1", 123))
 *     .onSample(s -> discipline.feed(s.offsetNanos(), s.delayNanos())).build()) {
 *   client.await(AutokeyClientStatus::allFlags, Duration.ofMinutes(2));
 *   ...
 * }
 * }</pre>
 *
 * <p>Listeners run on the client's loop thread (keep them short; they must not call {@link
 * #close()} and then wait). {@link #status()} and {@link #await} may be called from any thread.
 */
public final class AutokeyClient implements AutoCloseable {
  private final AutokeyHost host;
  private final NtpNode node;
  private final AutokeyTimers timers;
  private final List<ClientPeer> peers = new CopyOnWriteArrayList<>();
  private final Object monitor = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean refreshPending = new AtomicBoolean();

  private AutokeyClient(Builder b) {
    NtpClock clock = b.clock;
    AutokeyConfig.Builder cb = AutokeyConfig.builder().digest(b.digest).policy(b.policy);
    b.anchors.forEach(cb::addTrustAnchor);
    if (b.ident != null) {
      cb.ident(b.ident);
    }
    ProtocolEventListener events = b.onEvent;
    try {
      this.host = AutokeyHost.create(cb.build(), b.keys,
          b.random != null ? b.random : new SecureRandom(), e -> {
            events.onEvent(e);
            refreshLater();
          });
    } catch (AutokeyException e) {
      throw new IllegalArgumentException("session digest " + b.digest + ": " + e.getMessage(),
          e);
    }
    List<InetSocketAddress> binds = b.binds;
    List<InetAddress> sources = new ArrayList<>();
    if (binds.isEmpty()) {
      Set<InetSocketAddress> routed = new LinkedHashSet<>();
      b.servers.forEach(server -> sources.add(Endpoints.routeSource(server)));
      sources.forEach(a -> routed.add(new InetSocketAddress(a, 0)));
      binds = List.copyOf(routed);
    }
    NtpNode.Builder nb = NtpNode.builder().clock(clock).threadName(b.threadName);
    binds.forEach(nb::bind);
    this.node = nb.build();
    try {
      this.timers = AutokeyTimers.start(node.transport(), clock, host);
      for (int i = 0; i < b.servers.size(); i++) {
        InetSocketAddress server = b.servers.get(i);
        InetSocketAddress local = sources.isEmpty() ? node.transport().localAddressFor(server)
            : node.transport().localAddress(sources.get(i));
        ClientPeer p = new ClientPeer(server, local,
            host.client(local.getAddress(), server.getAddress(), Optional.empty()), timers,
            b.onPacket, this::signal);
        peers.add(p);
        AssociationOptions.Builder o = AssociationOptions.builder().poll(b.poll).local(local)
            .authenticator(p).listener(s -> {
              if (s.authenticated()) {
                p.sample(s);
                b.onSample.onSample(s);
              }
            });
        if (b.interval != null) {
          o.interval(b.interval);
        }
        node.client(server, o.build());
      }
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** A builder with the defaults (MD5 session digest, LEGACY trust, poll 3). */
  public static Builder builder() {
    return new Builder();
  }

  /** A snapshot of the client (safe from any thread). */
  public AutokeyClientStatus status() {
    List<AutokeyClientStatus.Server> l = new ArrayList<>();
    for (ClientPeer p : peers) {
      l.add(p.snapshot());
    }
    return new AutokeyClientStatus(host.isSynchronised(), l);
  }

  /**
   * Waits until {@code condition} holds for the client's status, e.g. {@code
   * s -> s.allFlags() && s.samples() >= 4}. The condition is checked now and again after every
   * protocol step and sample (not on a timer), so it should depend on the status only.
   *
   * @return the first status that satisfied the condition, or empty when {@code timeout} passed
   *     first or the client was closed
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<AutokeyClientStatus> await(Predicate<? super AutokeyClientStatus> condition,
      Duration timeout) throws InterruptedException {
    Objects.requireNonNull(condition, "condition");
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (true) {
        AutokeyClientStatus s = status();
        if (condition.test(s)) {
          return Optional.of(s);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed.get()) {
          return Optional.empty();
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
    }
  }

  /** The local socket addresses the client sends from (with their bound ports). */
  public List<InetSocketAddress> localAddresses() {
    return node.transport().localAddresses();
  }

  /**
   * Stops polling, closes the sockets (the local ports are free again when this returns) and
   * wakes {@link #await} callers. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      timers.cancel();
    } finally {
      node.close();
      signal();
    }
  }

  /** After a protocol event (inside an engine call): refresh once the call has returned. */
  private void refreshLater() {
    if (refreshPending.compareAndSet(false, true)) {
      try {
        node.transport().execute(() -> {
          refreshPending.set(false);
          peers.forEach(p -> p.refresh(true));
        });
      } catch (IllegalStateException closing) {
        refreshPending.set(false);
      }
    }
  }

  private void signal() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  /**
   * Builder of an {@link AutokeyClient}. Immutable: every method returns a new builder and leaves
   * the receiver unchanged, so a partly configured builder can be shared. Required: {@link
   * #keys} and at least one {@link #server}; arguments are checked when given.
   */
  public static final class Builder implements Cloneable {
    private CryptoSuite keys;
    private List<InetSocketAddress> servers = List.of();
    private List<InetSocketAddress> binds = List.of();
    private String ident;
    private String digest = "MD5";
    private AutokeyConfig.Policy policy = AutokeyConfig.Policy.LEGACY;
    private List<byte[]> anchors = List.of();
    private int poll = AssociationOptions.DEFAULT_POLL;
    private Duration interval;
    private SampleListener onSample = s -> { };
    private ProtocolEventListener onEvent = ProtocolEventListener.NONE;
    private PacketListener onPacket = PacketListener.NONE;
    private NtpClock clock = NtpClock.system();
    private SecureRandom random;
    private String threadName = "autokey-client";

    private Builder() {}

    private Builder with(Consumer<Builder> change) {
      try {
        Builder b = (Builder) clone();
        change.accept(b);
        return b;
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }

    /**
     * The client's credentials: host key, certificate and the group's identity parameters, e.g.
     * {@code BcCryptoSuite.fromKeysDirectory(dir, host, null, password, List.of(group), policy,
     * random)} from autokey-crypto for an ntp-keygen (or {@code KeyFolderWriter}) folder.
     */
    public Builder keys(CryptoSuite keys) {
      Objects.requireNonNull(keys, "keys");
      return with(b -> b.keys = keys);
    }

    /**
     * Adds a server to poll (ntpd's {@code server ADDRESS autokey}); at least one. A resolved
     * unicast address with a port (123 for ntpd).
     *
     * @throws IllegalArgumentException for an unresolved, wildcard or multicast address, port 0,
     *     or a server given twice
     */
    public Builder server(InetSocketAddress server) {
      Endpoints.checkServer(server);
      if (servers.contains(server)) {
        throw new IllegalArgumentException("server " + server + " given twice");
      }
      List<InetSocketAddress> l = new ArrayList<>(servers);
      l.add(server);
      return with(b -> b.servers = List.copyOf(l));
    }

    /**
     * Adds a local socket address to send from (port 0: a free port). Default: for each server
     * the address the kernel routes to it from. With addresses given, each server uses the first
     * one of its family.
     *
     * @throws IllegalArgumentException for an unresolved, wildcard or multicast address
     */
    public Builder bind(InetSocketAddress local) {
      Endpoints.checkBind(local);
      List<InetSocketAddress> l = new ArrayList<>(binds);
      l.add(local);
      return with(b -> b.binds = List.copyOf(l));
    }

    /**
     * The group (ntpd's {@code ident}): selects the identity parameters in {@link #keys} and the
     * identity exchange (IFF, GQ or MV); without one the client trusts the certificate trail
     * alone (TC).
     */
    public Builder ident(String group) {
      return with(b -> b.ident = Endpoints.checkIdent(group));
    }

    /**
     * The session digest (ntpd's {@code crypto digest}), default {@code MD5}; the server must
     * use the same.
     *
     * @throws IllegalArgumentException for a name ntpd does not know
     */
    public Builder digest(String name) {
      return with(b -> b.digest = Endpoints.checkDigest(name));
    }

    /**
     * Trust policy (default {@link AutokeyConfig.Policy#LEGACY}, ntpd's: any self-signed
     * trustRoot certificate ends a trail). {@link AutokeyConfig.Policy#STRICT} needs at least
     * one {@link #trustAnchor}.
     */
    public Builder policy(AutokeyConfig.Policy policy) {
      Objects.requireNonNull(policy, "policy");
      return with(b -> b.policy = policy);
    }

    /** Adds a pinned trust anchor: a trusted host's self-signed certificate, DER. */
    public Builder trustAnchor(byte[] der) {
      Objects.requireNonNull(der, "der");
      List<byte[]> l = new ArrayList<>(anchors);
      l.add(der.clone());
      return with(b -> b.anchors = List.copyOf(l));
    }

    /**
     * Poll exponent written into request headers, {@value AssociationOptions#MIN_POLL}..{@value
     * AssociationOptions#MAX_POLL} (default {@value AssociationOptions#DEFAULT_POLL}); requests go
     * every 2^poll s unless {@link #pollInterval} says otherwise.
     */
    public Builder poll(int exponent) {
      if (exponent < AssociationOptions.MIN_POLL || exponent > AssociationOptions.MAX_POLL) {
        throw new IllegalArgumentException("poll " + exponent + " not in "
            + AssociationOptions.MIN_POLL + ".." + AssociationOptions.MAX_POLL);
      }
      return with(b -> b.poll = exponent);
    }

    /**
     * Time between requests, at least 10 ms, instead of 2^poll s: for tests and demos against
     * our own server (ntpd rate-limits clients that poll faster than its {@code minpoll}).
     */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.toMillis() < 10) {
        throw new IllegalArgumentException("poll interval " + interval + " < 10 ms");
      }
      return with(b -> b.interval = interval);
    }

    /** Receives every authenticated sample (only those: usable for time), on the loop thread. */
    public Builder onSample(SampleListener listener) {
      Objects.requireNonNull(listener, "listener");
      return with(b -> b.onSample = listener);
    }

    /**
     * Receives the engine's protocol events (flags lit, errors, restarts, ...), synchronously on
     * the loop thread; must not call into the client.
     */
    public Builder onEvent(ProtocolEventListener listener) {
      Objects.requireNonNull(listener, "listener");
      return with(b -> b.onEvent = listener);
    }

    /** Watches every datagram of the associations (logging, demos); default none. */
    public Builder onPacket(PacketListener listener) {
      Objects.requireNonNull(listener, "listener");
      return with(b -> b.onPacket = listener);
    }

    /** The local clock, only ever read (default {@link NtpClock#system()}). */
    public Builder clock(NtpClock clock) {
      Objects.requireNonNull(clock, "clock");
      return with(b -> b.clock = clock);
    }

    /** The engine's randomness (default a new {@link SecureRandom}). */
    public Builder random(SecureRandom random) {
      Objects.requireNonNull(random, "random");
      return with(b -> b.random = random);
    }

    /** Name of the loop thread (default {@code autokey-client}). */
    public Builder threadName(String name) {
      Objects.requireNonNull(name, "name");
      return with(b -> b.threadName = name);
    }

    /**
     * Starts the client: binds the local addresses (those given with {@link #bind}, else for each
     * server the address the kernel routes to it from, on a free port) and sends the first
     * request to every server at once.
     *
     * @throws NullPointerException without {@link #keys}
     * @throws IllegalArgumentException without a server, for a server with no bound local
     *     address of its family or no route, or for STRICT without a trust anchor
     * @throws java.io.UncheckedIOException if a socket cannot be bound (e.g. the port is in use)
     */
    public AutokeyClient build() {
      Objects.requireNonNull(keys, Endpoints.NO_KEYS);
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("no server: add one with server(address)");
      }
      if (policy == AutokeyConfig.Policy.STRICT && anchors.isEmpty()) {
        throw new IllegalArgumentException("policy STRICT needs at least one trustAnchor(der)");
      }
      if (!binds.isEmpty()) {
        servers.forEach(s -> Endpoints.checkFamilyBound(s, binds));
      }
      return new AutokeyClient(this);
    }
  }
}
