package dev.autokey.net;

import java.nio.ByteBuffer;

/**
 * Authentication of a stateless server's replies (ntpd's fast path): the hook for the Autokey
 * server responder. Called on the transport's loop thread.
 */
public interface ServerAuthenticator {
  /**
   * Completes the reply to {@code request}. {@code reply} holds the 48-byte reply header at
   * {@code [0, 48)}, position 48, limit = capacity ({@value UdpTransport#MAX_DATAGRAM}); append
   * extension fields and MAC (or a crypto-NAK) and leave the position at the end.
   * {@link Datagram#source()} is the client, {@link Datagram#local()} the server address the
   * request arrived on.
   *
   * @return {@code false} to send no reply
   */
  boolean respond(Datagram request, ByteBuffer reply);

  /** No authentication: replies carry no MAC, whatever the request carried. */
  static ServerAuthenticator none() {
    return NoAuthentication.INSTANCE;
  }
}
