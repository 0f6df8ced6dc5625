package dev.autokey.core.protocol;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * One Autokey host: configuration, own credentials ({@link CryptoSuite}), certificate cache,
 * signature-update time ({@code upd}), server private value, and its associations and responder.
 * ntpd keeps these as globals; here they are one object, so several hosts can run in one JVM
 * (see {@code dev.autokey.core.sim}).
 *
 * <p>Thread-safety: a host and its responder may be used from several threads; each {@link
 * Association} must be used by one thread at a time.
 */
public final class AutokeyHost {
  private final AutokeyConfig config;
  private final CryptoSuite suite;
  private final SecureRandom random;
  private final ProtocolEventListener listener;

  private AutokeyHost(AutokeyConfig config, CryptoSuite suite, SecureRandom random,
      ProtocolEventListener listener) {
    this.config = config;
    this.suite = suite;
    this.random = random;
    this.listener = listener;
  }

  /**
   * Creates a host.
   *
   * @param config configuration
   * @param suite the host's crypto
   * @param random the only source of randomness the engine uses
   * @param listener receives events synchronously
   */
  public static AutokeyHost create(AutokeyConfig config, CryptoSuite suite, SecureRandom random,
      ProtocolEventListener listener) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(listener, "listener");
    throw new UnsupportedOperationException(
        "AutokeyHost: engine not implemented yet (issue 7 in progress)");
  }

  /** The configuration. */
  public AutokeyConfig config() {
    return config;
  }

  /** The Autokey host name (own certificate subject). */
  public String hostName() {
    return suite.hostName();
  }

  /**
   * Tells the host whether its clock is synchronised (ntpd: leap indicator ≠ 3). The first
   * transition to synchronised runs a signature update ({@code crypto_update}); while
   * unsynchronised, timestamps sent are 0 and nothing is signed.
   */
  public void setSynchronised(boolean synchronised, long now) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * A unicast client association ({@code server ADDR autokey [ident G]}).
   *
   * @param local the local address the association sends from (session keys use it)
   * @param server the server's address
   * @param ident the association's group name, if any
   */
  public Association client(InetAddress local, InetAddress server, Optional<String> ident) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The stateless server responder of this host (ntpd's fast path). */
  public ServerResponder responder() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The host's earliest timer (private-value revoke), or {@link NtpTime#NEVER}. */
  public long nextDeadline() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Runs the host's due timers. */
  public void onTimer(long now) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
