package dev.autokey.net;

import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs an Autokey {@link SymmetricPeer} (symmetric active or passive, {@code peer ADDR autokey})
 * as the {@link PacketAuthenticator} of an {@link NtpNode#peer} association: each transmission
 * carries the queued response to the peer's last request and our next request; received packets
 * are judged by the peer engine (key IDs hashed back along the peer's key list, as designed).
 * Drive its timers with {@link AutokeyTimers#add}.
 */
public final class AutokeyPeerAuthenticator implements PacketAuthenticator {
  private final SymmetricPeer peer;
  private final NtpClock clock;
  private final Consumer<Verdict> verdicts;

  /** An authenticator for {@code peer}; {@code verdicts} receives every verdict. */
  public AutokeyPeerAuthenticator(SymmetricPeer peer, NtpClock clock, Consumer<Verdict> verdicts) {
    this.peer = Objects.requireNonNull(peer, "peer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
  }

  /** The symmetric peer engine. */
  public SymmetricPeer peer() {
    return peer;
  }

  @Override
  public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
    byte[] h = new byte[NtpHeader.LENGTH];
    packet.get(0, h);
    byte[] datagram = peer.prepareTransmit(NtpHeader.of(h), clock.now());
    if (datagram.length > packet.capacity()) {
      return false;
    }
    packet.clear();
    packet.put(datagram);
    return true;
  }

  @Override
  public AuthResult open(Datagram d) {
    Verdict v = peer.receive(d.array(), 0, d.length(), d.source().getAddress(),
        d.local().getAddress(), d.receiveTime());
    verdicts.accept(v);
    return AutokeyAuthenticator.toResult(v);
  }
}
