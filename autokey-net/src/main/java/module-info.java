/**
 * UDP transport and the minimal NTP time exchange for Autokey (JDK {@code DatagramChannel} only).
 * Runs an authenticator (the Autokey association engine, or none) on real sockets; never sets
 * the system clock.
 */
module dev.autokey.net {
  requires transitive dev.autokey.core;
  requires com.google.common;

  exports dev.autokey.net;
  // dev.autokey.net.internal is deliberately never exported.
}
