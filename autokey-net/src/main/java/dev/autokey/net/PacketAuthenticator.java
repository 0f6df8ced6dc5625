package dev.autokey.net;

import dev.autokey.core.protocol.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Authentication of one association (client, broadcast server or client, symmetric peer): the
 * hook through which the Autokey association engine (or symmetric-key authentication, or
 * nothing) runs on the transport. The NTP layer builds the 48-byte header; the authenticator
 * appends extension fields and the MAC on transmit and judges received packets. All calls come
 * from the transport's loop thread.
 */
public interface PacketAuthenticator {
  /**
   * Completes an outgoing packet in place. {@code packet} is the node's send buffer, a heap
   * buffer holding the 48-byte NTP header at {@code [0, 48)}, position 48, limit = capacity
   * ({@value UdpTransport#MAX_DATAGRAM}); append extension fields and MAC and leave the position
   * at the end of the packet.
   *
   * @param local the address the packet is sent from (the session key's source)
   * @param remote the address it is sent to (the session key's destination; a broadcast address
   *     for broadcast mode)
   * @return {@code false} to send nothing this time
   */
  boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote);

  /**
   * Judges a received packet that passed the NTP header checks (origin match, no duplicate).
   * {@link Datagram#source()} and {@link Datagram#local()} are the session key's source and
   * destination. Must not keep the datagram past the call.
   *
   * @return the decision: {@link Verdict.Kind#ACCEPTED} packets become time samples, {@link
   *     Verdict.Kind#AUTHENTIC} ones only count as answers (reachability), {@link
   *     Verdict.Kind#IGNORED} and {@link Verdict.Kind#REJECTED} ones are dropped (rejections are
   *     reported to {@link NtpNode.Builder#rejections})
   */
  Verdict open(Datagram datagram);

  /**
   * Whether this authenticator really authenticates (drives {@link TimeSample#authenticated()});
   * {@code false} only for {@link #none()}.
   */
  default boolean authenticates() {
    return true;
  }

  /** No authentication (cryptotype NONE): nothing appended, every packet usable. */
  static PacketAuthenticator none() {
    return NoAuthentication.INSTANCE;
  }
}
