package dev.autokey.core.sim;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.ServerResponder;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A simulated NTP host running an {@link AutokeyHost}: optionally a server ({@link #serve()},
 * answering client requests through the host's {@link ServerResponder}) and any number of client
 * associations ({@link #addClient}), each polled every {@code 2^poll} virtual seconds. The NTP
 * layer is minimal: headers with leap indicator, stratum, poll and the RFC 5905 timestamps; no
 * clock discipline.
 *
 * <p>A {@link #reference()} node is synchronised from the start (a trusted host in orphan mode).
 * Any other node becomes synchronised at its first {@link Verdict#usableForTime() usable} time
 * sample, so time flows only from proventic servers; its stratum is then the server's plus one.
 */
public final class AutokeyNode implements SimNode {
  private final String label;
  private final AutokeyHost host;
  private final InetAddress address;
  private final Set<InetAddress> addresses = new LinkedHashSet<>();
  private final List<Client> clients = new ArrayList<>();
  private boolean serving;
  private boolean reference;
  private int stratum = 16;
  private long syncedAt = -1;
  private long xmtCounter;
  private long start;

  /** Per-association statistics and schedule. */
  public static final class Client {
    private final Association association;
    private final int poll;
    private long nextPoll;
    private long allFlagsAt = -1;
    private long firstSampleAt = -1;
    private final Map<Verdict.Kind, Long> verdicts = new EnumMap<>(Verdict.Kind.class);
    private long sent;
    private long samples;
    private Verdict last;
    private long answeredOrigin = -1;
    private long extraReplies;

    private Client(Association a, int poll, long first) {
      this.association = a;
      this.poll = poll;
      this.nextPoll = first;
    }

    /** The association. */
    public Association association() {
      return association;
    }

    /** Virtual time all seven flags were first lit, or -1. */
    public long allFlagsAt() {
      return allFlagsAt;
    }

    /** Virtual time of the first usable time sample, or -1. */
    public long firstSampleAt() {
      return firstSampleAt;
    }

    /** Usable (authentic and proventic) time samples received. */
    public long samples() {
      return samples;
    }

    /** Requests sent. */
    public long sent() {
      return sent;
    }

    /** How many received packets got each verdict kind. */
    public long count(Verdict.Kind k) {
      return verdicts.getOrDefault(k, 0L);
    }

    /** The last verdict. */
    public Optional<Verdict> lastVerdict() {
      return Optional.ofNullable(last);
    }

    /**
     * Further replies to a request that was already answered (a duplicated request, or a
     * duplicated reply): dropped before the engine, as ntpd's basic-mode origin check does once
     * it has cleared {@code aorg}.
     */
    public long extraReplies() {
      return extraReplies;
    }
  }

  /**
   * A node.
   *
   * @param label name for diagnostics
   * @param host the Autokey host
   * @param address the node's unicast address
   */
  public AutokeyNode(String label, AutokeyHost host, InetAddress address) {
    this.label = Objects.requireNonNull(label, "label");
    this.host = Objects.requireNonNull(host, "host");
    this.address = Objects.requireNonNull(address, "address");
    addresses.add(address);
  }

  /** Answers client requests. */
  public AutokeyNode serve() {
    serving = true;
    return this;
  }

  /** Synchronised from the start, stratum 1 (a trusted host with its own reference). */
  public AutokeyNode reference() {
    reference = true;
    stratum = 1;
    return this;
  }

  /** The host. */
  public AutokeyHost host() {
    return host;
  }

  /** The unicast address. */
  public InetAddress address() {
    return address;
  }

  /** The stratum (16 while unsynchronised). */
  public int stratum() {
    return stratum;
  }

  /** Virtual time the node became synchronised, or -1 (reference nodes: the start). */
  public long synchronisedAt() {
    return syncedAt;
  }

  /** The client associations with their statistics. */
  public List<Client> clients() {
    return List.copyOf(clients);
  }

  /**
   * Adds a client association, first poll one second after now (or after start).
   *
   * @param server the server address
   * @param ident the association's group name
   * @param poll poll exponent (e.g. 4 = 16 s)
   */
  public Association addClient(InetAddress server, Optional<String> ident, int poll) {
    Association a = host.client(address, server, ident);
    clients.add(new Client(a, poll, NtpTime.plusSeconds(start, 1 + clients.size())));
    return a;
  }

  /** The statistics of the association with {@code server}. */
  public Client client(InetAddress server) {
    for (Client c : clients) {
      if (c.association.remote().equals(server)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no association with " + server);
  }

  @Override
  public Set<InetAddress> addresses() {
    return addresses;
  }

  @Override
  public void start(SimContext ctx) {
    start = ctx.now();
    for (Client c : clients) {
      c.nextPoll = NtpTime.plusSeconds(start, 1);
    }
    if (reference) {
      syncedAt = ctx.now();
      host.setSynchronised(true, ctx.now());
    }
  }

  private long xmt(long now) {
    // unique transmit timestamps: the low fraction bits count packets
    return (now & ~0xFFFFL) | (++xmtCounter & 0xFFFFL);
  }

  private boolean synced() {
    return syncedAt != -1;
  }

  @Override
  public void receive(SimDatagram d, SimContext ctx) {
    byte[] p = d.payload();
    long now = ctx.now();
    if (p.length >= NtpHeader.LENGTH && (p[0] & 7) == NtpHeader.MODE_CLIENT) {
      if (!serving) {
        return;
      }
      NtpHeader req = NtpHeader.view(p, 0);
      NtpHeader reply = NtpHeader.builder().leap(synced() ? 0 : NtpHeader.LEAP_UNSYNCHRONIZED)
          .version(4).mode(NtpHeader.MODE_SERVER).stratum(synced() ? stratum : 16)
          .poll(req.poll()).originTimestamp(req.transmitTimestamp()).receiveTimestamp(now)
          .transmitTimestamp(xmt(now)).build();
      ServerResponse r = host.responder().respond(p, 0, p.length, d.source(), d.destination(),
          now, reply);
      if (r.kind() != ServerResponse.Kind.DROP) {
        ctx.send(d.destination(), d.source(), r.datagram());
      }
      return;
    }
    for (Client c : clients) {
      if (c.association.remote().equals(d.source())) {
        long origin = p.length >= NtpHeader.LENGTH ? NtpHeader.view(p, 0).originTimestamp() : -1;
        if (origin != -1 && origin == c.answeredOrigin) {
          c.extraReplies++; // RFC 5905 / ntpd: one reply per request (aorg cleared)
          return;
        }
        Verdict v = c.association.receive(p, 0, p.length, d.source(), d.destination(), now);
        if (v.cause() != Verdict.Cause.BAD_ORIGIN && v.cause() != Verdict.Cause.NOT_OURS
            && v.cause() != Verdict.Cause.MALFORMED) {
          c.answeredOrigin = origin;
        }
        c.last = v;
        c.verdicts.merge(v.kind(), 1L, Long::sum);
        if (c.allFlagsAt == -1 && c.association.allFlags()) {
          c.allFlagsAt = now;
        }
        if (v.usableForTime()) {
          c.samples++;
          if (c.firstSampleAt == -1) {
            c.firstSampleAt = now;
          }
          if (!synced()) {
            syncedAt = now;
            int s = p[1] & 0xFF;
            stratum = Math.min(15, s + 1);
            // the host learnt it from this accepted sample (AutokeyConfig.Synchronisation)
          }
        }
        return;
      }
    }
  }

  @Override
  public long nextWakeup() {
    long w = host.nextDeadline();
    for (Client c : clients) {
      w = NtpTime.earlier(w, c.nextPoll);
      w = NtpTime.earlier(w, c.association.nextDeadline());
    }
    return w;
  }

  @Override
  public void wakeup(SimContext ctx) {
    long now = ctx.now();
    if (NtpTime.due(host.nextDeadline(), now)) {
      host.onTimer(now);
    }
    for (Client c : clients) {
      if (NtpTime.due(c.association.nextDeadline(), now)) {
        c.association.onTimer(now);
      }
      if (NtpTime.due(c.nextPoll, now)) {
        c.nextPoll = NtpTime.plusSeconds(now, 1L << c.poll);
        NtpHeader h = NtpHeader.builder().leap(synced() ? 0 : NtpHeader.LEAP_UNSYNCHRONIZED)
            .version(4).mode(NtpHeader.MODE_CLIENT).stratum(synced() ? stratum : 16)
            .poll(c.poll).transmitTimestamp(xmt(now)).build();
        byte[] dgram = c.association.prepareTransmit(h, now);
        c.sent++;
        ctx.send(address, c.association.remote(), dgram);
      }
    }
  }

  @Override
  public String toString() {
    return "AutokeyNode[" + label + " " + address.getHostAddress() + "]";
  }
}
