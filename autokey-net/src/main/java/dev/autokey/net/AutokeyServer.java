package dev.autokey.net;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.ProtocolEventListener;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An Autokey NTP server in one object: the Autokey host, a UDP node serving the local clock at
 * a given stratum (reference ID {@code LOCL}, like ntpd's LOCAL driver), the stateless responder
 * ({@link AutokeyResponderAuthenticator}) answering every Autokey request, and the engine's
 * timers. Its clock counts as synchronised from the start (it is its own reference), so it signs
 * its values and serves time at once. It never sets the system clock.
 *
 * <pre>{@code
 * CryptoSuite keys = BcCryptoSuite.fromKeysDirectory(dir, "server", "labgroup", pw, List.of(),
 *     CryptoPolicy.legacy(System.err::println), new SecureRandom());
 * try (AutokeyServer server = AutokeyServer.builder().keys(keys)
 *     .bind(new InetSocketAddress("192.0.2.1", 123)).stratum(2).build()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #stats()} and {@link #close()} may be called from any thread.
 */
public final class AutokeyServer implements AutoCloseable {
  /**
   * Default stratum: {@value}, what ntpd's documentation suggests for an undisciplined local
   * clock, so that clients prefer any real source.
   */
  public static final int DEFAULT_STRATUM = 10;

  /**
   * Server counters (monotonic).
   *
   * @param requests client requests (mode 3) answered or refused
   * @param replies replies sent (crypto-NAKs included)
   * @param cryptoNaks crypto-NAKs among them (requests with a MAC the server could not verify)
   * @param dropped requests left unanswered (ntpd's silent drops: malformed or unacceptable)
   * @param budgetLimited expensive fields answered empty because the work budget was exhausted
   */
  public record Stats(long requests, long replies, long cryptoNaks, long dropped,
      long budgetLimited) {}

  private final AutokeyHost host;
  private final NtpNode node;
  private final AutokeyResponderAuthenticator responder;
  private final AutokeyTimers timers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AutokeyServer(Builder b) {
    AutokeyConfig.Builder cb = AutokeyConfig.builder().digest(b.digest);
    if (b.ident != null) {
      cb.ident(b.ident);
    }
    try {
      this.host = AutokeyHost.create(cb.build(), b.keys,
          b.random != null ? b.random : new SecureRandom(), b.onEvent);
    } catch (AutokeyException e) {
      throw new IllegalArgumentException("session digest " + b.digest + ": " + e.getMessage(),
          e);
    }
    host.setSynchronised(true, b.clock.now());
    this.responder = new AutokeyResponderAuthenticator(host.responder(), b.clock);
    NtpNode.Builder nb = NtpNode.builder().clock(b.clock).threadName(b.threadName)
        .timeSource(TimeSource.localClock(b.clock, b.stratum)).serve(responder);
    b.binds.forEach(nb::bind);
    if (b.allPort >= 0) {
      nb.bindAllAddresses(b.allPort, false);
    }
    this.node = nb.build();
    try {
      this.timers = AutokeyTimers.start(node.transport(), b.clock, host);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** A builder with the defaults (stratum {@value #DEFAULT_STRATUM}, MD5 session digest). */
  public static Builder builder() {
    return new Builder();
  }

  /** The bound local socket addresses (with their ports: port 0 was replaced by a free one). */
  public List<InetSocketAddress> addresses() {
    return node.transport().localAddresses();
  }

  /** The Autokey host name (the subject of the server's certificate, e.g. {@code server@grp}). */
  public String hostName() {
    return host.hostName();
  }

  /** Current counters. */
  public Stats stats() {
    NtpNode.Stats n = node.stats();
    AutokeyResponderAuthenticator.Stats r = responder.stats();
    return new Stats(n.requests(), n.replies(), r.cryptoNaks(), r.drops(), r.budgetLimited());
  }

  /**
   * Stops answering and closes the sockets (requests already queued are still answered first;
   * the ports are free again when this returns). Idempotent.
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
    }
  }

  /**
   * Builder of an {@link AutokeyServer}. Immutable: every method returns a new builder and leaves
   * the receiver unchanged. Required: {@link #keys} and at least one local address ({@link #bind}
   * or {@link #bindAllAddresses}); arguments are checked when given.
   */
  public static final class Builder implements Cloneable {
    private CryptoSuite keys;
    private List<InetSocketAddress> binds = List.of();
    private int allPort = -1;
    private String ident;
    private String digest = "MD5";
    private int stratum = DEFAULT_STRATUM;
    private ProtocolEventListener onEvent = ProtocolEventListener.NONE;
    private NtpClock clock = NtpClock.system();
    private SecureRandom random;
    private String threadName = "autokey-server";

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
     * The server's credentials: host key, certificate and identity keys, e.g. {@code
     * BcCryptoSuite.fromKeysDirectory(dir, host, ident, password, List.of(), policy, random)}
     * from autokey-crypto for an ntp-keygen (or {@code KeyFolderWriter}) folder.
     */
    public Builder keys(CryptoSuite keys) {
      Objects.requireNonNull(keys, "keys");
      return with(b -> b.keys = keys);
    }

    /**
     * Adds a local socket address to answer on (port 0: a free one, see {@link
     * AutokeyServer#addresses()}; ntpd's is 123, which needs privileges).
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
     * Answers on every address of every interface that is up at start, all on {@code port} (as
     * ntpd does; 0: the port the first socket gets).
     */
    public Builder bindAllAddresses(int port) {
      if (port < 0 || port > 0xFFFF) {
        throw new IllegalArgumentException("port " + port + " not in 0..65535");
      }
      return with(b -> b.allPort = port);
    }

    /** The group (ntpd's {@code crypto ident}), used in the group-name tests. */
    public Builder ident(String group) {
      return with(b -> b.ident = Endpoints.checkIdent(group));
    }

    /**
     * The session digest (ntpd's {@code crypto digest}), default {@code MD5}.
     *
     * @throws IllegalArgumentException for a name ntpd does not know
     */
    public Builder digest(String name) {
      return with(b -> b.digest = Endpoints.checkDigest(name));
    }

    /** The stratum served, 1..15 (default {@value AutokeyServer#DEFAULT_STRATUM}). */
    public Builder stratum(int stratum) {
      if (stratum < 1 || stratum > 15) {
        throw new IllegalArgumentException("stratum " + stratum + " not in 1..15");
      }
      return with(b -> b.stratum = stratum);
    }

    /**
     * Receives the engine's events (signature updates, refused requests, budget, ...),
     * synchronously on the thread that caused them; must not call into the server.
     */
    public Builder onEvent(ProtocolEventListener listener) {
      Objects.requireNonNull(listener, "listener");
      return with(b -> b.onEvent = listener);
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

    /** Name of the loop thread (default {@code autokey-server}). */
    public Builder threadName(String name) {
      Objects.requireNonNull(name, "name");
      return with(b -> b.threadName = name);
    }

    /**
     * Starts the server: reports its clock synchronised, binds and answers.
     *
     * @throws NullPointerException without {@link #keys}
     * @throws IllegalArgumentException without a local address
     * @throws java.io.UncheckedIOException if a socket cannot be bound (e.g. the port is in use)
     */
    public AutokeyServer build() {
      Objects.requireNonNull(keys, Endpoints.NO_KEYS);
      if (binds.isEmpty() && allPort < 0) {
        throw new IllegalArgumentException("no local address: bind(address) or "
            + "bindAllAddresses(port)");
      }
      return new AutokeyServer(this);
    }
  }
}
