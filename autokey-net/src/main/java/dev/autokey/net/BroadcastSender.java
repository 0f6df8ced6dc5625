package dev.autokey.net;

import dev.autokey.core.wire.NtpHeader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The broadcast server of an {@link NtpNode} ({@link NtpNode#broadcastServer}): every interval,
 * while the node's time source is synchronised, one mode-5 packet from a bound unicast address to
 * a broadcast address, completed by the authenticator. Runs on the node's loop thread; {@link
 * #cancel()} may be called from any thread.
 */
final class BroadcastSender implements Cancellable {
  private final NtpNode node;
  private final InetSocketAddress from;
  private final InetSocketAddress to;
  private final int poll;
  private final long intervalNanos;
  private final PacketAuthenticator auth;
  // loop thread only
  private boolean stopped;
  private Cancellable next;

  BroadcastSender(NtpNode node, InetSocketAddress from, InetSocketAddress to, int poll,
      long intervalNanos, PacketAuthenticator auth) {
    this.node = node;
    this.from = from;
    this.to = to;
    this.poll = poll;
    this.intervalNanos = intervalNanos;
    this.auth = auth;
  }

  /** Schedules the first broadcast now. */
  void start() {
    node.transport().execute(() -> next = node.transport().schedule(0, this::tick));
  }

  private void tick() {
    if (stopped) {
      return;
    }
    ServerStatus st = node.timeSource().status();
    if (st.synchronizedClock()) {
      ByteBuffer out = node.header(st, 4, NtpHeader.MODE_BROADCAST, poll, 0, 0,
          node.timeSource().now());
      if (auth.seal(out, from, to) && node.send(out, from, to)) {
        node.counters().broadcastsSent.incrementAndGet();
      }
    }
    next = node.transport().schedule(intervalNanos, this::tick);
  }

  @Override
  public void cancel() {
    node.transport().execute(() -> {
      stopped = true;
      if (next != null) {
        next.cancel();
      }
    });
  }
}
