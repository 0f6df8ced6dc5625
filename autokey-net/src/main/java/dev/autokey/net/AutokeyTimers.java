package dev.autokey.net;

import dev.autokey.core.protocol.AutokeyEngine;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The one timer driver of the Autokey engine on a {@link UdpTransport}: once a second, on the
 * loop thread, it calls {@code onTimer(now)} of the host and of every registered {@link
 * AutokeyEngine} whose {@code nextDeadline()} has come (key-list ageing, protocol refresh, the
 * host's signature and private-value updates). Every {@link AutokeyAuthenticator} registers its
 * engine here for its lifetime. The engine's timers are minutes to days apart, so a one-second
 * resolution is ample.
 *
 * <pre>{@code
 * AutokeyTimers timers = AutokeyTimers.start(node.transport(), node.clock(), host);
 * node.client(server, AssociationOptions.builder()
 *     .authenticator(new AutokeyAuthenticator(host.client(local, remote, Optional.empty()),
 *         timers)).build());
 * }</pre>
 */
public final class AutokeyTimers implements Cancellable {
  /** Check period: 1 s. */
  public static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final UdpTransport transport;
  private final NtpClock clock;
  private final AutokeyHost host;
  // copied on every change (rare), so that the once-a-second walk allocates nothing
  private volatile AutokeyEngine[] engines = new AutokeyEngine[0];
  private volatile boolean cancelled;
  private Cancellable next;

  private AutokeyTimers(UdpTransport transport, NtpClock clock, AutokeyHost host) {
    this.transport = transport;
    this.clock = clock;
    this.host = host;
  }

  /**
   * Starts driving {@code host}'s timers, reading {@code clock} as the engine's "now" (engines
   * join with {@link #add}, normally through an {@link AutokeyAuthenticator}).
   */
  public static AutokeyTimers start(UdpTransport transport, NtpClock clock, AutokeyHost host) {
    AutokeyTimers t = new AutokeyTimers(Objects.requireNonNull(transport, "transport"),
        Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(host, "host"));
    transport.execute(t::tick);
    return t;
  }

  /**
   * A driver that schedules nothing: its owner calls {@link #runDue} (engine-level tests, which
   * run without a transport).
   */
  static AutokeyTimers unscheduled(NtpClock clock, AutokeyHost host) {
    return new AutokeyTimers(null, Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(host, "host"));
  }

  /** The clock read as the engine's "now" (also by the authenticators registered here). */
  public NtpClock clock() {
    return clock;
  }

  /** The host whose timers are driven. */
  public AutokeyHost host() {
    return host;
  }

  /** Also drives {@code engine}'s timers (from any thread); adding it twice drives it once. */
  public AutokeyTimers add(AutokeyEngine engine) {
    Objects.requireNonNull(engine, "engine");
    synchronized (this) {
      if (!drives(engine)) {
        AutokeyEngine[] e = Arrays.copyOf(engines, engines.length + 1);
        e[e.length - 1] = engine;
        engines = e;
      }
    }
    return this;
  }

  /** Stops driving {@code engine}'s timers (from any thread). */
  public synchronized void remove(AutokeyEngine engine) {
    List<AutokeyEngine> l = new ArrayList<>(Arrays.asList(engines));
    if (l.remove(engine)) {
      engines = l.toArray(new AutokeyEngine[0]);
    }
  }

  /** Whether {@code engine}'s timers are driven. */
  public boolean drives(AutokeyEngine engine) {
    for (AutokeyEngine e : engines) {
      if (e == engine) {
        return true;
      }
    }
    return false;
  }

  private void tick() {
    if (cancelled) {
      return;
    }
    runDue(clock.now());
    next = transport.schedule(PERIOD_NANOS, this::tick);
  }

  /** Runs the timers that are due at {@code now} (loop thread). */
  void runDue(long now) {
    if (NtpTime.due(host.nextDeadline(), now)) {
      host.onTimer(now);
    }
    for (AutokeyEngine e : engines) {
      if (NtpTime.due(e.nextDeadline(), now)) {
        e.onTimer(now);
      }
    }
  }

  /** Stops driving every timer. */
  @Override
  public void cancel() {
    cancelled = true;
    transport.execute(() -> {
      if (next != null) {
        next.cancel();
      }
    });
  }
}
