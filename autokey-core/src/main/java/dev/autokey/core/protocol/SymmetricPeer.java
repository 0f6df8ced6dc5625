package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.ChainResult;
import dev.autokey.core.keys.CookieRules;
import dev.autokey.core.keys.KeyingMode;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A symmetric active or passive association ({@code peer ADDR autokey}, docs/protocol.md §11.5, §3.1
 * step 1, §8.3): both peers run the client sequence against each other. Requests from the peer
 * are queued and answered in the next own transmission, so a packet carries at most one response
 * followed by one request. COOK waits until both peers are synchronised; the cookie is the XOR of
 * both host cookies; each side requests AUTO (with its own association ID) until it has the
 * peer's values, and pushes its own signed values (with the peer's association ID) after every
 * new key list once SIGN is lit. An ASSOC request arriving while CERT is lit is a protocol error
 * ({@code XEVNT_ERR}, restart); the peers' identity-scheme presence must match ({@code
 * XEVNT_KEY}). Both peers need a certificate trail to a trusted certificate.
 *
 * <p>Key IDs of packets that verify no signature must hash back to the previous accepted key ID
 * or the peer's published AUTO key ID (cookie = the agreed cookie, bound = remaining sequence + 1)
 * — as designed, not as ntpd 4.2.8p11–p18 do (those compare the peer's key ID with their own last
 * one, "Wanted keyID", and drop every peer packet). A broken chain clears AUTO and the values are
 * requested again. Packets not newer (transmit timestamp) than the last one that passed the chain
 * or a signature are ignored before any field is processed; a forged packet cannot move that
 * mark. Only packets whose origin timestamp is our last transmit
 * timestamp are time samples, and never packets that carry extension fields (their MAC key uses
 * cookie 0).
 *
 * <p>Not thread-safe; use from one thread.
 *
 * <p>Slightly over 400 lines: the receive path of crossing polls (fields answered and requests
 * queued in one packet, the key-ID chain for plain packets) and the queued-request answering are
 * one piece of behaviour; the gate, the handlers and the request order are shared classes.
 */
public final class SymmetricPeer implements AutokeyEngine {

  private final Association association;
  private final AddressPair inbound;
  private final Optional<String> ident;
  private ExtensionField queued;
  private long lastRxXmt;
  // MACs of packets with extension fields use cookie 0 (computable by anyone): only packets that
  // passed the key-ID chain or a signature advance the monotonic filter.
  private final ReplayMarks marks = new ReplayMarks();
  // fields: cookie 0; plain packets: the working cookie (the XOR of the two host cookies)
  private final ReceiveGate.MacCookie macCookie;
  private final ReceivedKeyChain chain = new ReceivedKeyChain();

  private SymmetricPeer(Association association, Optional<String> ident) {
    this.association = association;
    this.ident = ident;
    this.inbound = AddressPair.of(association.remote(), association.local());
    this.macCookie = hasFields -> CookieRules.macCookie(KeyingMode.SYMMETRIC, hasFields,
        association.workingCookie());
  }

  /**
   * A symmetric active association.
   *
   * @param host the host
   * @param local the local address (session keys use it)
   * @param peer the peer's address
   * @param ident the association's group name (selects the identity parameters), else the host's
   *     {@code ident}
   */
  public static SymmetricPeer active(AutokeyHost host, InetAddress local, InetAddress peer,
      Optional<String> ident) {
    return create(host, Mode.SYMMETRIC_ACTIVE, local, peer, ident);
  }

  /**
   * A symmetric passive association (normally mobilised by {@link #mobilisePassive}).
   *
   * @see #active
   */
  public static SymmetricPeer passive(AutokeyHost host, InetAddress local, InetAddress peer,
      Optional<String> ident) {
    return create(host, Mode.SYMMETRIC_PASSIVE, local, peer, ident);
  }

  private static SymmetricPeer create(AutokeyHost host, Mode mode, InetAddress local,
      InetAddress peer, Optional<String> ident) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(ident, "ident");
    Optional<String> g = ident.isPresent() ? ident : host.config().ident();
    return new SymmetricPeer(host.register(new Association(host, mode, local, peer, null, g,
        host.allocateAssociationId())), g);
  }

  /**
   * Mobilises a passive association from a symmetric-active packet that matches no association
   * (ntpd's ephemeral passive peer): NTP mode 1, Autokey MAC that verifies, and an ASSOC request;
   * the group-name rule applies as for new broadcast clients. The packet is then processed by the
   * new association.
   *
   * @return the passive peer, or empty if the packet does not qualify or the host already holds
   *     {@link AutokeyHost#MAX_ASSOCIATIONS} associations
   */
  public static Optional<SymmetricPeer> mobilisePassive(AutokeyHost host, InetAddress local,
      byte[] buf, int off, int len, InetAddress source, InetAddress destination, long rxTime,
      Optional<String> ident) {
    Objects.requireNonNull(host, "host");
    Objects.checkFromIndexSize(off, len, buf.length);
    if (!AutokeyHost.sameFamily(local, source)) {
      return Optional.empty();
    }
    ReceiveGate.Passed gate = ReceiveGate.decode(buf, off, len, 0,
        m -> m == NtpHeader.MODE_SYMMETRIC_ACTIVE);
    if (gate.refused()) {
      return Optional.empty();
    }
    boolean assocRequest = false;
    for (ExtensionField f : gate.packet().fields()) {
      assocRequest |= f.opcode().equals(Opcode.ASSOC) && !f.isResponse();
    }
    if (!assocRequest) {
      return Optional.empty();
    }
    gate = ReceiveGate.authenticate(gate, host, buf, off, len, 0,
        AddressPair.of(source, destination), hasFields -> CookieRules.NO_COOKIE, null, null);
    if (gate.refused()
        || ReceiveGate.groupRule(host, gate.packet(), ident, 0, gate.keyId()) != null) {
      return Optional.empty();
    }
    Optional<String> g = ident.isPresent() ? ident : host.config().ident();
    if (!host.hasRoomForAssociation()) {
      return Optional.empty();
    }
    Association a = new Association(host, Mode.SYMMETRIC_PASSIVE, local, source, null, g,
        host.allocateAssociationId());
    if (!host.tryRegister(a)) {
      return Optional.empty();
    }
    SymmetricPeer peer = new SymmetricPeer(a, g);
    peer.take(gate.packet(), gate.keyId(), rxTime); // decoded and MAC-checked once, above
    return Optional.of(peer);
  }

  /** The underlying association (flags, trail, identity scheme, key IDs). */
  public Association association() {
    return association;
  }

  /** The NTP mode this peer transmits with (1 active, 2 passive). */
  public int ntpMode() {
    return association.mode().ntpMode();
  }

  /** The transmit timestamp of the peer's last accepted packet (the next origin timestamp). */
  public long lastReceivedTransmitTimestamp() {
    return lastRxXmt;
  }

  /** Whether a peer request is queued for the next transmission. */
  public boolean hasQueuedRequest() {
    return queued != null;
  }

  /**
   * Builds the next transmission: {@code header} (mode 1 or 2, built by the caller's NTP layer;
   * its origin timestamp should be {@link #lastReceivedTransmitTimestamp()}), the response to the
   * queued peer request if any, the next own request if any, and the MAC.
   *
   * @throws IllegalArgumentException if the header's mode is not this peer's
   */
  public byte[] prepareTransmit(NtpHeader header, long now) {
    Objects.requireNonNull(header, "header");
    byte[] buf = new byte[MAX_DATAGRAM];
    header.writeTo(ByteBuffer.wrap(buf, 0, NtpHeader.LENGTH));
    return Arrays.copyOf(buf, seal(buf, 0, buf.length, now));
  }

  /**
   * Seals the next transmission in place (see {@link AutokeyEngine#seal}): after the header, the
   * response to the queued peer request if any, the next own request if any, and the MAC.
   *
   * @throws IllegalArgumentException if the header's mode is not this peer's
   */
  @Override
  public int seal(byte[] buf, int off, int capacity, long now) {
    Objects.checkFromIndexSize(off, capacity, buf.length);
    int mode = capacity > 0 ? buf[off] & 7 : -1;
    if (mode != ntpMode()) {
      throw new IllegalArgumentException("header mode " + mode + ", peer mode " + ntpMode());
    }
    // the response is built after the key ID is drawn (a new key list's values are then current)
    return association.seal(buf, off, capacity, now, () -> {
      ExtensionField q = queued;
      queued = null;
      return q == null ? null : respond(q, now);
    });
  }

  /** ntpd {@code crypto_xmit} for a queued request, with this peer's state. */
  private ExtensionField respond(ExtensionField request, long now) {
    AutokeyHost host = association.host();
    Opcode op = request.opcode();
    if (op.equals(Opcode.ASSOC)) {
      return AutokeyMessages.assoc(true, association.associationId(),
          host.signatureUpdateTime(), host.status(), host.hostName());
    }
    if (op.equals(Opcode.AUTO)) {
      return association.publishedAutoResponse()
          .map(f -> f.withAssociationId(request.associationId()))
          .orElse(AutokeyMessages.emptyResponse(op, request.associationId()));
    }
    return host.responder().answerQueued(request, association.hostCookie(), now);
  }

  /**
   * Processes a datagram from the peer (NTP mode 1 or 2).
   *
   * @return the decision; malformed input is a rejected verdict, never an exception
   */
  @Override
  public Verdict receive(byte[] buf, int off, int len, InetAddress source,
      InetAddress destination, long rxTime) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.checkFromIndexSize(off, len, buf.length);
    association.onTimer(rxTime);
    long flags = association.flags();
    if (flags == 0 && (marks.anyVerified() || chain.hasValues())) {
      // restarted (protocol error, refresh, peer unreachable): the replay marks and key-ID chain
      // of the old exchange mean nothing for the new one (a mark set by a packet forged before
      // COOK must not outlive the restart)
      marks.clear();
      chain.invalidate();
    }
    if (!source.equals(association.remote())) {
      return Verdict.ignored(Verdict.Cause.NOT_OURS, false, flags, 0,
          "from " + source.getHostAddress());
    }
    ReceiveGate.Passed g = ReceiveGate.decode(buf, off, len, flags,
        m -> m == NtpHeader.MODE_SYMMETRIC_ACTIVE || m == NtpHeader.MODE_SYMMETRIC_PASSIVE);
    if (g.refused()) {
      return g.refusal();
    }
    if (g.packet().isCryptoNak()) {
      return Verdict.ignored(Verdict.Cause.STRAY_CRYPTO_NAK, false, flags, 0,
          "crypto-NAK from a symmetric peer ignored");
    }
    g = ReceiveGate.authenticate(g, association.host(), buf, off, len, flags, inbound,
        macCookie, null, marks);
    if (g.refused()) {
      return g.refusal();
    }
    return take(g.packet(), g.keyId(), rxTime);
  }

  /** The rest of the receive path, for a packet that passed the gate (decoded, MAC verified). */
  private Verdict take(AutokeyPacket p, long keyId, long rxTime) {
    long flags = association.flags();
    NtpHeader h = p.header();
    int peerMode = h.mode();
    long xmt = h.transmitTimestamp();
    boolean hasFields = !p.fields().isEmpty();
    SessionKeyEngine e = association.host().engine();
    // The key-ID chain says whether a packet is new. One off the chain and not newer than the
    // last verified packet is a replay: ignored before its fields are looked at, nothing touched.
    int chainCookie = CookieRules.chainCookie(KeyingMode.SYMMETRIC, association.workingCookie());
    boolean haveChain = chain.hasValues() && association.has(Flag.AUTO);
    ChainResult first = haveChain ? chain.test(e, inbound, chainCookie, keyId) : null;
    if ((first == null || !first.accepted()) && marks.staleOffChain(xmt)) {
      return Verdict.ignored(Verdict.Cause.DUPLICATE, false, flags, keyId,
          "off the key-ID chain and not newer than the last verified packet");
    }
    // Polls of the two peers cross, so the origin need not be our latest transmit timestamp;
    // fields are authenticated by MAC and signatures, packets by the key-ID chain. Only a packet
    // whose origin matches is a time sample (RFC 5905 TEST2).
    boolean originMatches = association.hasTransmitted()
        && h.originTimestamp() == association.lastTransmitTimestamp();
    Verdict group = ReceiveGate.groupRule(association.host(), p, ident, flags, keyId);
    if (group != null) {
      return group;
    }
    if (hasFields) {
      association.peerSynchronised(h.leap() != NtpHeader.LEAP_UNSYNCHRONIZED);
    }
    int generation = chain.generation();
    long flagsBefore = association.flags();
    int trailBefore = association.trailLength();
    boolean responses = false;
    for (ExtensionField f : p.fields()) {
      try {
        if (f.isResponse()) {
          responses = true;
          ResponseHandler.dispatch(association, f, peerMode, rxTime);
          if (f.opcode().equals(Opcode.AUTO)) {
            association.peerAutoValues().ifPresent(chain::install);
          }
        } else {
          request(f, peerMode, rxTime);
        }
      } catch (AutokeyException ex) {
        Verdict v = association.fieldError(f, ex, rxTime, keyId);
        if (v.restarted()) {
          queued = null;
          chain.invalidate();
        }
        return v;
      }
    }
    if (responses && association.exchangeTaken(flagsBefore, trailBefore, rxTime)) {
      queued = null;
      chain.invalidate();
      return new Verdict(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, XEvent.OK, true,
          association.flags(), keyId, "no progress in " + Association.IDLE_RESTART
              + " answers: restart");
    }
    flags = association.flags();
    // A signature in the packet does not vouch for its key ID (a signed field can be replayed
    // inside any packet): every packet passes the key-ID chain before it counts as verified.
    boolean chained = false;
    if (chain.hasValues() && association.has(Flag.AUTO)) {
      chainCookie = CookieRules.chainCookie(KeyingMode.SYMMETRIC, association.workingCookie());
      ChainResult r = first != null && generation == chain.generation()
          && chainCookie == CookieRules.chainCookie(KeyingMode.SYMMETRIC,
              association.workingCookie()) ? first : chain.test(e, inbound, chainCookie, keyId);
      if (!r.accepted()) {
        chain.invalidate();
        association.clearAuto(rxTime);
        return Verdict.rejected(Verdict.Cause.BAD_KEY_ID, XEvent.OK, false,
            association.flags(), keyId, "key ID does not hash to the previous one: AUTO cleared");
      }
      chain.commit(keyId, r);
      marks.verified(xmt);
      chained = true;
    }
    if (!chained && !hasFields) {
      return Verdict.authentic(flags, keyId, "no autokey values yet");
    }
    // The packet counts as the peer's latest (its transmit timestamp is the origin of our next
    // packet) only once its fields were taken or its key ID passed the chain.
    marks.seen(xmt);
    lastRxXmt = xmt;
    association.peerSynchronised(h.leap() != NtpHeader.LEAP_UNSYNCHRONIZED);
    association.heard();
    if (!chained) {
      return Verdict.authentic(flags, keyId, "no autokey values yet");
    }
    if (hasFields || !association.isProventic() || !originMatches) {
      return Verdict.authentic(flags, keyId,
          hasFields ? "Autokey exchange" : originMatches ? "not proventic yet"
              : "origin is not our last transmit timestamp");
    }
    association.host().sampleAccepted(rxTime);
    return Verdict.accepted(flags, keyId);
  }

  /** ntpd {@code crypto_recv} for a request from a symmetric peer (§3.1 step 1). */
  private void request(ExtensionField f, int peerMode, long now) throws AutokeyException {
    if (f.isError() || f.version() != ExtensionField.AUTOKEY_VERSION) {
      throw new AutokeyException(XEvent.ERR, "bad request " + f.opcode());
    }
    Opcode op = f.opcode();
    if (op.equals(Opcode.ASSOC)) {
      if (association.has(Flag.CERT)) {
        throw new AutokeyException(XEvent.ERR, "ASSOC request while CERT is lit");
      }
      if (queued != null && association.remoteAssociationId() != f.associationId()) {
        throw new AutokeyException(XEvent.ERR, "ASSOC request from association "
            + f.associationId() + " while one from " + association.remoteAssociationId()
            + " is queued");
      }
      if (!f.isValueForm()) {
        throw new AutokeyException(XEvent.LEN, "short ASSOC request");
      }
      queued = f.withAssociationId(association.associationId());
      ResponseHandler.dispatch(association, f.toBuilder().response(true).build(), peerMode, now);
      return;
    }
    boolean valueForm = op.equals(Opcode.CERT) || op.isIdentity() || op.equals(Opcode.COOK)
        || op.equals(Opcode.SIGN);
    if (valueForm && !f.isValueForm()) {
      throw new AutokeyException(XEvent.LEN, "short " + op + " request");
    }
    if (!valueForm && !op.equals(Opcode.AUTO) && !op.equals(Opcode.LEAP)) {
      throw new AutokeyException(XEvent.ERR, "unexpected request " + op);
    }
    if (queued == null) {
      queued = f;
    }
  }


  @Override
  public long nextDeadline() {
    return association.nextDeadline();
  }

  @Override
  public void onTimer(long now) {
    association.onTimer(now);
  }

  /** Demobilises the association. */
  public void close() {
    association.host().remove(association);
  }

  @Override
  public String toString() {
    return "SymmetricPeer[" + association + "]";
  }
}
