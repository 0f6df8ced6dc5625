package dev.autokey.core.protocol;

import dev.autokey.core.wire.NtpHeader;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A broadcast server ({@code broadcast ADDR autokey}, docs/protocol.md §11.4): every broadcast carries
 * one extension field, the signed AUTO response right after a new key list and otherwise the
 * server's ASSOC response, with the server's own association ID; session keys use (server
 * address, broadcast address, key ID, cookie 0). Broadcasts are sent only while the host is
 * synchronised. The published AUTO values also answer broadcast clients' unicast AUTO requests
 * on the host's {@link ServerResponder} (which finds this server by its association ID).
 *
 * <p>Not thread-safe; use from one thread.
 */
public final class BroadcastServer implements AutokeyEngine {
  private final Association association;

  private BroadcastServer(Association association) {
    this.association = association;
  }

  /**
   * Creates and registers a broadcast server association.
   *
   * @param host the host
   * @param local the server's unicast address (session keys and the broadcasts' source)
   * @param broadcast the broadcast address the packets go to
   * @throws IllegalArgumentException if the address families differ
   */
  public static BroadcastServer create(AutokeyHost host, InetAddress local,
      InetAddress broadcast) {
    Objects.requireNonNull(host, "host");
    return new BroadcastServer(host.register(new Association(host, Mode.BROADCAST_SERVER, local,
        broadcast, broadcast, Optional.empty(), host.allocateAssociationId())));
  }

  /** The server's association ID (carried in every broadcast field). */
  public long associationId() {
    return association.associationId();
  }

  /** The broadcast address. */
  public InetAddress broadcastAddress() {
    return association.remote();
  }

  /** The server's unicast address. */
  public InetAddress localAddress() {
    return association.local();
  }

  /**
   * Builds the next broadcast: {@code header} (mode 5, built by the caller's NTP layer; its poll
   * field sets the key-list lifetimes), one extension field, the MAC.
   *
   * @param header the NTP header
   * @param now current time (NTP 64-bit)
   * @return the datagram, or empty while the host is unsynchronised (ntpd sends no broadcasts)
   * @throws IllegalArgumentException if the header's mode is not 5
   */
  public Optional<byte[]> prepareBroadcast(NtpHeader header, long now) {
    Objects.requireNonNull(header, "header");
    if (header.mode() != NtpHeader.MODE_BROADCAST) {
      throw new IllegalArgumentException("broadcast header mode " + header.mode() + ", not 5");
    }
    if (!association.host().isSynchronised()) {
      return Optional.empty();
    }
    return Optional.of(association.prepareTransmit(header, now));
  }

  /**
   * Seals the next broadcast in place (see {@link AutokeyEngine#seal}); 0 while the host is
   * unsynchronised (ntpd sends no broadcasts).
   *
   * @throws IllegalArgumentException if the header's mode is not 5
   */
  @Override
  public int seal(byte[] buf, int off, int capacity, long now) {
    Objects.checkFromIndexSize(off, capacity, buf.length);
    int mode = capacity > 0 ? buf[off] & 7 : -1;
    if (mode != NtpHeader.MODE_BROADCAST) {
      throw new IllegalArgumentException("broadcast header mode " + mode + ", not 5");
    }
    if (!association.host().isSynchronised()) {
      return 0;
    }
    return association.seal(buf, off, capacity, now);
  }

  /**
   * A broadcast server takes nothing on its association: its clients' unicast requests are
   * answered by the host's {@link ServerResponder}.
   *
   * @return an ignored verdict
   */
  @Override
  public Verdict receive(byte[] buf, int off, int len, InetAddress source,
      InetAddress destination, long rxTime) {
    return Verdict.ignored(Verdict.Cause.NOT_OURS, false, association.flags(), 0,
        "a broadcast server's requests go to the host's responder");
  }

  /** The key ID of the last broadcast. */
  public long lastKeyId() {
    return association.lastKeyId();
  }

  @Override
  public long nextDeadline() {
    return association.nextDeadline();
  }

  @Override
  public void onTimer(long now) {
    association.onTimer(now);
  }

  /** Stops answering AUTO requests for this server's association ID. */
  public void close() {
    association.host().remove(association);
  }

  @Override
  public String toString() {
    return "BroadcastServer[" + association.associationId() + " "
        + association.local().getHostAddress() + " -> "
        + association.remote().getHostAddress() + "]";
  }
}
