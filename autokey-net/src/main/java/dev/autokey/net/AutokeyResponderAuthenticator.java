package dev.autokey.net;

import dev.autokey.core.protocol.ServerResponder;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.wire.DecodeLimits;
import dev.autokey.core.wire.NtpHeader;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the Autokey {@link ServerResponder} (ntpd's stateless fast path) as a
 * {@link ServerAuthenticator}: the NTP layer builds the reply header, the responder verifies the
 * request (cookie recomputed from the client address and the local address the request arrived
 * on), answers its first extension field and MACs the reply, or produces a crypto-NAK, or drops.
 */
public final class AutokeyResponderAuthenticator implements ServerAuthenticator {
  private final ServerResponder responder;
  private final NtpClock clock;
  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong naks = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();

  /** Counters (monotonic). */
  public record Stats(long replies, long cryptoNaks, long drops, long budgetLimited) {}

  /** An authenticator over {@code responder}, with {@code clock} as the engine's "now". */
  public AutokeyResponderAuthenticator(ServerResponder responder, NtpClock clock) {
    this.responder = Objects.requireNonNull(responder, "responder");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public boolean respond(Datagram request, ByteBuffer reply) {
    if (reply.hasArray() && reply.position() == NtpHeader.LENGTH
        && reply.capacity() >= DecodeLimits.MAX_DATAGRAM_LENGTH && !reply.isReadOnly()) {
      // the responder's allocation-free path, straight into the transport's reply buffer
      int n = responder.respondInto(request.array(), 0, request.length(),
          request.source().getAddress(), request.local().getAddress(), clock.now(),
          reply.array(), reply.arrayOffset());
      if (n < 0) {
        drops.incrementAndGet();
        return false;
      }
      (n == ServerResponder.CRYPTO_NAK_LENGTH ? naks : replies).incrementAndGet();
      reply.limit(reply.capacity()).position(n);
      return true;
    }
    byte[] h = new byte[NtpHeader.LENGTH];
    reply.get(0, h);
    ServerResponse r = responder.respond(request.array(), 0, request.length(),
        request.source().getAddress(), request.local().getAddress(), clock.now(),
        NtpHeader.of(h));
    if (r.kind() == ServerResponse.Kind.DROP || r.length() > reply.capacity()) {
      drops.incrementAndGet();
      return false;
    }
    (r.kind() == ServerResponse.Kind.CRYPTO_NAK ? naks : replies).incrementAndGet();
    reply.clear();
    reply.put(r.datagram());
    return true;
  }

  /**
   * Current counters; {@code budgetLimited} is the responder's count of expensive fields answered
   * empty because its work budget was exhausted.
   */
  public Stats stats() {
    return new Stats(replies.get(), naks.get(), drops.get(), responder.stats().budgetRefused());
  }
}
