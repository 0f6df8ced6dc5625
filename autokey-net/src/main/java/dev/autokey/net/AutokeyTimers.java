package dev.autokey.net;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Drives the Autokey engine's timers ({@code nextDeadline()} / {@code onTimer(now)} of the host
 * and its associations) from a {@link UdpTransport}'s loop thread: it looks once a second and
 * calls {@code onTimer} for whatever is due. The engine's timers are minutes to days apart, so a
 * one-second resolution is ample.
 */
public final class AutokeyTimers implements Cancellable {
  /** Check period: 1 s. */
  public static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final UdpTransport transport;
  private final NtpClock clock;
  private final AutokeyHost host;
  private final List<Association> associations = new CopyOnWriteArrayList<>();
  private volatile boolean cancelled;
  private Cancellable next;

  private AutokeyTimers(UdpTransport transport, NtpClock clock, AutokeyHost host) {
    this.transport = transport;
    this.clock = clock;
    this.host = host;
  }

  /** Starts driving {@code host}'s timers (add its associations with {@link #add}). */
  public static AutokeyTimers start(UdpTransport transport, NtpClock clock, AutokeyHost host) {
    AutokeyTimers t = new AutokeyTimers(Objects.requireNonNull(transport, "transport"),
        Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(host, "host"));
    transport.execute(t::tick);
    return t;
  }

  /** Also drives {@code a}'s timers. */
  public AutokeyTimers add(Association a) {
    associations.add(Objects.requireNonNull(a, "association"));
    return this;
  }

  private void tick() {
    if (cancelled) {
      return;
    }
    long now = clock.now();
    if (NtpTime.due(host.nextDeadline(), now)) {
      host.onTimer(now);
    }
    for (Association a : associations) {
      if (NtpTime.due(a.nextDeadline(), now)) {
        a.onTimer(now);
      }
    }
    next = transport.schedule(PERIOD_NANOS, this::tick);
  }

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
