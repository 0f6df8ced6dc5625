package dev.autokey.net;

import dev.autokey.core.protocol.Verdict;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Authentication of a broadcast client's association with one broadcast server. Besides judging
 * the server's broadcasts (mode 5, {@link #open} with {@link Datagram#local()} = the broadcast
 * address) it may need a unicast exchange with the server, as Autokey's volley does: while
 * {@link #wantsUnicast()} holds, the node polls the server's unicast address in mode 3 from the
 * client's unicast address, {@link #seal} builds those requests and {@link #open} also judges
 * the mode-4 replies. All calls come from the transport's loop thread.
 *
 * <p>A plain {@link PacketAuthenticator} is a broadcast client authenticator that never wants
 * unicast and is never demobilised ({@link #of}).
 */
public interface BroadcastClientAuthenticator extends PacketAuthenticator {
  /**
   * Whether a unicast request to the server is due at the next poll (Autokey: during the volley
   * and after a broken key-ID chain). While it is {@code false}, {@link #seal} is not called
   * or returns {@code false}.
   */
  boolean wantsUnicast();

  /**
   * Whether this association has given up (Autokey: reset by a protocol error, crypto-NAK or
   * refresh). The node then forgets it and mobilises a fresh one from the server's next
   * broadcast, as ntpd does with its ephemeral broadcast client associations.
   */
  boolean isDemobilised();

  /**
   * Called once when the node forgets this association (after {@link #isDemobilised()}, or when
   * the node closes); releases engine state. Default: nothing.
   */
  default void close() {}

  /**
   * Mobilises the authentication for a broadcast server the client has not heard before.
   */
  @FunctionalInterface
  interface Factory {
    /**
     * Called for a broadcast from a server without an association.
     *
     * @param broadcast the broadcast ({@link Datagram#source()} the server's unicast address,
     *     {@link Datagram#local()} the broadcast address it was sent to)
     * @param local the client's unicast socket address a volley would be sent from
     * @return the association's authenticator, or empty if this broadcast does not mobilise one
     *     (Autokey: no valid ASSOC broadcast); the node then also judges {@code broadcast} with
     *     it ({@link #open})
     */
    Optional<BroadcastClientAuthenticator> mobilise(Datagram broadcast, InetSocketAddress local);
  }

  /** {@code authenticator} as a broadcast client authenticator without unicast exchange. */
  static BroadcastClientAuthenticator of(PacketAuthenticator authenticator) {
    java.util.Objects.requireNonNull(authenticator, "authenticator");
    return new BroadcastClientAuthenticator() {
      @Override
      public boolean wantsUnicast() {
        return false;
      }

      @Override
      public boolean isDemobilised() {
        return false;
      }

      @Override
      public boolean seal(java.nio.ByteBuffer packet, InetSocketAddress local,
          InetSocketAddress remote) {
        return false;
      }

      @Override
      public Verdict open(Datagram datagram) {
        return authenticator.open(datagram);
      }

      @Override
      public boolean authenticates() {
        return authenticator.authenticates();
      }
    };
  }
}
