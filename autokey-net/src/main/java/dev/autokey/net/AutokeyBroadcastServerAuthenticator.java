package dev.autokey.net;

import dev.autokey.core.protocol.BroadcastServer;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs an Autokey {@link BroadcastServer} (ntpd's {@code broadcast ADDR autokey}) as the
 * {@link PacketAuthenticator} of {@link NtpNode#broadcastServer}: each mode-5 broadcast gets the
 * engine's extension field (signed AUTO values after each new key list, else ASSOC) and the MAC
 * keyed with (server, broadcast address, key ID, cookie 0). Nothing is sent while the Autokey
 * host is unsynchronised. The clients' unicast volley (including their AUTO requests, answered
 * from this server's published values) is answered by the same host's responder on the node
 * ({@link AutokeyResponderAuthenticator} via {@link NtpNode.Builder#serve}). The engine's timers
 * run at each broadcast.
 *
 * <pre>{@code
 * BroadcastServer bs = host.broadcastServer(serverAddress, broadcastAddress);
 * node.broadcastServer(from, new InetSocketAddress(broadcastAddress, 123), 3,
 *     Duration.ofSeconds(8), new AutokeyBroadcastServerAuthenticator(bs, clock));
 * }</pre>
 */
public final class AutokeyBroadcastServerAuthenticator implements PacketAuthenticator {
  private final BroadcastServer server;
  private final NtpClock clock;
  private volatile long broadcasts;

  /** An authenticator over {@code server}, with {@code clock} as the engine's "now". */
  public AutokeyBroadcastServerAuthenticator(BroadcastServer server, NtpClock clock) {
    this.server = Objects.requireNonNull(server, "server");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The engine's broadcast server. */
  public BroadcastServer server() {
    return server;
  }

  /** Broadcasts sealed so far. */
  public long broadcasts() {
    return broadcasts;
  }

  /**
   * Completes a broadcast; {@code local} and {@code remote} must be the server's unicast
   * address and the broadcast address the engine's server was created with.
   *
   * @throws IllegalArgumentException if the addresses differ from the engine's server
   */
  @Override
  public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
    if (!local.getAddress().equals(server.localAddress())
        || !remote.getAddress().equals(server.broadcastAddress())) {
      throw new IllegalArgumentException("broadcast " + local + " -> " + remote
          + " does not match " + server);
    }
    long now = clock.now();
    if (NtpTime.due(server.nextDeadline(), now)) {
      server.onTimer(now);
    }
    byte[] h = new byte[NtpHeader.LENGTH];
    packet.get(0, h);
    Optional<byte[]> d = server.prepareBroadcast(NtpHeader.of(h), now);
    if (d.isEmpty() || d.get().length > packet.capacity()) {
      return false;
    }
    packet.clear();
    packet.put(d.get());
    broadcasts++;
    return true;
  }

  /** A broadcast server receives nothing on its association: every packet is ignored. */
  @Override
  public AuthResult open(Datagram datagram) {
    return AuthResult.ignored("broadcast server");
  }

  @Override
  public String toString() {
    return "AutokeyBroadcastServerAuthenticator[" + server + "]";
  }
}
