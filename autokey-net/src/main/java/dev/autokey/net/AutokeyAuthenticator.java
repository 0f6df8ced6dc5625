package dev.autokey.net;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs one Autokey {@link Association} (client, symmetric or broadcast, from
 * {@code dev.autokey.core.protocol.AutokeyHost}) as a {@link PacketAuthenticator}: on transmit
 * the engine appends its extension field and MAC to the header the NTP layer built; on receive
 * it gets the datagram with the sender and the local address it arrived on (the broadcast
 * address for broadcasts) and its {@link Verdict} decides whether a time sample is taken. The
 * engine's timers are driven by {@link AutokeyTimers}.
 */
public final class AutokeyAuthenticator implements PacketAuthenticator {
  private final Association association;
  private final NtpClock clock;
  private final Consumer<Verdict> verdicts;

  /**
   * An authenticator for {@code association}.
   *
   * @param clock the clock handed to the engine as "now"
   * @param verdicts receives every verdict (for logging; may ignore them)
   */
  public AutokeyAuthenticator(Association association, NtpClock clock,
      Consumer<Verdict> verdicts) {
    this.association = Objects.requireNonNull(association, "association");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
  }

  /** The association. */
  public Association association() {
    return association;
  }

  @Override
  public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
    byte[] h = new byte[NtpHeader.LENGTH];
    packet.get(0, h);
    byte[] datagram = association.prepareTransmit(NtpHeader.of(h), clock.now());
    if (datagram.length > packet.capacity()) {
      return false;
    }
    packet.clear();
    packet.put(datagram);
    return true;
  }

  @Override
  public AuthResult open(Datagram d) {
    Verdict v = association.receive(d.array(), 0, d.length(), d.source().getAddress(),
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
