package dev.autokey.net;

import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.SymmetricKeyAuth;
import dev.autokey.core.wire.NtpHeader;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stateless NTP server with symmetric keys ({@code keys FILE}, {@code trustedkey N}, as ntpd's
 * fast path): a client request with a valid MAC of a trusted key is answered MAC'd with the same
 * key; a request with any other MAC gets a crypto-NAK (48-byte header + key ID 0); a request
 * without MAC gets an unauthenticated reply, unless {@code notrust} ({@code restrict …
 * notrust}) refuses it.
 *
 * <pre>{@code
 * NtpNode.builder().bind(address).timeSource(TimeSource.localClock(clock, 3))
 *     .serve(new SymmetricKeyResponderAuthenticator(auth, false)).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SymmetricKeyResponderAuthenticator implements ServerAuthenticator {
  private final SymmetricKeyAuth auth;
  private final boolean notrust;
  private final AtomicLong authentic = new AtomicLong();
  private final AtomicLong unauthenticated = new AtomicLong();
  private final AtomicLong cryptoNaks = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();

  /**
   * Counters (monotonic).
   *
   * @param authentic replies MAC'd with the request's key
   * @param unauthenticated replies without MAC to requests without MAC
   * @param cryptoNaks crypto-NAKs to requests with a MAC that did not verify with a trusted key
   * @param drops requests not answered ({@code notrust}, or not a client request)
   */
  public record Stats(long authentic, long unauthenticated, long cryptoNaks, long drops) {}

  /**
   * A responder over {@code auth}.
   *
   * @param notrust refuse requests without a MAC
   */
  public SymmetricKeyResponderAuthenticator(SymmetricKeyAuth auth, boolean notrust) {
    this.auth = Objects.requireNonNull(auth, "auth");
    this.notrust = notrust;
  }

  @Override
  public boolean respond(Datagram request, ByteBuffer reply) {
    byte[] h = new byte[NtpHeader.LENGTH];
    reply.get(0, h);
    ServerResponse r = auth.respond(request.array(), 0, request.length(),
        request.source().getAddress(), NtpHeader.of(h), notrust);
    if (r.kind() == ServerResponse.Kind.DROP || r.length() > reply.capacity()) {
      drops.incrementAndGet();
      return false;
    }
    if (r.kind() == ServerResponse.Kind.CRYPTO_NAK) {
      cryptoNaks.incrementAndGet();
    } else if (r.length() > NtpHeader.LENGTH) {
      authentic.incrementAndGet();
    } else {
      unauthenticated.incrementAndGet();
    }
    reply.clear();
    reply.put(r.datagram());
    return true;
  }

  /** Current counters. */
  public Stats stats() {
    return new Stats(authentic.get(), unauthenticated.get(), cryptoNaks.get(), drops.get());
  }

  @Override
  public String toString() {
    return "SymmetricKeyResponderAuthenticator[" + auth + (notrust ? ", notrust" : "") + "]";
  }
}
