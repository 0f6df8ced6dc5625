package dev.autokey.net;

import dev.autokey.core.protocol.Verdict;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The broadcast client of an {@link NtpNode} ({@link NtpNode#broadcastClient}): one association
 * per broadcast server heard (at most {@value NtpNode#MAX_BROADCAST_SOURCES}), mobilised by the
 * factory from the server's first usable broadcast, with its unicast exchange (a client
 * association of the node) while the authenticator wants one. Usable broadcasts become samples
 * with θ = T3 − T4 + d/2 and δ = d. Loop thread only.
 */
final class BroadcastListener {
  private static final System.Logger LOG = System.getLogger(BroadcastListener.class.getName());

  /** One broadcast server heard. */
  private static final class Source {
    final InetSocketAddress server;
    final InetSocketAddress local;
    final BroadcastClientAuthenticator auth;
    long lastXmt;
    long volleyDelayNanos = -1;
    NtpAssociation volley;

    Source(InetSocketAddress server, InetSocketAddress local, BroadcastClientAuthenticator auth) {
      this.server = server;
      this.local = local;
      this.auth = auth;
    }
  }

  private final NtpNode node;
  private final NodeCounters counters;
  private final BroadcastClientAuthenticator.Factory factory;
  private final long delayNanos;
  private final Duration volleyInterval;
  private final SampleListener listener;
  private final Map<InetSocketAddress, Source> sources = new HashMap<>();

  BroadcastListener(NtpNode node, BroadcastClientAuthenticator.Factory factory, long delayNanos,
      Duration volleyInterval, SampleListener listener) {
    this.node = node;
    this.counters = node.counters();
    this.factory = factory;
    this.delayNanos = delayNanos;
    this.volleyInterval = volleyInterval;
    this.listener = listener;
  }

  /** Takes a mode-5 datagram, with the header the node parsed. */
  void receive(Datagram d, ReceivedHeader h) {
    counters.broadcastsReceived.incrementAndGet();
    long xmt = h.transmit();
    Source s = sources.get(d.source());
    if (s != null && s.auth.isDemobilised()) {
      forget(s);
      counters.demobilised.incrementAndGet();
      s = null;
    }
    boolean bogus = xmt == 0; // RFC 5905: neither judged nor mobilising
    if (s == null) {
      s = bogus ? null : mobilise(d);
      if (s == null) {
        counters.unmatched.incrementAndGet();
        return;
      }
    }
    Verdict r = null;
    if (!bogus && xmt != s.lastXmt) {
      s.lastXmt = xmt;
      r = s.auth.open(d);
    }
    if (s.volley == null && s.auth.wantsUnicast() && !s.auth.isDemobilised()) {
      startVolley(s, h.poll());
    }
    if (r == null) {
      return;
    }
    if (r.kind() == Verdict.Kind.REJECTED) {
      node.rejected(d, r);
      return;
    }
    if (!r.usableForTime() || !h.synchronised()) {
      return;
    }
    long delay = s.volleyDelayNanos >= 0 ? s.volleyDelayNanos : delayNanos;
    long offset = NtpTimestamps.differenceNanos(xmt, d.receiveTime()) + delay / 2;
    counters.broadcastSamples.incrementAndGet();
    listener.onSample(h.sample(d, 0, 0, offset, delay, s.auth.authenticates()));
  }

  /** A new source for the first broadcast of a server, or {@code null}. */
  private Source mobilise(Datagram d) {
    if (sources.size() >= NtpNode.MAX_BROADCAST_SOURCES) {
      return null;
    }
    InetSocketAddress local;
    try {
      local = node.localUnicastFor(d.source());
    } catch (IllegalArgumentException ex) {
      return null;
    }
    Optional<BroadcastClientAuthenticator> a = factory.mobilise(d, local);
    if (a.isEmpty()) {
      return null;
    }
    Source s = new Source(d.source(), local, a.get());
    sources.put(d.source(), s);
    counters.mobilised.incrementAndGet();
    return s;
  }

  /** Starts the unicast association with the server (the authenticator asks for it). */
  private void startVolley(Source s, int broadcastPoll) {
    int poll = Math.max(AssociationOptions.MIN_POLL,
        Math.min(AssociationOptions.MAX_POLL, broadcastPoll));
    AssociationOptions.Builder o = AssociationOptions.builder().authenticator(s.auth)
        .poll(poll).local(s.local).listener(sample -> {
          if (s.volleyDelayNanos < 0 || sample.delayNanos() < s.volleyDelayNanos) {
            s.volleyDelayNanos = Math.max(0, sample.delayNanos());
          }
          listener.onSample(sample);
        });
    if (volleyInterval != null) {
      o.interval(volleyInterval);
    }
    try {
      s.volley = node.client(s.server, o.build());
    } catch (IllegalStateException ex) {
      // a unicast association with this server already uses the address pair
      LOG.log(Level.WARNING, () -> "broadcast client volley with " + s.server + ": " + ex);
    }
  }

  private void forget(Source s) {
    sources.remove(s.server, s);
    if (s.volley != null) {
      s.volley.close();
    }
    s.auth.close();
  }

  void closeAll() {
    for (Source s : List.copyOf(sources.values())) {
      forget(s);
    }
  }
}
