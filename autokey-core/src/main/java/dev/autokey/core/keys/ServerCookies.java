package dev.autokey.core.keys;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * The server cookie (docs/protocol.md §8.1): the next key ID of the session key (client address,
 * server address, key ID 0, private value), i.e. the first 4 bytes, big-endian, of {@code
 * H(client || server || 0 || private)}. Computed statelessly for every request; the server keeps
 * no per-client state.
 *
 * <p>ntpd's design refreshes the private value every {@code 2^revoke} seconds (default 2^17 s,
 * about 36 h), invalidating every cookie. ntpd 4.2.8p15 never does (its private value is 0 for
 * the life of the process, so its cookies are a public function of the addresses, §7.7). {@link
 * #random} implements the design: a secret random private value from the injected {@link
 * SecureRandom}, redrawn once {@code 2^revoke} seconds have passed. {@link #ntpdCompatible()}
 * reproduces 4.2.8p15 (private value 0, never refreshed) for tests against captured traffic.
 * Clients cannot tell the difference: they use whatever cookie they decrypt.
 *
 * <p>Thread-safe. {@link #toString} never shows the private value.
 */
public final class ServerCookies {
  /** ntpd's default revoke exponent: 2^17 s. */
  public static final int DEFAULT_REVOKE = 17;

  private static final class State {
    final int privateValue;
    final long refreshAt;

    State(int privateValue, long refreshAt) {
      this.privateValue = privateValue;
      this.refreshAt = refreshAt;
    }
  }

  private final SecureRandom random; // null: fixed private value 0 (ntpd 4.2.8p15)
  private final long intervalSeconds;
  private volatile State state; // null until the first use with a random private value

  private ServerCookies(SecureRandom random, long intervalSeconds, State initial) {
    this.random = random;
    this.intervalSeconds = intervalSeconds;
    this.state = initial;
  }

  /** A random private value refreshed every 2^{@value #DEFAULT_REVOKE} seconds. */
  public static ServerCookies random(SecureRandom random) {
    return random(random, DEFAULT_REVOKE);
  }

  /**
   * A random private value refreshed every {@code 2^revokeExponent} seconds.
   *
   * @param revokeExponent ntpd's {@code revoke}, 3..31
   */
  public static ServerCookies random(SecureRandom random, int revokeExponent) {
    Objects.requireNonNull(random, "random");
    if (revokeExponent < 3 || revokeExponent > 31) {
      throw new IllegalArgumentException("revoke " + revokeExponent + " outside 3..31");
    }
    return new ServerCookies(random, 1L << revokeExponent, null);
  }

  /**
   * ntpd 4.2.8p15's behaviour: private value 0, never refreshed. The cookie is then a public
   * function of the two addresses; use only for tests against ntpd captures or live ntpd peers
   * that compare cookies.
   */
  public static ServerCookies ntpdCompatible() {
    return new ServerCookies(null, Long.MAX_VALUE, new State(0, Long.MAX_VALUE));
  }

  /** Whether this is the fixed private value 0 of ntpd 4.2.8p15. */
  public boolean isNtpdCompatible() {
    return random == null;
  }

  /** Seconds between refreshes ({@link Long#MAX_VALUE} if never). */
  public long refreshIntervalSeconds() {
    return intervalSeconds;
  }

  /**
   * The cookie for a client. Allocation-free except at a refresh.
   *
   * @param engine the caller's (per-thread) session-key engine
   * @param clientToServer (client address, server address): the request's source and destination
   * @param nowSeconds a monotonic clock in seconds (NTP seconds or any other epoch, used only to
   *     time refreshes; the first call starts the interval)
   */
  public int cookie(SessionKeyEngine engine, AddressPair clientToServer, long nowSeconds) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(clientToServer, "clientToServer");
    return engine.nextKeyId(clientToServer, 0, privateValue(nowSeconds));
  }

  /**
   * {@link #cookie(SessionKeyEngine, AddressPair, long)} from raw address bytes (both 4 or both 16
   * bytes, network order). Allocation-free except at a refresh.
   *
   * @param client the client's address (the request's source)
   * @param server the server's address (the request's destination)
   * @throws IllegalArgumentException if the lengths are not both 4 or both 16
   */
  public int cookie(SessionKeyEngine engine, byte[] client, byte[] server, long nowSeconds) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(server, "server");
    return engine.nextKeyId(client, server, 0, privateValue(nowSeconds));
  }

  private int privateValue(long now) {
    if (random == null) {
      return 0;
    }
    State s = state;
    if (s != null && now < s.refreshAt) {
      return s.privateValue;
    }
    return refresh(now);
  }

  private synchronized int refresh(long now) {
    State s = state;
    if (s == null || now >= s.refreshAt) {
      long at = now > Long.MAX_VALUE - intervalSeconds ? Long.MAX_VALUE : now + intervalSeconds;
      s = new State(random.nextInt(), at);
      state = s;
    }
    return s.privateValue;
  }

  @Override
  public String toString() {
    return random == null
        ? "ServerCookies[ntpd 4.2.8p15 compatible: private value 0]"
        : "ServerCookies[random private value, refreshed every " + intervalSeconds + " s]";
  }
}
