package dev.autokey.net;

import dev.autokey.core.wire.NtpHeader;
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

  void receive(Datagram d, NtpHeader h) {
    counters.broadcastsReceived.incrementAndGet();
    long xmt = h.transmitTimestamp();
    Source s = sources.get(d.source());
    if (s != null && s.auth.isDemobilised()) {
      forget(s);
      counters.demobilised.incrementAndGet();
      s = null;
    }
    if (s == null) {
      if (sources.size() >= NtpNode.MAX_BROADCAST_SOURCES || xmt == 0) {
        counters.unmatched.incrementAndGet();
        return;
      }
      InetSocketAddress local;
      try {
        local = node.localUnicastFor(d.source());
      } catch (IllegalArgumentException ex) {
        counters.unmatched.incrementAndGet();
        return;
      }
      Optional<BroadcastClientAuthenticator> a = factory.mobilise(d, local);
      if (a.isEmpty()) {
        counters.unmatched.incrementAndGet();
        return;
      }
      s = new Source(d.source(), local, a.get());
      sources.put(d.source(), s);
      counters.mobilised.incrementAndGet();
    }
    if (xmt == 0 || xmt == s.lastXmt) {
      startVolley(s, h);
      return;
    }
    s.lastXmt = xmt;
    AuthResult r = s.auth.open(d);
    startVolley(s, h);
    if (r.kind() == AuthResult.Kind.REJECTED) {
      node.rejected(d, r);
      return;
    }
    if (!r.isUsable() || h.leap() == NtpHeader.LEAP_UNSYNCHRONIZED || h.stratum() == 0
        || h.stratum() > 15) {
      return;
    }
    long delay = s.volleyDelayNanos >= 0 ? s.volleyDelayNanos : delayNanos;
    long t4 = d.receiveTime();
    long offset = NtpTimestamps.differenceNanos(xmt, t4) + delay / 2;
    TimeSample sample = new TimeSample(d.source(), d.local(), h.mode(), h.leap(), h.stratum(),
        h.poll(), h.precision(), h.referenceId(), NtpTimestamps.shortToNanos(h.rootDelay()),
        NtpTimestamps.shortToNanos(h.rootDispersion()), 0, 0, xmt, t4, offset, delay,
        s.auth.authenticates());
    counters.broadcastSamples.incrementAndGet();
    listener.onSample(sample);
  }

  /** Starts the unicast association with the server once the authenticator asks for it. */
  private void startVolley(Source s, NtpHeader h) {
    if (s.volley != null || s.auth.isDemobilised() || !s.auth.wantsUnicast()) {
      return;
    }
    int poll = Math.max(AssociationOptions.MIN_POLL,
        Math.min(AssociationOptions.MAX_POLL, h.poll()));
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
