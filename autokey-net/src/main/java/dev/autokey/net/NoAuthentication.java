package dev.autokey.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Cryptotype NONE. */
enum NoAuthentication implements PacketAuthenticator, ServerAuthenticator {
  INSTANCE;

  @Override
  public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
    return true;
  }

  @Override
  public boolean authenticates() {
    return false;
  }

  @Override
  public AuthResult open(Datagram datagram) {
    return AuthResult.usable();
  }

  @Override
  public boolean respond(Datagram request, ByteBuffer reply) {
    return true;
  }
}
