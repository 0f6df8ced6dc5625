package dev.autokey.net;

import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs an Autokey {@link SymmetricPeer} (symmetric active or passive, {@code peer ADDR autokey})
 * as the {@link PacketAuthenticator} of an {@link NtpNode#peer} association: each transmission
 * carries the queued response to the peer's last request and our next request; received packets
 * are judged by the peer engine (key IDs hashed back along the peer's key list, as designed).
 * Drive its timers with {@link AutokeyTimers#add}.
 */
public final class AutokeyPeerAuthenticator extends EngineAuthenticator {
  private final SymmetricPeer peer;

  /** An authenticator for {@code peer}; {@code verdicts} receives every verdict. */
  public AutokeyPeerAuthenticator(SymmetricPeer peer, NtpClock clock, Consumer<Verdict> verdicts) {
    super(clock, verdicts);
    this.peer = Objects.requireNonNull(peer, "peer");
  }

  /** The symmetric peer engine. */
  public SymmetricPeer peer() {
    return peer;
  }

  @Override
  byte[] transmit(NtpHeader header, long now) {
    return peer.prepareTransmit(header, now);
  }

  @Override
  Verdict receive(byte[] buf, int off, int len, InetAddress source, InetAddress destination,
      long rxTime) {
    return peer.receive(buf, off, len, source, destination, rxTime);
  }
}
