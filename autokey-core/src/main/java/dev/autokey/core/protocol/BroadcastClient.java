package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.ChainResult;
import dev.autokey.core.keys.CookieRules;
import dev.autokey.core.keys.KeyChain;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketChecks;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A broadcast client association ({@code broadcastclient}, docs/protocol.md §11.4, §7.5), mobilised by
 * a broadcast whose last extension field is an ASSOC response ({@link #mobilise}).
 *
 * <p>First the client runs the client volley against the server's <em>unicast</em> address
 * ({@link #prepareTransmit} builds mode-3 requests, {@link #receive} takes the mode-4 replies):
 * CERT, identity, COOK, the AUTO request (carrying the server's broadcast association ID; the
 * server answers from the values it published), SIGN, LEAP. Once all seven flags are lit it
 * verifies broadcasts (mode 5, sent to the broadcast address): MAC keyed with (server, broadcast
 * address, key ID, cookie 0), then the key ID must hash back to the previous accepted key ID or
 * the published AUTO key ID within the remaining sequence count plus one ({@link KeyChain}); a
 * packet whose AUTO push verifies resets the chain. A broken chain clears AUTO and the client asks
 * for the values again by unicast ({@link #wantsToTransmit()}).
 *
 * <p>As designed, not as ntpd 4.2.8p11–p18 behave: those versions compare every broadcast's key ID
 * with the client's own last volley key ID ("Wanted keyID") and so drop all broadcasts. Broadcasts
 * not newer (transmit timestamp) than the last one that passed the chain are ignored, as in ntpd
 * since 4.2.8p6 (non-monotonic broadcast timestamps); a forged broadcast (its cookie-0 MAC is
 * computable by anyone) cannot move that mark.
 *
 * <p>Not thread-safe; use from one thread.
 */
public final class BroadcastClient implements AutokeyEngine {
  private final Association association;
  private final InetAddress broadcastAddress;
  private final AddressPair broadcastPair;
  private final Optional<String> ident;
  private boolean broadcasting;
  // Broadcast MACs use cookie 0, so anyone can make one: only packets that passed the key-ID
  // chain advance the monotonic filter; others are only duplicate-checked.
  private final ReplayMarks marks = new ReplayMarks();
  private static final ReceiveGate.MacCookie NO_COOKIE = hasFields -> CookieRules.NO_COOKIE;
  private final ReceivedKeyChain chain = new ReceivedKeyChain();
  private long broadcastsAccepted;

  private BroadcastClient(Association association, InetAddress broadcastAddress,
      Optional<String> ident) {
    this.association = association;
    this.ident = ident;
    this.broadcastAddress = broadcastAddress;
    this.broadcastPair = AddressPair.of(association.remote(), broadcastAddress);
  }

  /**
   * Mobilises a broadcast client from a received broadcast (ntpd: a broadcast matching no
   * association whose last field is an ASSOC response). The broadcast's MAC must verify (cookie 0,
   * key ID above 65535); the group-name rule of the host's configuration applies (§11.8: a grouped
   * host accepts only senders with an '@' name in its own group or its {@code ident} group, unless
   * the rule is {@link AutokeyConfig.GroupRule#NONE}).
   *
   * @param host the host
   * @param local the client's unicast address (the volley is sent from it)
   * @param buf datagram buffer
   * @param off datagram offset
   * @param len datagram length
   * @param source the server's unicast address (the broadcast's source)
   * @param destination the broadcast address it arrived on
   * @param rxTime receive time (NTP 64-bit)
   * @param ident the group whose identity parameters are used; if empty, the host's {@code ident},
   *     else the group of the server's name (a client must hold client files for every group on
   *     its broadcast medium)
   * @return the new client, or empty if the datagram is not a mobilising Autokey broadcast (not
   *     mode 5, no Autokey MAC, bad MAC, no ASSOC response, refused by the group rule) or the host
   *     already holds {@link AutokeyHost#MAX_ASSOCIATIONS} associations
   * @throws AutokeyException with ntpd's code when the ASSOC is refused ({@code XEVNT_MD} for an
   *     unknown signature NID, {@code XEVNT_KEY} for a PC mismatch)
   */
  public static Optional<BroadcastClient> mobilise(AutokeyHost host, InetAddress local, byte[] buf,
      int off, int len, InetAddress source, InetAddress destination, long rxTime,
      Optional<String> ident) throws AutokeyException {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(ident, "ident");
    Objects.checkFromIndexSize(off, len, buf.length);
    if (!AutokeyHost.sameFamily(local, source) || !AutokeyHost.sameFamily(source, destination)) {
      return Optional.empty();
    }
    ReceiveGate.Passed g = ReceiveGate.decode(buf, off, len, 0,
        m -> m == NtpHeader.MODE_BROADCAST);
    if (g.refused() || g.packet().fields().isEmpty()) {
      return Optional.empty();
    }
    AutokeyPacket p = g.packet();
    ExtensionField last = p.fields().get(p.fields().size() - 1);
    if (!last.opcode().equals(Opcode.ASSOC) || !last.isResponse() || last.isError()
        || !last.isValueForm()) {
      return Optional.empty();
    }
    g = ReceiveGate.authenticate(g, host, buf, off, len, 0, AddressPair.of(source, destination),
        NO_COOKIE, null, null);
    if (g.refused() || ReceiveGate.groupRule(host, p, ident, 0, g.keyId()) != null) {
      return Optional.empty();
    }
    String name = new String(last.value(), StandardCharsets.ISO_8859_1);
    Optional<String> group = ident.isPresent() ? ident : host.config().ident();
    if (group.isEmpty() && name.indexOf('@') >= 0) {
      group = Optional.of(name.substring(name.indexOf('@') + 1));
    }
    if (!host.hasRoomForAssociation()) {
      return Optional.empty();
    }
    Association a = new Association(host, Mode.BROADCAST_CLIENT, local, source, destination,
        group, host.allocateAssociationId());
    ResponseHandler.dispatch(a, last, NtpHeader.MODE_BROADCAST, rxTime);
    if (!host.tryRegister(a)) {
      return Optional.empty();
    }
    BroadcastClient c = new BroadcastClient(a, destination, group);
    c.marks.seen(p.header().transmitTimestamp());
    return Optional.of(c);
  }

  /** The underlying association (flags, trail, identity scheme). */
  public Association association() {
    return association;
  }

  /** The broadcast address this client listens on. */
  public InetAddress broadcastAddress() {
    return broadcastAddress;
  }

  /** The server's unicast address. */
  public InetAddress server() {
    return association.remote();
  }

  /** Whether the volley is complete and broadcasts are being verified. */
  public boolean isReceivingBroadcasts() {
    return broadcasting;
  }

  /** Broadcasts accepted for time so far. */
  public long broadcastsAccepted() {
    return broadcastsAccepted;
  }

  /**
   * Whether the client needs to send a unicast request at its next poll: during the volley, and
   * after a broken key-ID chain cleared AUTO.
   */
  public boolean wantsToTransmit() {
    return !isDemobilised()
        && (!broadcasting || !association.has(Flag.AUTO) || !association.allFlags());
  }

  /**
   * Whether the association was reset (protocol error, crypto-NAK, refresh). ntpd demobilises
   * such an ephemeral association; the caller drops this client and mobilises a new one from the
   * server's next ASSOC broadcast.
   */
  public boolean isDemobilised() {
    return association.flags() == 0;
  }

  /**
   * Builds the next unicast volley request (NTP mode 3, header built by the caller).
   *
   * @see Association#prepareTransmit(NtpHeader, long)
   */
  public byte[] prepareTransmit(NtpHeader header, long now) {
    return association.prepareTransmit(header, now);
  }

  /** Seals the next unicast volley request in place (see {@link AutokeyEngine#seal}). */
  @Override
  public int seal(byte[] buf, int off, int capacity, long now) {
    return association.seal(buf, off, capacity, now);
  }

  /**
   * Processes a datagram from the server: a mode-4 reply to a volley request, or a mode-5
   * broadcast.
   *
   * @return the decision; malformed input is a rejected verdict, never an exception
   */
  @Override
  public Verdict receive(byte[] buf, int off, int len, InetAddress source,
      InetAddress destination, long rxTime) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.checkFromIndexSize(off, len, buf.length);
    if (isDemobilised()) {
      return Verdict.ignored(Verdict.Cause.NOT_OURS, false, 0, 0, "demobilised");
    }
    if (len < NtpHeader.LENGTH || (buf[off] & 7) != NtpHeader.MODE_BROADCAST) {
      Verdict v = association.receive(buf, off, len, source, destination, rxTime);
      if (association.allFlags() && association.peerAutoValues().isPresent()
          && (!broadcasting || !chain.hasValues())) {
        chain.install(association.peerAutoValues().get());
        broadcasting = true;
      }
      return v;
    }
    return broadcast(buf, off, len, source, destination, rxTime);
  }

  private Verdict broadcast(byte[] buf, int off, int len, InetAddress source,
      InetAddress destination, long rxTime) {
    long flags = association.flags();
    association.onTimer(rxTime);
    if (!source.equals(association.remote()) || !destination.equals(broadcastAddress)) {
      return Verdict.ignored(Verdict.Cause.NOT_OURS, false, flags, 0,
          "broadcast from " + source.getHostAddress() + " to " + destination.getHostAddress());
    }
    ReceiveGate.Passed g = ReceiveGate.decode(buf, off, len, flags,
        m -> m == NtpHeader.MODE_BROADCAST);
    if (!g.refused()) {
      g = ReceiveGate.authenticate(g, association.host(), buf, off, len, flags, broadcastPair,
          NO_COOKIE, null, marks);
    }
    if (g.refused()) {
      return g.refusal();
    }
    AutokeyPacket p = g.packet();
    long keyId = g.keyId();
    long xmt = p.header().transmitTimestamp();
    SessionKeyEngine e = association.host().engine();
    if (!broadcasting) {
      return Verdict.ignored(Verdict.Cause.NOT_OURS, false, flags, keyId,
          "volley in progress: broadcasts not used yet");
    }
    // The chain says whether the key ID is new; a packet off the chain and not newer than the
    // last verified one is a replay, ignored without touching anything (not a broken chain).
    boolean haveChain = chain.hasValues() && association.has(Flag.AUTO);
    ChainResult first = haveChain
        ? chain.test(e, broadcastPair, CookieRules.NO_COOKIE, keyId) : null;
    if ((first == null || !first.accepted()) && marks.staleOffChain(xmt)) {
      return Verdict.ignored(Verdict.Cause.DUPLICATE, false, flags, keyId,
          "broadcast off the key-ID chain and not newer than the last verified one");
    }
    Verdict group = ReceiveGate.groupRule(association.host(), p, ident, flags, keyId);
    if (group != null) {
      return group;
    }
    // A broadcast carries the server's ASSOC or the AUTO push, nothing else: any other field
    // (a COOK, LEAP or SIGN response lifted from a unicast reply, say) was not sent to us.
    for (ExtensionField f : p.fields()) {
      if (!f.opcode().equals(Opcode.ASSOC) && !f.opcode().equals(Opcode.AUTO)) {
        return Verdict.ignored(Verdict.Cause.UNSOLICITED, false, flags, keyId,
            "a broadcast carries no " + f.opcode() + " field");
      }
    }
    int generation = chain.generation();
    for (ExtensionField f : p.fields()) {
      try {
        if (PacketChecks.isProtocolError(f) || !f.isResponse()) {
          throw new AutokeyException(XEvent.ERR, "protocol error in broadcast " + f.opcode());
        }
        ResponseHandler.dispatch(association, f, NtpHeader.MODE_BROADCAST, rxTime);
        if (f.opcode().equals(Opcode.AUTO)) {
          association.peerAutoValues().ifPresent(chain::install);
        }
      } catch (AutokeyException ex) {
        Verdict v = association.fieldError(f, ex, rxTime, keyId);
        if (v.restarted()) {
          broadcasting = false;
          chain.invalidate();
        }
        return v;
      }
    }
    flags = association.flags();
    // Every broadcast, the one carrying a signed AUTO push included, must pass the key-ID chain:
    // the push is sent with the new list's first key, which hashes to the values it carries.
    if (!chain.hasValues() || !association.has(Flag.AUTO)) {
      return Verdict.rejected(Verdict.Cause.BAD_KEY_ID, XEvent.OK, false, flags, keyId,
          "no autokey values: requesting them again");
    }
    ChainResult r = first != null && generation == chain.generation() ? first
        : chain.test(e, broadcastPair, CookieRules.NO_COOKIE, keyId);
    if (!r.accepted()) {
      chain.invalidate();
      association.clearAuto(rxTime);
      return Verdict.rejected(Verdict.Cause.BAD_KEY_ID, XEvent.OK, false, association.flags(),
          keyId, "key ID does not hash to the previous one within " + (chain.sequence() + 1)
              + " steps: AUTO cleared");
    }
    chain.commit(keyId, r);
    marks.seen(xmt);
    return accept(flags, keyId, xmt, rxTime);
  }

  private Verdict accept(long flags, long keyId, long xmt, long now) {
    marks.verified(xmt);
    if (!association.isProventic()) {
      return Verdict.authentic(flags, keyId, "not proventic yet");
    }
    broadcastsAccepted++;
    association.host().sampleAccepted(now);
    return Verdict.accepted(flags, keyId);
  }

  @Override
  public long nextDeadline() {
    return association.nextDeadline();
  }

  @Override
  public void onTimer(long now) {
    association.onTimer(now);
  }

  /** Demobilises the client. */
  public void close() {
    association.host().remove(association);
  }

  @Override
  public String toString() {
    return "BroadcastClient[" + association + (broadcasting ? " broadcasting" : " volley")
        + "]";
  }
}
