package dev.autokey.net;

import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One server of an {@link AutokeyClient}: its engine {@link Association} run through an {@link
 * AutokeyAuthenticator} (this class is the {@link PacketAuthenticator} of the {@link
 * NtpAssociation} polling the server) and what the client saw of it. The engine state is copied
 * on the loop thread after every engine call, and the counters move before that copy, so {@link
 * #snapshot()} is safe from any thread without touching the association and a waiter woken by
 * {@code changed} sees every count.
 */
final class ClientPeer implements PacketAuthenticator {
  /** The engine state of the association, copied on the loop thread. */
  private record EngineView(long flags, List<CertificateInfo> trail) {}

  final InetSocketAddress server;
  final InetSocketAddress local;
  final Association association;
  private final AutokeyAuthenticator engine;
  private final PacketListener packets;
  private final Runnable changed;
  private final AtomicLong samples = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile TimeSample last;
  private volatile EngineView view = new EngineView(0, List.of());
  private volatile long lastKeyId;

  /**
   * @param changed called on the loop thread after every change of the snapshot
   */
  ClientPeer(InetSocketAddress server, InetSocketAddress local, Association association,
      AutokeyTimers timers, PacketListener packets, Runnable changed) {
    this.server = server;
    this.local = local;
    this.association = association;
    this.engine = new AutokeyAuthenticator(association, timers);
    this.packets = packets;
    this.changed = changed;
  }

  @Override
  public boolean seal(ByteBuffer packet, InetSocketAddress from, InetSocketAddress to) {
    boolean ok = engine.seal(packet, from, to);
    if (ok) {
      sent.incrementAndGet();
    }
    refresh(false);
    if (ok && packets != PacketListener.NONE) {
      packets.sent(packet.duplicate().flip().asReadOnlyBuffer(), from, to);
    }
    return ok;
  }

  @Override
  public Verdict open(Datagram d) {
    received.incrementAndGet();
    packets.received(d);
    Verdict v = engine.open(d);
    if (v.kind() == Verdict.Kind.REJECTED) {
      rejected.incrementAndGet();
    }
    refresh(false);
    packets.judged(d, v);
    return v;
  }

  /** Takes an authenticated sample (loop thread). */
  void sample(TimeSample s) {
    last = s;
    samples.incrementAndGet();
    changed.run();
  }

  /**
   * Copies the association's state (loop thread only: the association is not thread-safe). The
   * trail is copied when the flags changed or {@code trail} is set (after a protocol event: every
   * change of the trail comes with one); in steady state nothing is allocated.
   */
  void refresh(boolean trail) {
    Association a = association;
    long flags = a.flags();
    if (trail || flags != view.flags()) {
      view = new EngineView(flags, a.trail());
    }
    lastKeyId = a.lastKeyId();
    changed.run();
  }

  /** The server's entry of the client status (any thread). */
  AutokeyClientStatus.Server snapshot() {
    EngineView v = view;
    return new AutokeyClientStatus.Server(server, local, v.flags(), v.trail(),
        Optional.ofNullable(last), samples.get(), lastKeyId, sent.get(), received.get(),
        rejected.get());
  }
}
