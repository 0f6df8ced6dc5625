package dev.autokey.core.sim;

import dev.autokey.core.protocol.NtpTime;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * A deterministic discrete-event network: a virtual clock, nodes, links with {@link
 * LinkProfile}s, and an optional {@link OnPathAttacker}. All randomness of the network (delays,
 * loss, duplication, reordering) comes from one {@link Random} seeded at construction; nodes get
 * their own seeded randomness from their creator. Not thread-safe: run it from one thread.
 */
public final class SimNetwork {
  /** Longest a single {@link #runUntil} may run, in virtual seconds (about 136 years). */
  public static final long MAX_RUN_SECONDS = 0xFFFF_FFFFL;

  private record Event(long time, long seq, SimNode node, SimDatagram datagram)
      implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compareUnsigned(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final Random random;
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<InetAddress, List<SimNode>> byAddress = new HashMap<>();
  private final Map<String, LinkProfile> links = new HashMap<>();
  private final Context context = new Context();
  private LinkProfile defaultLink = LinkProfile.perfect();
  private OnPathAttacker attacker = OnPathAttacker.NONE;
  private long now;
  private long seq;
  private long sent;
  private long delivered;
  private long lost;
  private long duplicated;
  private long undeliverable;

  /**
   * A network.
   *
   * @param seed seed of all link randomness
   * @param start the virtual start time (NTP 64-bit)
   */
  public SimNetwork(long seed, long start) {
    this.random = new Random(seed);
    this.now = start;
  }

  /** The virtual time. */
  public long now() {
    return now;
  }

  /** Sets the profile of links without their own. */
  public SimNetwork defaultLink(LinkProfile p) {
    this.defaultLink = Objects.requireNonNull(p, "profile");
    return this;
  }

  /** Sets the profile of the link between two addresses (both directions). */
  public SimNetwork link(InetAddress a, InetAddress b, LinkProfile p) {
    Objects.requireNonNull(p, "profile");
    links.put(key(a, b), p);
    links.put(key(b, a), p);
    return this;
  }

  /** Installs an on-path attacker (sees every datagram). */
  public SimNetwork attacker(OnPathAttacker a) {
    this.attacker = Objects.requireNonNull(a, "attacker");
    return this;
  }

  private static String key(InetAddress a, InetAddress b) {
    return a.getHostAddress() + '>' + b.getHostAddress();
  }

  /** Adds a node and starts it. */
  public <N extends SimNode> N add(N node) {
    Objects.requireNonNull(node, "node");
    nodes.add(node);
    for (InetAddress a : node.addresses()) {
      byAddress.computeIfAbsent(a, k -> new ArrayList<>()).add(node);
    }
    node.start(context);
    return node;
  }

  /** Injects a datagram as if sent now (bypasses the attacker hook; for tests). */
  public void inject(SimDatagram d) {
    schedule(d, 0);
  }

  /** Runs for {@code seconds} of virtual time. */
  public void runFor(long seconds) {
    long end = NtpTime.plusSeconds(now, seconds);
    runUntilTime(end, () -> false);
  }

  /**
   * Runs until {@code done} is true (checked after every event) or {@code maxSeconds} of virtual
   * time have passed.
   *
   * @return whether {@code done} became true
   */
  public boolean runUntil(BooleanSupplier done, long maxSeconds) {
    if (maxSeconds < 0 || maxSeconds > MAX_RUN_SECONDS) {
      throw new IllegalArgumentException("maxSeconds " + maxSeconds);
    }
    return runUntilTime(NtpTime.plusSeconds(now, maxSeconds), done);
  }

  private boolean runUntilTime(long end, BooleanSupplier done) {
    if (done.getAsBoolean()) {
      return true;
    }
    while (true) {
      long nextTimer = -1;
      SimNode timerNode = null;
      for (SimNode n : nodes) {
        long w = n.nextWakeup();
        if (w != -1 && (nextTimer == -1 || Long.compareUnsigned(w, nextTimer) < 0)) {
          nextTimer = w;
          timerNode = n;
        }
      }
      Event ev = queue.peek();
      boolean useEvent = ev != null
          && (nextTimer == -1 || Long.compareUnsigned(ev.time, nextTimer) <= 0);
      long t = useEvent ? ev.time : nextTimer;
      if (t == -1 || Long.compareUnsigned(t, end) > 0) {
        now = end;
        return done.getAsBoolean();
      }
      if (Long.compareUnsigned(t, now) > 0) {
        now = t;
      }
      if (useEvent) {
        queue.poll();
        delivered++;
        ev.node.receive(ev.datagram, context);
      } else {
        timerNode.wakeup(context);
      }
      if (done.getAsBoolean()) {
        return true;
      }
    }
  }

  private void schedule(SimDatagram d, long delay) {
    List<SimNode> targets = byAddress.get(d.destination());
    if (targets == null || targets.isEmpty()) {
      undeliverable++;
      return;
    }
    for (SimNode n : targets) {
      if (n.addresses().contains(d.source()) && targets.size() > 1) {
        continue; // a broadcaster does not hear itself
      }
      queue.add(new Event(now + delay, seq++, n, d));
    }
  }

  private long millis(double ms) {
    return (long) (ms * 4_294_967.296);
  }

  private final class Context implements SimContext {
    @Override
    public long now() {
      return now;
    }

    @Override
    public void send(InetAddress source, InetAddress destination, byte[] payload) {
      sent++;
      SimDatagram d = new SimDatagram(source, destination, payload, now);
      LinkProfile p = links.getOrDefault(key(source, destination), defaultLink);
      for (SimDatagram x : attacker.onPath(d, now)) {
        if (random.nextDouble() < p.loss()) {
          lost++;
          continue;
        }
        long delay = millis(p.delayMillis() + random.nextDouble() * p.jitterMillis());
        if (random.nextDouble() < p.reordering()) {
          delay += millis(p.delayMillis() * 4 + 50);
        }
        schedule(x, delay);
        if (random.nextDouble() < p.duplication()) {
          duplicated++;
          schedule(x, delay + millis(1 + random.nextDouble() * 20));
        }
      }
    }
  }

  /** Counters: datagrams sent, delivered, lost, duplicated, without receiver. */
  public record Stats(long sent, long delivered, long lost, long duplicated,
      long undeliverable) {}

  /** The counters so far. */
  public Stats stats() {
    return new Stats(sent, delivered, lost, duplicated, undeliverable);
  }
}
