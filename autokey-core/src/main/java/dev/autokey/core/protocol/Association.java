package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateCache;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.CookieRules;
import dev.autokey.core.keys.KeyListParameters;
import dev.autokey.core.keys.KeyingMode;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.AutoValues;
import dev.autokey.core.wire.HostStatus;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.MacField;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import java.net.InetAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One association's Autokey state machine (docs/protocol.md §11): client, symmetric active/passive,
 * broadcast server or broadcast client. Created by {@link AutokeyHost}.
 *
 * <p>Transmit: the caller's NTP layer builds the 48-byte header (mode, stratum, poll, timestamps);
 * {@link #prepareTransmit} appends the extension field the protocol needs next and the MAC (the
 * header's poll field sets the key-list lifetimes). Receive: the caller passes every datagram from
 * the peer with both addresses and its receive time to {@link #receive}; the {@link Verdict} says
 * whether the packet is usable for time. Timers: call {@link #onTimer} at {@link #nextDeadline}.
 * Not thread-safe.
 *
 * <p>Differences from ntpd 4.2.8p15, all deliberate: the peer's status word is masked to {@code
 * 0xFFFF00F3} before it is stored (ntpd copies the progress bits, docs/protocol.md §3.1); a reply's
 * origin timestamp must match before its fields are processed (§1.1); packets carrying extension
 * fields are never time samples (docs/security.md T38); a SIGN response must certify the own name and key;
 * CERT response signatures are checked once the peer's key is known; a valid crypto-NAK on a
 * proventic association first only drops the cookie (so a server's private-value revoke costs
 * one poll, not a protocol restart); a second NAK before a new cookie arrives resets everything.
 *
 * <p>The association owns its state and its public API; the machinery lives beside it:
 * {@link AutokeyState} (what it learnt of the peer), {@link KeySchedule} (key list, ageing, AUTO
 * push), {@link RequestOrder} (the next request, one order for every mode), one
 * {@link ResponseHandler} per response opcode, {@link ReceiveGate} (the one receive gate) and
 * {@link ClientReceive} (the client's receive path). It is over 400 lines because the engine's
 * public API (flags, trail, seal, receive, timers) and the package-private accessors its parts use
 * are documented here, once.
 */
public final class Association implements AutokeyEngine {
  private static final int PROGRESS_MASK = HostStatus.CLIENT_STATE_MASK;
  private static final byte[] EMPTY = new byte[0];
  /**
   * After this many answered requests in a row that lit no flag and moved no certificate trail,
   * the association restarts. An honest server moves the exchange on with every answer; ntpd
   * instead stays stuck until its refresh timer (2^19 s by default).
   */
  static final int IDLE_RESTART = 8;
  /**
   * A symmetric association whose peer has not been heard for this many transmissions restarts
   * (its next packet is an ASSOC request). ntpd reaches the same through its reachability
   * register and peer timeout.
   */
  static final int UNREACH_RESTART = 8;

  private final AutokeyHost host;
  private final Mode mode;
  private final long associd;
  private final InetAddress local;
  private final InetAddress remote;
  private final AddressPair outbound;
  private final AddressPair inbound;
  private final Optional<String> ident;

  private final AutokeyState st = new AutokeyState();
  private final KeySchedule schedule;
  private final ClientReceive client;

  // ---- transmit state ----
  private int lastKeyId;
  private long lastXmt;
  private boolean transmitted;
  private long refreshAt = NtpTime.NEVER;
  private long replayKeyId = -1;
  private byte[] replayChallenge;
  // The opcode of the request sent in the last transmission (client-side modes): a reply field
  // of any other opcode was not asked for and is ignored (it never lights a flag).
  private Opcode outstanding;
  // Symmetric modes: transmissions since the peer was last heard (a verified packet). A passive
  // peer that was reset is gone (ntpd demobilises it), and only a fresh ASSOC request from the
  // active side can mobilise a new one: see UNREACH_RESTART.
  private int unheard;
  // ---- symmetric ----
  private boolean peerSynchronised = true;

  Association(AutokeyHost host, Mode mode, InetAddress local, InetAddress remote,
      InetAddress broadcast, Optional<String> ident, long associd) {
    this.host = Objects.requireNonNull(host, "host");
    this.mode = Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
    if (!AutokeyHost.sameFamily(local, remote)) {
      throw new IllegalArgumentException("local " + local + " and remote " + remote
          + " are of different address families");
    }
    this.local = local;
    this.remote = remote;
    this.outbound = AddressPair.of(local, remote);
    this.inbound = AddressPair.of(remote, local);
    this.ident = Objects.requireNonNull(ident, "ident");
    this.associd = associd;
    this.schedule = new KeySchedule(this, host, outbound);
    this.client = new ClientReceive(this);
  }

  // ================================================================ public API

  /** The local association ID. */
  public long associationId() {
    return associd;
  }

  /** The association's mode. */
  public Mode mode() {
    return mode;
  }

  /** The remote address. */
  public InetAddress remote() {
    return remote;
  }

  /** The local address. */
  public InetAddress local() {
    return local;
  }

  /** The status word: peer status bits plus the progress flags lit so far. */
  public long flags() {
    return st.crypto;
  }

  /** Whether a progress flag is lit. */
  public boolean has(Flag flag) {
    return (st.crypto & flag.bit()) != 0;
  }

  /** Whether all seven progress flags are lit. */
  public boolean allFlags() {
    return (st.crypto & PROGRESS_MASK) == PROGRESS_MASK;
  }

  /** Whether PROV is lit (packets may be used for time). */
  public boolean isProventic() {
    return has(Flag.PROV);
  }

  /** The identity scheme chosen from the peer's status word, once known. */
  public Optional<IdentityScheme> identityScheme() {
    return Optional.ofNullable(st.scheme);
  }

  /** The certificate trail walked so far (first = the peer's certificate). */
  public java.util.List<CertificateInfo> trail() {
    return st.trail == null ? java.util.List.of() : st.trail.chain();
  }

  /** The TAI offset from the last LEAP response (0 if none). */
  public long taiOffset() {
    return st.leapTai;
  }

  /** The key ID of the last transmission (0 before the first). */
  public long lastKeyId() {
    return lastKeyId & 0xFFFF_FFFFL;
  }

  /** The next transmission uses this key ID: {@link ReplayHooks}. */
  void replayNextKeyId(long keyId) {
    if (keyId <= MacField.NTP_MAXKEY || keyId > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("not an Autokey key ID: " + keyId);
    }
    replayKeyId = keyId;
  }

  /** The next identity request carries this challenge: {@link ReplayHooks}. */
  void replayNextChallenge(byte[] value) {
    replayChallenge = value.clone();
  }

  /**
   * Builds the datagram for the next transmission: {@code header}, then the request the protocol
   * needs next (if any), then the MAC.
   *
   * @param header the NTP header the caller built (its transmit timestamp is remembered for the
   *     origin check of the reply; its poll field sets key-list lifetimes)
   * @param now current time (NTP 64-bit)
   * @return the datagram to send
   */
  public byte[] prepareTransmit(NtpHeader header, long now) {
    byte[] buf = new byte[MAX_DATAGRAM];
    header.writeTo(ByteBuffer.wrap(buf, 0, NtpHeader.LENGTH));
    return Arrays.copyOf(buf, seal(buf, 0, buf.length, now));
  }

  /**
   * As {@link #prepareTransmit(NtpHeader, long)}, writing into {@code out} at its position.
   *
   * @return the number of bytes written
   * @throws java.nio.BufferOverflowException if {@code out} has less room than the datagram
   */
  public int prepareTransmit(NtpHeader header, long now, ByteBuffer out) {
    byte[] d = prepareTransmit(header, now);
    out.put(d);
    return d.length;
  }

  @Override
  public int seal(byte[] buf, int off, int capacity, long now) {
    return seal(buf, off, capacity, now, null);
  }

  /**
   * Seals a transmission with an optional leading field (a symmetric peer's response to the
   * queued request) before the protocol's own next field. The key ID is drawn first, as in ntpd's
   * {@code peer_xmit}, so that a new key list's AUTO push goes out with the list's first key.
   */
  int seal(byte[] buf, int off, int capacity, long now, Supplier<ExtensionField> leadingField) {
    Objects.checkFromIndexSize(off, capacity, buf.length);
    SessionKeyEngine e = host.engine();
    if (capacity < NtpHeader.LENGTH + e.macLength()) {
      throw new BufferOverflowException();
    }
    runTimers(now);
    if (isSymmetric()) {
      if (st.crypto != 0 && unheard >= UNREACH_RESTART) {
        restart(now, "peer not heard for " + UNREACH_RESTART + " transmissions");
      }
      unheard++;
    }
    int poll = Math.max(0, Math.min(KeyListParameters.MAX_POLL, buf[off + 2]));
    int keyId = schedule.nextKeyId(poll, CookieRules.chainCookie(keying(), workingCookie()), now);
    if (replayKeyId != -1) {
      keyId = (int) replayKeyId;
      replayKeyId = -1;
    }
    ExtensionField leading = leadingField == null ? null : leadingField.get();
    ExtensionField request = RequestOrder.next(this, now);
    int efLen = (leading == null ? 0 : leading.length())
        + (request == null ? 0 : request.length());
    int total = NtpHeader.LENGTH + efLen + e.macLength();
    if (total > capacity) {
      throw new BufferOverflowException();
    }
    if (efLen > 0) {
      ByteBuffer b = ByteBuffer.wrap(buf, off + NtpHeader.LENGTH, efLen);
      if (leading != null) {
        leading.writeTo(b);
      }
      if (request != null) {
        request.writeTo(b);
      }
    }
    int macCookie = CookieRules.macCookie(keying(), efLen > 0, workingCookie());
    e.computeMac(outbound, keyId, macCookie, buf, off, NtpHeader.LENGTH + efLen);
    lastKeyId = keyId;
    lastXmt = readLong(buf, off + NtpHeader.OFFSET_TRANSMIT_TIMESTAMP);
    transmitted = true;
    outstanding = request == null || request.isResponse() ? null : request.opcode();
    return total;
  }

  private static long readLong(byte[] b, int i) {
    long v = 0;
    for (int k = 0; k < 8; k++) {
      v = (v << 8) | (b[i + k] & 0xFF);
    }
    return v;
  }

  /**
   * Processes a received datagram (see {@link ClientReceive}).
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
  @Override
  public Verdict receive(byte[] buf, int off, int len, InetAddress source,
      InetAddress destination, long rxTime) {
    return client.receive(buf, off, len, source, destination, rxTime);
  }

  /**
   * Symmetric modes: the response fields of a packet were taken; if they moved nothing while the
   * exchange is incomplete, this counts towards {@link #IDLE_RESTART}. Returns whether the
   * association restarted.
   */
  boolean exchangeTaken(long flagsBefore, int trailBefore, long now) {
    return client.exchangeTaken(flagsBefore, trailBefore, now);
  }

  /** The number of certificates in the trail so far, -1 before ASSOC. */
  int trailLength() {
    return st.trailLength();
  }

  @Override
  public long nextDeadline() {
    return NtpTime.earlier(refreshAt, schedule.ageAt());
  }

  @Override
  public void onTimer(long now) {
    runTimers(now);
  }

  @Override
  public String toString() {
    return "Association[" + mode + " " + associd + " " + local.getHostAddress() + " -> "
        + remote.getHostAddress() + String.format(Locale.ROOT, " flags=0x%08x]", st.crypto);
  }

  /**
   * The signed AUTO response of the current key list (broadcast and symmetric modes); empty
   * while there is no key list. Read by the host's {@link ServerResponder}, possibly on another
   * thread: {@code autoPush} is volatile and the field value immutable.
   */
  Optional<ExtensionField> publishedAutoResponse() {
    return schedule.published();
  }

  /** Whether this association publishes autokey values (broadcast server, symmetric peer). */
  boolean publishesAutoValues() {
    return mode == Mode.BROADCAST_SERVER || isSymmetric();
  }

  // ================================================================ timers

  void runTimers(long now) {
    if (NtpTime.due(refreshAt, now)) {
      host.emit(ProtocolEvent.Type.REFRESH, now, remote, associd, XEvent.OK, "crypto refresh");
      restart(now, "refresh");
    }
    if (NtpTime.due(schedule.ageAt(), now)) {
      // ntpd's key ageing: the next transmission makes a new list.
      schedule.destroy();
    }
  }

  void restart(long now, String why) {
    client.resetIdle();
    outstanding = null;
    st.clear();
    schedule.destroy();
    refreshAt = NtpTime.plusSeconds(now, 1L << host.config().refresh());
    host.emit(ProtocolEvent.Type.RESTART, now, remote, associd, XEvent.OK, "restart " + why);
  }

  // ================================================================ transmit

  KeyingMode keying() {
    if (mode == Mode.BROADCAST_SERVER) {
      return KeyingMode.BROADCAST;
    }
    return isSymmetric() ? KeyingMode.SYMMETRIC : KeyingMode.CLIENT_SERVER;
  }

  boolean isSymmetric() {
    return mode == Mode.SYMMETRIC_ACTIVE || mode == Mode.SYMMETRIC_PASSIVE;
  }

  // ================================================================ receive

  /**
   * Reports a refused response field (event; restart on XEVNT_ERR before the peer is proven, or
   * always for a broadcast client) and returns the verdict.
   */
  Verdict fieldError(ExtensionField f, AutokeyException ex, long now, long keyId) {
    XEvent e = ex.event();
    host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, e,
        CryptostatsFormatter.errorText(f.headerWord() & 0xFFFF_FFFFL, f.associationId(), e));
    // ntpd restarts on every XEVNT_ERR. Such an error (an error bit, a bad version, a request
    // where an answer was due) is unsigned and, under a cookie-0 MAC, anyone's to send: once the
    // peer is proven it does not tear the association down (docs/security.md T30); an exchange that
    // really broke restarts after IDLE_RESTART answers without progress. A broadcast client keeps
    // ntpd's rule: an ASSOC broadcast with a new association ID is how it learns that its server
    // restarted, and it has no requests whose answers could count towards IDLE_RESTART.
    boolean restart = e == XEvent.ERR && (mode == Mode.BROADCAST_CLIENT || !isProventic());
    if (restart) {
      restart(now, "protocol error");
    }
    return Verdict.rejected(Verdict.Cause.PROTOCOL, e, restart, st.crypto, keyId,
        f.opcode() + ": " + ex.getMessage());
  }

  /** Lights a progress flag (event when it was dark). */
  void light(Flag f, long now) {
    if ((st.crypto & f.bit()) == 0) {
      st.crypto |= f.bit();
      host.emit(ProtocolEvent.Type.FLAG_LIT, now, remote, associd, XEvent.OK,
          "flag " + f.name().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * ntpd lights PROV when a signed response verifies after the identity step; here it is lit
   * only once the whole response was processed without error, so that a response that fails
   * later (a COOK value that does not decrypt, say) leaves no flag behind.
   */
  void proventic(long now) {
    if (has(Flag.VRFY) && !has(Flag.PROV)) {
      light(Flag.PROV, now);
      cacheTrail(now);
    }
  }

  /**
   * Once the peer is proven (identity verified and a signature by the trail's key checked), the
   * trail's certificates may be served to this host's own clients: they go into the host's
   * certificate cache now, never earlier (a trail that ends at an intruder's self-signed root is
   * refused by the identity step or by the pinned anchors, and never reaches the cache).
   */
  private void cacheTrail(long now) {
    if (st.trail == null) {
      return;
    }
    CertificateCache cache = host.certificates();
    for (CertificateInfo c : st.trail.chain()) {
      try {
        cache.install(c.der(), c.filestamp(), NtpTime.seconds(now));
      } catch (AutokeyException ex) {
        host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, ex.event(),
            "verified certificate " + c.subject() + " not cached: " + ex.getMessage());
      }
    }
  }

  /** The peer was heard (a verified packet): see {@link #UNREACH_RESTART}. */
  void heard() {
    unheard = 0;
  }

  /** The remote association ID learnt from ASSOC (0 before). */
  long remoteAssociationId() {
    return st.assoc;
  }

  /** The working cookie (0 before COOK). */
  int workingCookie() {
    return has(Flag.COOK) ? st.cookie : 0;
  }

  /** The own host cookie of symmetric mode (drawn when ASSOC was accepted). */
  int hostCookie() {
    return st.hcookie;
  }

  /** The peer's last autokey values, if AUTO is lit. */
  Optional<AutoValues> peerAutoValues() {
    return has(Flag.AUTO) ? Optional.ofNullable(st.peerAuto) : Optional.empty();
  }

  /** Clears AUTO after a broken key-ID chain (ntpd: the values are requested again). */
  void clearAuto(long now) {
    if (has(Flag.AUTO)) {
      st.crypto &= ~Flag.AUTO.bit();
      host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, XEvent.OK,
          "autokey chain broken: AUTO cleared");
    }
  }

  /** Whether the peer's clock is synchronised (symmetric COOK/SIGN wait for it). */
  void peerSynchronised(boolean synced) {
    this.peerSynchronised = synced;
  }

  /** The transmit timestamp of the last transmission. */
  long lastTransmitTimestamp() {
    return lastXmt;
  }

  /** Whether anything was transmitted yet. */
  boolean hasTransmitted() {
    return transmitted;
  }

  /** The key ID of the last transmission, as sent (32 bits). */
  int lastKeyIdRaw() {
    return lastKeyId;
  }

  /** The opcode of the request of the last transmission, if it is still unanswered. */
  Opcode outstanding() {
    return outstanding;
  }

  /** The last request was answered. */
  void answered() {
    outstanding = null;
  }

  /** The pair of addresses the peer's packets carry (remote to local). */
  AddressPair inbound() {
    return inbound;
  }

  /** The association ID (for events). */
  long id() {
    return associd;
  }

  /** The host. */
  AutokeyHost host() {
    return host;
  }

  /** The association's group name (selects identity parameters; group rule). */
  Optional<String> ident() {
    return ident;
  }

  /** What the association has learnt of its peer (handlers write it). */
  AutokeyState state() {
    return st;
  }

  /** The transmit key-list schedule. */
  KeySchedule schedule() {
    return schedule;
  }

  /** Whether the symmetric peer's clock is synchronised (COOK waits for it). */
  boolean peerSynchronised() {
    return peerSynchronised;
  }

  /** The replay hook's challenge for the next identity request, once (else null). */
  byte[] takeReplayChallenge() {
    byte[] c = replayChallenge;
    replayChallenge = null;
    return c;
  }

  /** The protocol refresh timer starts with the first key list or ASSOC, if not running. */
  void startRefreshTimer(long now) {
    if (refreshAt == NtpTime.NEVER) {
      refreshAt = NtpTime.plusSeconds(now, 1L << host.config().refresh());
    }
  }

  /** The schedule made a new key list. */
  void keyListMade(long now, String detail) {
    startRefreshTimer(now);
    host.emit(ProtocolEvent.Type.KEY_LIST_REGENERATED, now, remote, associd, XEvent.OK, detail);
  }

  /** Emits an event of this association. */
  void emit(ProtocolEvent.Type type, long now, String detail) {
    host.emit(type, now, remote, associd, XEvent.OK, detail);
  }

  /** Emits an error event of this association. */
  void emitError(long now, XEvent e, String detail) {
    host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, e, detail);
  }
}
