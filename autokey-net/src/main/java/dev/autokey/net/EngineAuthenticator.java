package dev.autokey.net;

import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The common part of the engine adapters: on transmit the engine appends its fields and MAC to
 * the header the NTP layer built; on receive its {@link Verdict} becomes an {@link AuthResult}.
 */
abstract class EngineAuthenticator implements PacketAuthenticator {
  private final NtpClock clock;
  private final Consumer<Verdict> verdicts;

  EngineAuthenticator(NtpClock clock, Consumer<Verdict> verdicts) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
  }

  /** The engine's complete datagram for {@code header}, or {@code null} to send nothing. */
  abstract byte[] transmit(NtpHeader header, long now);

  /** The engine's verdict on a received datagram. */
  abstract Verdict receive(byte[] buf, int off, int len, InetAddress source,
      InetAddress destination, long rxTime);

  @Override
  public final boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
    byte[] h = new byte[NtpHeader.LENGTH];
    packet.get(0, h);
    byte[] datagram = transmit(NtpHeader.of(h), clock.now());
    if (datagram == null || datagram.length > packet.capacity()) {
      return false;
    }
    packet.clear();
    packet.put(datagram);
    return true;
  }

  @Override
  public final AuthResult open(Datagram d) {
    Verdict v = receive(d.array(), 0, d.length(), d.source().getAddress(),
        d.local().getAddress(), d.receiveTime());
    verdicts.accept(v);
    return toResult(v);
  }

  static AuthResult toResult(Verdict v) {
    switch (v.kind()) {
      case ACCEPTED:
        return AuthResult.usable();
      case AUTHENTIC:
        return AuthResult.protocolOnly(v.detail());
      case IGNORED:
        return AuthResult.ignored(v.detail());
      default:
        return AuthResult.rejected(v.event(), v.detail());
    }
  }
}
