package dev.autokey.core.protocol;

import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One association's Autokey state machine (AUTOKEY-WIRE §11): client, symmetric active/passive,
 * broadcast server or broadcast client. Created by {@link AutokeyHost}.
 *
 * <p>Transmit: the caller's NTP layer builds the 48-byte header (mode, stratum, poll, timestamps);
 * {@link #prepareTransmit} appends the extension field the protocol needs next and the MAC (the
 * header's poll field sets the key-list lifetimes). Receive: the caller passes every datagram from
 * the peer with both addresses and its receive time to {@link #receive}; the {@link Verdict} says
 * whether the packet is usable for time. Timers: call {@link #onTimer} at {@link #nextDeadline}.
 * Not thread-safe.
 */
public final class Association {
  private Association() {}

  /**
   * Builds the datagram for the next transmission: {@code header}, then at most one response (to
   * a queued symmetric request) and one request, then the MAC.
   *
   * @param header the NTP header the caller built
   * @param now current time (NTP 64-bit)
   * @return the datagram to send
   */
  public byte[] prepareTransmit(NtpHeader header, long now) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * As {@link #prepareTransmit(NtpHeader, long)}, writing into {@code out} at its position.
   *
   * @return the number of bytes written
   */
  public int prepareTransmit(NtpHeader header, long now, ByteBuffer out) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Processes a received datagram.
   *
   * @param buf datagram buffer
   * @param off offset of the datagram
   * @param len length of the datagram
   * @param source the sender's address
   * @param destination the local address it arrived on (the broadcast address for broadcasts)
   * @param rxTime the receive time (NTP 64-bit)
   * @return the decision; malformed input is a {@link Verdict.Kind#REJECTED} verdict, never an
   *     exception
   */
  public Verdict receive(byte[] buf, int off, int len, InetAddress source,
      InetAddress destination, long rxTime) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The earliest time {@link #onTimer} must be called, or {@link NtpTime#NEVER}. */
  public long nextDeadline() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Runs the due timers (key-list ageing, refresh, retransmission state). */
  public void onTimer(long now) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The association's mode. */
  public Mode mode() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The status word: peer status bits plus the progress flags lit so far. */
  public long flags() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Whether PROV is lit (packets may be used for time). */
  public boolean isProventic() {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
