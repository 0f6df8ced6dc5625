package dev.autokey.core.protocol;

import java.net.InetAddress;

/**
 * The one engine interface every Autokey association implements, whatever its mode: a client
 * ({@link Association} from {@link AutokeyHost#client}), a {@link BroadcastClient}, a
 * {@link SymmetricPeer}, a {@link BroadcastServer}. An NTP implementation needs only this to run
 * any of them: it builds the 48-byte NTP header of each transmission itself, lets the engine seal
 * the datagram in place, hands every datagram from the peer to {@link #receive}, and calls
 * {@link #onTimer} at {@link #nextDeadline}. Not thread-safe: one engine, one thread.
 */
public interface AutokeyEngine {
  /** The largest datagram an engine seals (ntpd's receive buffer: header, fields, MAC). */
  int MAX_DATAGRAM = 2120;

  /**
   * Seals the next transmission in place. {@code buf[off, off+48)} holds the NTP header the
   * caller built (its poll field sets the key-list lifetimes; its transmit timestamp is the origin
   * the peer's answer must carry); the engine appends the extension field the protocol needs next,
   * if any, and the MAC, and returns the datagram's length. In steady state nothing is allocated.
   *
   * @param buf the send buffer
   * @param off where the header starts
   * @param capacity bytes available from {@code off} ({@link #MAX_DATAGRAM} always suffices)
   * @param now current time (NTP 64-bit)
   * @return the datagram's length, or 0 when nothing is to be sent now (a broadcast server whose
   *     host is unsynchronised)
   * @throws java.nio.BufferOverflowException if {@code capacity} is too small
   * @throws IllegalArgumentException if the header's NTP mode is not this engine's
   */
  int seal(byte[] buf, int off, int capacity, long now);

  /**
   * Processes a datagram from the peer.
   *
   * @param source the sender's address
   * @param destination the local address it arrived on (the broadcast address for broadcasts)
   * @param rxTime the receive time (NTP 64-bit)
   * @return the decision; {@link Verdict#usableForTime()} says whether its timestamps may be used
   *     as a time sample. Malformed input is a rejected verdict, never an exception.
   */
  Verdict receive(byte[] buf, int off, int len, InetAddress source, InetAddress destination,
      long rxTime);

  /** The earliest time {@link #onTimer} must be called, or {@link NtpTime#NEVER}. */
  long nextDeadline();

  /** Runs the due timers (key-list ageing, protocol refresh). */
  void onTimer(long now);
}
