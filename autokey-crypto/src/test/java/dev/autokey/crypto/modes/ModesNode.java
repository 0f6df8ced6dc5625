package dev.autokey.crypto.modes;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastClient;
import dev.autokey.core.protocol.BroadcastServer;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.sim.SimContext;
import dev.autokey.core.sim.SimDatagram;
import dev.autokey.core.sim.SimNode;
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
 * A simulated host for every association mode: server responder, unicast clients, broadcast
 * servers, a broadcast client (mobilising one {@link BroadcastClient} per server), symmetric
 * peers (active, and passive ones mobilised on demand). Becomes synchronised at the first usable
 * time sample of any association (so time flows only from proventic sources).
 */
final class ModesNode implements SimNode {
  /** Per-association schedule and statistics. */
  static final class Stats {
    final String what;
    final int poll;
    long nextPoll;
    long allFlagsAt = -1;
    long firstSampleAt = -1;
    long samples;
    long sent;
    final Map<Verdict.Kind, Long> verdicts = new EnumMap<>(Verdict.Kind.class);
    final List<String> rejections = new ArrayList<>();

    Stats(String what, int poll, long first) {
      this.what = what;
      this.poll = poll;
      this.nextPoll = first;
    }

    long count(Verdict.Kind k) {
      return verdicts.getOrDefault(k, 0L);
    }

    @Override
    public String toString() {
      return what + " allFlagsAt=" + allFlagsAt + " samples=" + samples + " sent=" + sent + " "
          + verdicts;
    }
  }

  private final String label;
  private final AutokeyHost host;
  private final InetAddress address;
  private final Set<InetAddress> addresses = new LinkedHashSet<>();
  private boolean serving;
  private boolean reference;
  private boolean acceptPassive;
  private int stratum = 16;
  private long syncedAt = -1;
  private long xmtCounter;
  private long start;
  private long startSeconds;

  final Map<Association, Stats> clients = new java.util.LinkedHashMap<>();
  final Map<BroadcastServer, Stats> bservers = new java.util.LinkedHashMap<>();
  final Map<SymmetricPeer, Stats> peers = new java.util.LinkedHashMap<>();
  final Map<InetAddress, BroadcastClient> bclients = new java.util.LinkedHashMap<>();
  final Map<InetAddress, Stats> bclientStats = new java.util.LinkedHashMap<>();
  private InetAddress listenBroadcast;
  private int bclientPoll = 4;
  private Optional<String> bclientIdent = Optional.empty();
  final List<String> mobilisationErrors = new ArrayList<>();

  ModesNode(String label, AutokeyHost host, InetAddress address) {
    this.label = label;
    this.host = host;
    this.address = address;
    addresses.add(address);
  }

  ModesNode serve() {
    serving = true;
    return this;
  }

  ModesNode reference() {
    reference = true;
    stratum = 1;
    return this;
  }

  ModesNode acceptPassive() {
    acceptPassive = true;
    return this;
  }

  AutokeyHost host() {
    return host;
  }

  InetAddress address() {
    return address;
  }

  long synchronisedAt() {
    return syncedAt;
  }

  int stratum() {
    return stratum;
  }

  private long firstPoll() {
    return NtpTime.plusSeconds(start, 1 + clients.size() + bservers.size() + peers.size());
  }

  Association addClient(InetAddress server, Optional<String> ident, int poll) {
    Association a = host.client(address, server, ident);
    clients.put(a, new Stats("client " + label + "->" + server.getHostAddress(), poll,
        firstPoll()));
    return a;
  }

  BroadcastServer addBroadcastServer(InetAddress broadcast, int poll) {
    BroadcastServer b = host.broadcastServer(address, broadcast);
    bservers.put(b, new Stats("bcast " + label, poll, firstPoll()));
    return b;
  }

  ModesNode broadcastClient(InetAddress broadcast, int poll, Optional<String> ident) {
    listenBroadcast = broadcast;
    bclientPoll = poll;
    bclientIdent = ident;
    addresses.add(broadcast);
    return this;
  }

  SymmetricPeer addPeer(InetAddress peer, Optional<String> ident, int poll) {
    SymmetricPeer s = host.symmetricActive(address, peer, ident);
    peers.put(s, new Stats("peer " + label + "->" + peer.getHostAddress(), poll, firstPoll()));
    return s;
  }

  Optional<SymmetricPeer> peer(InetAddress remote) {
    return peers.keySet().stream().filter(p -> p.association().remote().equals(remote))
        .findFirst();
  }

  Stats stats(Object assoc) {
    Stats s = clients.get(assoc);
    if (s == null) {
      s = peers.get(assoc);
    }
    if (s == null && assoc instanceof BroadcastClient bc) {
      s = bclientStats.get(bc.server());
    }
    return Objects.requireNonNull(s, "no stats for " + assoc);
  }

  @Override
  public Set<InetAddress> addresses() {
    return addresses;
  }

  @Override
  public void start(SimContext ctx) {
    start = ctx.now();
    startSeconds = NtpTime.seconds(start);
    // stagger the hosts' polls (address-dependent) so that symmetric peers' packets do not cross
    byte[] raw = address.getAddress();
    int i = 1 + (raw[raw.length - 1] & 7);
    for (Stats s : allStats()) {
      s.nextPoll = NtpTime.plusSeconds(start, i++);
    }
    if (reference) {
      syncedAt = ctx.now();
      host.setSynchronised(true, ctx.now());
    }
  }

  private List<Stats> allStats() {
    List<Stats> l = new ArrayList<>(clients.values());
    l.addAll(bservers.values());
    l.addAll(peers.values());
    l.addAll(bclientStats.values());
    return l;
  }

  private long xmt(long now) {
    return (now & ~0xFFFFL) | (++xmtCounter & 0xFFFFL);
  }

  private boolean synced() {
    return syncedAt != -1;
  }

  private NtpHeader.Builder header(int mode, int poll, long now) {
    return NtpHeader.builder().leap(synced() ? 0 : NtpHeader.LEAP_UNSYNCHRONIZED).version(4)
        .mode(mode).stratum(synced() ? stratum : 16).poll(poll).transmitTimestamp(xmt(now));
  }

  private void record(Stats s, Verdict v, Association a, byte[] p, long now) {
    s.verdicts.merge(v.kind(), 1L, Long::sum);
    if (v.kind() == Verdict.Kind.REJECTED && s.rejections.size() < 20) {
      s.rejections.add((now >>> 32) - startSeconds + "s " + v);
    }
    if (s.allFlagsAt == -1 && a.allFlags()) {
      s.allFlagsAt = now;
    }
    if (v.usableForTime()) {
      s.samples++;
      if (s.firstSampleAt == -1) {
        s.firstSampleAt = now;
      }
      if (!synced()) {
        syncedAt = now;
        stratum = Math.min(15, (p[1] & 0xFF) + 1);
        host.setSynchronised(true, now);
      }
    }
  }

  @Override
  public void receive(SimDatagram d, SimContext ctx) {
    byte[] p = d.payload();
    long now = ctx.now();
    if (p.length < NtpHeader.LENGTH) {
      return;
    }
    int mode = p[0] & 7;
    if (mode == NtpHeader.MODE_CLIENT) {
      if (!serving || !d.destination().equals(address)) {
        return;
      }
      NtpHeader req = NtpHeader.view(p, 0);
      NtpHeader reply = header(NtpHeader.MODE_SERVER, req.poll(), now)
          .originTimestamp(req.transmitTimestamp()).receiveTimestamp(now).build();
      ServerResponse r = host.responder().respond(p, 0, p.length, d.source(), d.destination(),
          now, reply);
      if (r.kind() != ServerResponse.Kind.DROP) {
        ctx.send(d.destination(), d.source(), r.datagram());
      }
      return;
    }
    if (mode == NtpHeader.MODE_SERVER) {
      for (Map.Entry<Association, Stats> e : clients.entrySet()) {
        if (e.getKey().remote().equals(d.source())) {
          Verdict v = e.getKey().receive(p, 0, p.length, d.source(), d.destination(), now);
          record(e.getValue(), v, e.getKey(), p, now);
          return;
        }
      }
      BroadcastClient bc = bclients.get(d.source());
      if (bc != null) {
        Verdict v = bc.receive(p, 0, p.length, d.source(), d.destination(), now);
        record(bclientStats.get(d.source()), v, bc.association(), p, now);
      }
      return;
    }
    if (mode == NtpHeader.MODE_BROADCAST) {
      if (listenBroadcast == null || !d.destination().equals(listenBroadcast)) {
        return;
      }
      BroadcastClient bc = bclients.get(d.source());
      if (bc != null && bc.isDemobilised()) {
        bc.close();
        bclients.remove(d.source());
        bc = null;
      }
      if (bc == null) {
        try {
          Optional<BroadcastClient> m = BroadcastClient.mobilise(host, address, p, 0, p.length,
              d.source(), d.destination(), now, bclientIdent);
          if (m.isPresent()) {
            bclients.put(d.source(), m.get());
            bclientStats.computeIfAbsent(d.source(), k -> new Stats("bclient " + label + "<-"
                + k.getHostAddress(), bclientPoll, NtpTime.plusSeconds(now, 1)));
            bclientStats.get(d.source()).nextPoll = NtpTime.plusSeconds(now, 1);
          }
        } catch (AutokeyException ex) {
          if (mobilisationErrors.size() < 20) {
            mobilisationErrors.add(ex.event().ntpdName() + " " + ex.getMessage());
          }
        }
        return;
      }
      Verdict v = bc.receive(p, 0, p.length, d.source(), d.destination(), now);
      record(bclientStats.get(d.source()), v, bc.association(), p, now);
      return;
    }
    if (mode == NtpHeader.MODE_SYMMETRIC_ACTIVE || mode == NtpHeader.MODE_SYMMETRIC_PASSIVE) {
      Optional<SymmetricPeer> sp = peer(d.source());
      if (sp.isPresent()) {
        Verdict v = sp.get().receive(p, 0, p.length, d.source(), d.destination(), now);
        record(peers.get(sp.get()), v, sp.get().association(), p, now);
        return;
      }
      if (acceptPassive && mode == NtpHeader.MODE_SYMMETRIC_ACTIVE) {
        Optional<SymmetricPeer> m = SymmetricPeer.mobilisePassive(host, address, p, 0, p.length,
            d.source(), d.destination(), now, Optional.empty());
        m.ifPresent(x -> peers.put(x, new Stats("passive " + label + "<-"
            + d.source().getHostAddress(), NtpHeader.view(p, 0).poll(),
            NtpTime.plusSeconds(now, 1))));
      }
    }
  }

  @Override
  public long nextWakeup() {
    long w = host.nextDeadline();
    for (Map.Entry<Association, Stats> e : clients.entrySet()) {
      w = NtpTime.earlier(w, e.getValue().nextPoll);
      w = NtpTime.earlier(w, e.getKey().nextDeadline());
    }
    for (Map.Entry<BroadcastServer, Stats> e : bservers.entrySet()) {
      w = NtpTime.earlier(w, e.getValue().nextPoll);
      w = NtpTime.earlier(w, e.getKey().nextDeadline());
    }
    for (Map.Entry<SymmetricPeer, Stats> e : peers.entrySet()) {
      w = NtpTime.earlier(w, e.getValue().nextPoll);
      w = NtpTime.earlier(w, e.getKey().nextDeadline());
    }
    for (Map.Entry<InetAddress, BroadcastClient> e : bclients.entrySet()) {
      if (e.getValue().wantsToTransmit()) {
        w = NtpTime.earlier(w, bclientStats.get(e.getKey()).nextPoll);
      }
      w = NtpTime.earlier(w, e.getValue().nextDeadline());
    }
    return w;
  }

  @Override
  public void wakeup(SimContext ctx) {
    long now = ctx.now();
    if (NtpTime.due(host.nextDeadline(), now)) {
      host.onTimer(now);
    }
    for (Map.Entry<Association, Stats> e : clients.entrySet()) {
      Association a = e.getKey();
      Stats s = e.getValue();
      if (NtpTime.due(a.nextDeadline(), now)) {
        a.onTimer(now);
      }
      if (NtpTime.due(s.nextPoll, now)) {
        s.nextPoll = NtpTime.plusSeconds(now, 1L << s.poll);
        ctx.send(address, a.remote(),
            a.prepareTransmit(header(NtpHeader.MODE_CLIENT, s.poll, now).build(), now));
        s.sent++;
      }
    }
    for (Map.Entry<BroadcastServer, Stats> e : bservers.entrySet()) {
      BroadcastServer b = e.getKey();
      Stats s = e.getValue();
      if (NtpTime.due(b.nextDeadline(), now)) {
        b.onTimer(now);
      }
      if (NtpTime.due(s.nextPoll, now)) {
        s.nextPoll = NtpTime.plusSeconds(now, 1L << s.poll);
        Optional<byte[]> d = b.prepareBroadcast(header(NtpHeader.MODE_BROADCAST, s.poll, now)
            .build(), now);
        if (d.isPresent()) {
          ctx.send(address, b.broadcastAddress(), d.get());
          s.sent++;
        }
      }
    }
    for (Map.Entry<SymmetricPeer, Stats> e : peers.entrySet()) {
      SymmetricPeer sp = e.getKey();
      Stats s = e.getValue();
      if (NtpTime.due(sp.nextDeadline(), now)) {
        sp.onTimer(now);
      }
      if (NtpTime.due(s.nextPoll, now)) {
        s.nextPoll = NtpTime.plusSeconds(now, 1L << s.poll);
        NtpHeader h = header(sp.ntpMode(), s.poll, now)
            .originTimestamp(sp.lastReceivedTransmitTimestamp()).build();
        ctx.send(address, sp.association().remote(), sp.prepareTransmit(h, now));
        s.sent++;
      }
    }
    for (Map.Entry<InetAddress, BroadcastClient> e : new ArrayList<>(bclients.entrySet())) {
      BroadcastClient bc = e.getValue();
      Stats s = bclientStats.get(e.getKey());
      if (NtpTime.due(bc.nextDeadline(), now)) {
        bc.onTimer(now);
      }
      if (bc.wantsToTransmit() && NtpTime.due(s.nextPoll, now)) {
        s.nextPoll = NtpTime.plusSeconds(now, 1L << s.poll);
        ctx.send(address, bc.server(),
            bc.prepareTransmit(header(NtpHeader.MODE_CLIENT, s.poll, now).build(), now));
        s.sent++;
      } else if (!bc.wantsToTransmit() && NtpTime.due(s.nextPoll, now)) {
        s.nextPoll = NtpTime.plusSeconds(now, 1L << s.poll);
      }
    }
  }

  @Override
  public String toString() {
    return "ModesNode[" + label + " " + address.getHostAddress() + "]";
  }
}
