package dev.autokey.net;

import dev.autokey.core.XEvent;
import dev.autokey.core.protocol.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Cryptotype NONE. */
enum NoAuthentication implements PacketAuthenticator, ServerAuthenticator {
  INSTANCE;

  private static final Verdict ACCEPTED = new Verdict(Verdict.Kind.ACCEPTED, Verdict.Cause.OK,
      XEvent.OK, false, 0, 0, "no authentication");

  @Override
  public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
    return true;
  }

  @Override
  public boolean authenticates() {
    return false;
  }

  @Override
  public Verdict open(Datagram datagram) {
    return ACCEPTED;
  }

  @Override
  public boolean respond(Datagram request, ByteBuffer reply) {
    return true;
  }
}
