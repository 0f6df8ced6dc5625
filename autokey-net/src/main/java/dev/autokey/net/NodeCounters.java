package dev.autokey.net;

import java.util.concurrent.atomic.AtomicLong;

/** The counters of an {@link NtpNode}, shared by the node, its broadcast sender and listener. */
final class NodeCounters {
  final AtomicLong tooShort = new AtomicLong();
  final AtomicLong badVersion = new AtomicLong();
  final AtomicLong unmatched = new AtomicLong();
  final AtomicLong requests = new AtomicLong();
  final AtomicLong replies = new AtomicLong();
  final AtomicLong suppressed = new AtomicLong();
  final AtomicLong broadcastsSent = new AtomicLong();
  final AtomicLong broadcastsReceived = new AtomicLong();
  final AtomicLong broadcastSamples = new AtomicLong();
  final AtomicLong mobilised = new AtomicLong();
  final AtomicLong demobilised = new AtomicLong();

  NtpNode.Stats snapshot() {
    return new NtpNode.Stats(tooShort.get(), badVersion.get(), unmatched.get(), requests.get(),
        replies.get(), suppressed.get(), broadcastsSent.get(), broadcastsReceived.get(),
        broadcastSamples.get(), mobilised.get(), demobilised.get());
  }
}
