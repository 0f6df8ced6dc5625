package dev.autokey.net;

import dev.autokey.core.protocol.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Watches the datagrams of an {@link AutokeyClient}'s associations, for logging and demos (the
 * {@code ./autokey demo} prints every extension field with it). Called on the transport's loop
 * thread, so keep it short; it cannot change what is sent or accepted. Every method does nothing
 * by default.
 */
public interface PacketListener {
  /** Watches nothing. */
  PacketListener NONE = new PacketListener() { };

  /**
   * A datagram was completed by the engine (header, extension field if any, MAC) and is about to
   * be sent.
   *
   * @param datagram the whole datagram, read-only, position 0, limit = its length
   * @param local the local address it is sent from
   * @param remote the server it is sent to
   */
  default void sent(ByteBuffer datagram, InetSocketAddress local, InetSocketAddress remote) { }

  /**
   * A reply passed the NTP checks (origin matches our request, no duplicate) and goes to the
   * engine next; the protocol events it causes follow this call.
   *
   * @param datagram the reply, valid only during this call
   */
  default void received(Datagram datagram) { }

  /**
   * The engine judged a reply (after the protocol events it caused).
   *
   * @param datagram the reply, valid only during this call
   * @param verdict the engine's decision: {@link Verdict.Kind#ACCEPTED} replies become samples
   */
  default void judged(Datagram datagram, Verdict verdict) { }
}
