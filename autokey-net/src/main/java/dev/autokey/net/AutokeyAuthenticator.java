package dev.autokey.net;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.protocol.AutokeyEngine;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.Verdict;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs an Autokey engine of any mode as the authenticator of an {@link NtpNode} association: a
 * client {@code Association} ({@link NtpNode#client}), a {@code SymmetricPeer} ({@link
 * NtpNode#peer}), a {@code BroadcastServer} ({@link NtpNode#broadcastServer}) or a {@code
 * BroadcastClient} ({@link #broadcastClients}, for {@link NtpNode#broadcastClient}).
 *
 * <p>Transmit: the node writes the NTP header into its send buffer and the engine {@linkplain
 * AutokeyEngine#seal seals} it there, appending the extension field the protocol needs next and
 * the MAC; nothing is copied and, in steady state, nothing allocated. Receive: the engine judges
 * the datagram with its sender and the local address it arrived on (the broadcast address for
 * broadcasts), and its {@link Verdict} is the result: only {@link Verdict.Kind#ACCEPTED} packets
 * become time samples. The engine's timers are driven by the {@link AutokeyTimers} given here,
 * from construction until {@link #close()}.
 *
 * <p>For a broadcast client the authenticator also says when the engine wants its unicast
 * volley ({@link #wantsUnicast()}; until then, and after it, requests are not sealed) and when it
 * has been demobilised. All calls but the constructor come from the node's loop thread.
 *
 * <pre>{@code
 * AutokeyTimers timers = AutokeyTimers.start(node.transport(), clock, host);
 * Association a = host.client(local.getAddress(), server.getAddress(), Optional.empty());
 * node.client(server, AssociationOptions.builder().local(local)
 *     .authenticator(new AutokeyAuthenticator(a, timers)).listener(samples::add).build());
 * }</pre>
 */
public final class AutokeyAuthenticator implements BroadcastClientAuthenticator {
  private static final System.Logger LOG = System.getLogger(AutokeyAuthenticator.class.getName());

  private final AutokeyEngine engine;
  private final AutokeyTimers timers;
  private final Consumer<Verdict> verdicts;
  // the one mode that needs more than the engine interface: null for the other modes
  private final BroadcastClient broadcastClient;

  /**
   * An authenticator for {@code engine}, whose timers {@code timers} drives from now on.
   *
   * @param timers the driver of the engine's host (its clock is the engine's "now")
   */
  public AutokeyAuthenticator(AutokeyEngine engine, AutokeyTimers timers) {
    this(engine, timers, v -> { });
  }

  /**
   * As {@link #AutokeyAuthenticator(AutokeyEngine, AutokeyTimers)}; {@code verdicts} also receives
   * every verdict (for logging and tests), on the loop thread.
   */
  public AutokeyAuthenticator(AutokeyEngine engine, AutokeyTimers timers,
      Consumer<Verdict> verdicts) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
    this.broadcastClient = engine instanceof BroadcastClient ? (BroadcastClient) engine : null;
    timers.add(engine);
  }

  /**
   * A factory that mobilises a {@code BroadcastClient} of {@code timers}' host from each
   * server's first valid ASSOC broadcast ({@code BroadcastClient.mobilise}; identity group: the
   * host's {@code ident}, else the group of the server's name). A broadcast that does not
   * mobilise (no Autokey MAC, bad MAC, no ASSOC response, refused ASSOC) is dropped.
   *
   * @param verdicts receives every verdict of every mobilised client
   * @param mobilised told of each new engine (e.g. to watch its flags)
   */
  public static BroadcastClientAuthenticator.Factory broadcastClients(AutokeyTimers timers,
      Consumer<Verdict> verdicts, Consumer<? super BroadcastClient> mobilised) {
    Objects.requireNonNull(timers, "timers");
    Objects.requireNonNull(verdicts, "verdicts");
    Objects.requireNonNull(mobilised, "mobilised");
    AutokeyHost host = timers.host();
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
      c.ifPresent(mobilised);
      return c.map(e -> new AutokeyAuthenticator(e, timers, verdicts));
    };
  }

  /** The engine. */
  public AutokeyEngine engine() {
    return engine;
  }

  /**
   * Seals the packet in place: {@code packet} must be a heap buffer (the node's send buffer)
   * holding the header at {@code [0, 48)}, position 48. Returns {@code false}, sending nothing,
   * when the engine has nothing to send (a broadcast server whose host is unsynchronised, a
   * broadcast client outside its volley).
   *
   * @throws IllegalArgumentException for a buffer without an accessible array
   */
  @Override
  public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
    if (!packet.hasArray()) {
      throw new IllegalArgumentException("needs a heap buffer: " + packet);
    }
    if (broadcastClient != null && !broadcastClient.wantsToTransmit()) {
      return false;
    }
    int n = engine.seal(packet.array(), packet.arrayOffset(), packet.capacity(),
        timers.clock().now());
    if (n == 0) {
      return false;
    }
    packet.limit(packet.capacity()).position(n);
    return true;
  }

  @Override
  public Verdict open(Datagram d) {
    Verdict v = engine.receive(d.array(), 0, d.length(), d.source().getAddress(),
        d.local().getAddress(), d.receiveTime());
    verdicts.accept(v);
    return v;
  }

  /** A broadcast client during its volley or after a broken key-ID chain; else {@code false}. */
  @Override
  public boolean wantsUnicast() {
    return broadcastClient != null && broadcastClient.wantsToTransmit();
  }

  /** Whether the engine is a broadcast client that has been reset; else {@code false}. */
  @Override
  public boolean isDemobilised() {
    return broadcastClient != null && broadcastClient.isDemobilised();
  }

  /**
   * Stops driving the engine's timers; a broadcast client also forgets its association (its ID
   * is no longer in use on the host).
   */
  @Override
  public void close() {
    timers.remove(engine);
    if (broadcastClient != null) {
      broadcastClient.close();
    }
  }

  @Override
  public String toString() {
    return "AutokeyAuthenticator[" + engine + "]";
  }
}
