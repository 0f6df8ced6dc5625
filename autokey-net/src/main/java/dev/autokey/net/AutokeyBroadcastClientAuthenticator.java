package dev.autokey.net;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs one Autokey {@link BroadcastClient} (ntpd's {@code broadcastclient}) as a
 * {@link BroadcastClientAuthenticator}: mobilised by the server's ASSOC broadcast
 * ({@link #factory}), it runs the client volley (CERT, identity, COOK, AUTO, SIGN, LEAP) by
 * unicast against the server, then verifies each broadcast's MAC (server, broadcast address, key
 * ID, cookie 0) and key-ID chain; a broken chain makes it ask for the AUTO values again by
 * unicast. A reset association reports {@link #isDemobilised()} and the node mobilises a new one
 * from the next ASSOC broadcast. The engine's timers run from {@link #seal} and {@link #open}.
 *
 * <pre>{@code
 * node.broadcastClient(AutokeyBroadcastClientAuthenticator.factory(host, clock, v -> { },
 *     a -> { }), NtpNode.DEFAULT_BROADCAST_DELAY, samples::add);
 * }</pre>
 */
public final class AutokeyBroadcastClientAuthenticator extends EngineAuthenticator
    implements BroadcastClientAuthenticator {
  private static final System.Logger LOG =
      System.getLogger(AutokeyBroadcastClientAuthenticator.class.getName());

  private final BroadcastClient client;

  /**
   * An authenticator for {@code client}.
   *
   * @param clock the clock handed to the engine as "now"
   * @param verdicts receives every verdict (for logging; may ignore them)
   */
  public AutokeyBroadcastClientAuthenticator(BroadcastClient client, NtpClock clock,
      Consumer<Verdict> verdicts) {
    super(clock, verdicts);
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * A factory that mobilises a {@link BroadcastClient} of {@code host} from each server's first
   * valid ASSOC broadcast (identity group: the host's {@code ident}, else the group of the
   * server's name). A broadcast that does not mobilise (no Autokey MAC, bad MAC, no ASSOC
   * response, refused ASSOC) is dropped.
   *
   * @param clock the clock handed to the engine as "now"
   * @param verdicts receives every verdict of every mobilised client
   * @param mobilised told of each new authenticator (e.g. to watch its flags)
   */
  public static BroadcastClientAuthenticator.Factory factory(AutokeyHost host, NtpClock clock,
      Consumer<Verdict> verdicts, Consumer<? super AutokeyBroadcastClientAuthenticator> mobilised) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(verdicts, "verdicts");
    Objects.requireNonNull(mobilised, "mobilised");
    return (d, local) -> {
      Optional<BroadcastClient> c;
      try {
        c = BroadcastClient.mobilise(host, local.getAddress(), d.array(), 0, d.length(),
            d.source().getAddress(), d.local().getAddress(), d.receiveTime(), Optional.empty());
      } catch (AutokeyException ex) {
        LOG.log(Level.DEBUG, () -> "broadcast from " + d.source() + " refused: "
            + ex.event().ntpdName() + " " + ex.getMessage());
        return Optional.empty();
      }
      if (c.isEmpty()) {
        return Optional.empty();
      }
      AutokeyBroadcastClientAuthenticator a =
          new AutokeyBroadcastClientAuthenticator(c.get(), clock, verdicts);
      mobilised.accept(a);
      return Optional.of(a);
    };
  }

  /** The engine's broadcast client (flags, accepted broadcasts, volley state). */
  public BroadcastClient client() {
    return client;
  }

  @Override
  public boolean wantsUnicast() {
    return client.wantsToTransmit();
  }

  @Override
  public boolean isDemobilised() {
    return client.isDemobilised();
  }

  @Override
  byte[] transmit(NtpHeader header, long now) {
    runTimers(now);
    if (!client.wantsToTransmit()) {
      return null;
    }
    return client.prepareTransmit(header, now);
  }

  @Override
  Verdict receive(byte[] buf, int off, int len, InetAddress source, InetAddress destination,
      long rxTime) {
    runTimers(rxTime);
    return client.receive(buf, off, len, source, destination, rxTime);
  }

  private void runTimers(long now) {
    if (!client.isDemobilised() && NtpTime.due(client.nextDeadline(), now)) {
      client.onTimer(now);
    }
  }

  /** Forgets the engine's association (its ID is no longer in use on the host). */
  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "AutokeyBroadcastClientAuthenticator[" + client + "]";
  }
}
