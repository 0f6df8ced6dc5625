package dev.autokey.net;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;
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
public final class AutokeyAuthenticator extends EngineAuthenticator {
  private final Association association;

  /**
   * An authenticator for {@code association}.
   *
   * @param clock the clock handed to the engine as "now"
   * @param verdicts receives every verdict (for logging; may ignore them)
   */
  public AutokeyAuthenticator(Association association, NtpClock clock,
      Consumer<Verdict> verdicts) {
    super(clock, verdicts);
    this.association = Objects.requireNonNull(association, "association");
  }

  /** The association. */
  public Association association() {
    return association;
  }

  @Override
  byte[] transmit(NtpHeader header, long now) {
    return association.prepareTransmit(header, now);
  }

  @Override
  Verdict receive(byte[] buf, int off, int len, InetAddress source, InetAddress destination,
      long rxTime) {
    return association.receive(buf, off, len, source, destination, rxTime);
  }
}
