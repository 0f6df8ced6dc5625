package dev.autokey.core.protocol;

import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;

/**
 * ntpd's stateless server fast path (AUTOKEY-WIRE §11.3): for each client request, verify the MAC
 * (with the cookie recomputed from the addresses and the private value), answer the first
 * extension field with the R bit set, and MAC the reply with the request's key ID. No per-client
 * state. Expensive fields go through the host's {@link WorkBudget}. Thread-safe.
 */
public final class ServerResponder {
  private ServerResponder() {}

  /**
   * Answers one request.
   *
   * @param buf request buffer
   * @param off request offset
   * @param len request length
   * @param client the client's address (source of the request)
   * @param local the local address the request arrived on
   * @param now current time (NTP 64-bit)
   * @param replyHeader the NTP header of the reply, built by the caller's NTP layer
   * @return reply, crypto-NAK or drop
   */
  public ServerResponse respond(byte[] buf, int off, int len, InetAddress client,
      InetAddress local, long now, NtpHeader replyHeader) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Allocation-light variant for the plain path: the caller has already written the 48-byte reply
   * header at {@code out[outOff]}; the responder appends the field and the MAC.
   *
   * @return the reply length ({@code >= 52}), or {@code -1} to drop
   */
  public int respondInto(byte[] buf, int off, int len, InetAddress client, InetAddress local,
      long now, byte[] out, int outOff) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
