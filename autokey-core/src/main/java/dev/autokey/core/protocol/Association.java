package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateCache;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.cert.CertificateTrail;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.CookieRules;
import dev.autokey.core.keys.KeyList;
import dev.autokey.core.keys.KeyListParameters;
import dev.autokey.core.keys.KeyingMode;
import dev.autokey.core.keys.MacResult;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.ExtensionField.AutoValues;
import dev.autokey.core.wire.HostStatus;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.MacField;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketChecks;
import dev.autokey.core.wire.PacketCodec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

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
 *
 * <p>Differences from ntpd 4.2.8p15, all deliberate: the peer's status word is masked to {@code
 * 0xFFFF00F3} before it is stored (ntpd copies the progress bits, AUTOKEY-WIRE §3.1); a reply's
 * origin timestamp must match before its fields are processed (§1.1); packets carrying extension
 * fields are never time samples (SECURITY T38); a SIGN response must certify the own name and key;
 * CERT response signatures are checked once the peer's key is known; a valid crypto-NAK on a
 * proventic association first only drops the cookie (so a server's private-value revoke costs
 * one poll, not a protocol restart); a second NAK before a new cookie arrives resets everything.
 *
 * <p>One association's whole state machine for every mode is still one class: its split (state,
 * key-list schedule, one request order, one handler per opcode) is the engine redesign of the
 * front-door work, done with the adversarial suite as its safety net rather than inside the
 * security fixes.
 */
public final class Association {
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

  // ---- Autokey state (cleared by restart) ----
  private long crypto; // peer status (masked) | progress bits; 0 = nothing received
  private long assoc; // remote association ID
  private IdentityScheme scheme;
  private IdentityClient identityClient;
  private IdentityChallenge challenge;
  private CertificateTrail trail;
  private CertificateInfo trustedRoot;
  private SignatureVerifier pkey;
  private int peerNid;
  private String issuer;
  private int cookie;
  private int hcookie;
  private long autoTs;
  private long autoFs;
  private long cookTs; // ntpd peer->cookval: timestamps of the last accepted COOK response
  private long cookFs;
  private AutoValues peerAuto;
  private long leapTai;

  // ---- transmit state ----
  private KeyList keyList;
  private KeyList.Cursor cursor;
  private long keyListBorn;
  private int keyListPoll = -1;
  private int lastKeyId;
  private long lastXmt;
  private long lastRxXmt;
  private boolean transmitted;
  private long refreshAt = NtpTime.NEVER;
  private long keyAgeAt = NtpTime.NEVER;
  private volatile ExtensionField autoPush;
  private long replayKeyId = -1;
  private boolean nakSinceCookie;
  private byte[] replayChallenge;
  // The opcode of the request sent in the last transmission (client-side modes): a reply field
  // of any other opcode was not asked for and is ignored (it never lights a flag).
  private Opcode outstanding;
  // Requests answered (one count per transmission) without the exchange moving on: a trail that
  // ends at an intruder's root, or a host name from a forged ASSOC, would otherwise stall the
  // association until the refresh timer (days). See IDLE_RESTART.
  private int idleAnswers;
  // Symmetric modes: transmissions since the peer was last heard (a verified packet). A passive
  // peer that was reset is gone (ntpd demobilises it), and only a fresh ASSOC request from the
  // active side can mobilise a new one: see UNREACH_RESTART.
  private int unheard;
  private long idleCountedFor = -1;
  // ---- broadcast / symmetric (modes helper) ----
  private boolean autoPushPending;
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
    return crypto;
  }

  /** Whether a progress flag is lit. */
  public boolean has(Flag flag) {
    return (crypto & flag.bit()) != 0;
  }

  /** Whether all seven progress flags are lit. */
  public boolean allFlags() {
    return (crypto & PROGRESS_MASK) == PROGRESS_MASK;
  }

  /** Whether PROV is lit (packets may be used for time). */
  public boolean isProventic() {
    return has(Flag.PROV);
  }

  /** The identity scheme chosen from the peer's status word, once known. */
  public Optional<IdentityScheme> identityScheme() {
    return Optional.ofNullable(scheme);
  }

  /** The certificate trail walked so far (first = the peer's certificate). */
  public java.util.List<CertificateInfo> trail() {
    return trail == null ? java.util.List.of() : trail.chain();
  }

  /** The TAI offset from the last LEAP response (0 if none). */
  public long taiOffset() {
    return leapTai;
  }

  /** The key ID of the last transmission (0 before the first). */
  public long lastKeyId() {
    return lastKeyId & 0xFFFF_FFFFL;
  }

  /**
   * Replay hook (tests against captures): the next transmission uses this key ID instead of the
   * key list's next one.
   */
  public void replayNextKeyId(long keyId) {
    if (keyId <= MacField.NTP_MAXKEY || keyId > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("not an Autokey key ID: " + keyId);
    }
    replayKeyId = keyId;
  }

  /**
   * Replay hook (tests against captures): the next identity request carries this challenge
   * instead of a fresh random one.
   */
  public void replayNextChallenge(byte[] value) {
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
    ByteBuffer out = ByteBuffer.allocate(2120);
    int n = prepareTransmit(header, now, out);
    byte[] d = new byte[n];
    out.flip();
    out.get(d);
    return d;
  }

  /**
   * As {@link #prepareTransmit(NtpHeader, long)}, writing into {@code out} at its position.
   *
   * @return the number of bytes written
   * @throws java.nio.BufferOverflowException if {@code out} has less room than the datagram
   */
  public int prepareTransmit(NtpHeader header, long now, ByteBuffer out) {
    return transmit(header, now, null, out);
  }

  /**
   * Builds a transmission with an optional leading field (a symmetric peer's response to the
   * queued request) before the protocol's own next field. The key ID is drawn first, as in ntpd's
   * {@code peer_xmit}, so that a new key list's AUTO push goes out with the list's first key.
   */
  int transmit(NtpHeader header, long now,
      java.util.function.Supplier<ExtensionField> leadingField, ByteBuffer out) {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(out, "out");
    runTimers(now);
    if (isSymmetric()) {
      if (crypto != 0 && unheard >= UNREACH_RESTART) {
        restart(now, "peer not heard for " + UNREACH_RESTART + " transmissions");
      }
      unheard++;
    }
    int poll = Math.max(0, Math.min(KeyListParameters.MAX_POLL, header.poll()));
    int keyId = nextKeyId(poll, now);
    if (replayKeyId != -1) {
      keyId = (int) replayKeyId;
      replayKeyId = -1;
    }
    ExtensionField leading = leadingField == null ? null : leadingField.get();
    ExtensionField request = nextRequest(now);
    int efLen = (leading == null ? 0 : leading.length())
        + (request == null ? 0 : request.length());
    SessionKeyEngine e = host.engine();
    int total = NtpHeader.LENGTH + efLen + e.macLength();
    byte[] buf = new byte[total];
    ByteBuffer b = ByteBuffer.wrap(buf);
    header.writeTo(b);
    if (leading != null) {
      leading.writeTo(b);
    }
    if (request != null) {
      request.writeTo(b);
    }
    int macCookie = CookieRules.macCookie(keying(), efLen > 0, has(Flag.COOK) ? cookie : 0);
    e.computeMac(outbound, keyId, macCookie, buf, 0, NtpHeader.LENGTH + efLen);
    lastKeyId = keyId;
    lastXmt = header.transmitTimestamp();
    transmitted = true;
    outstanding = request == null || request.isResponse() ? null : request.opcode();
    out.put(buf);
    return total;
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
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.checkFromIndexSize(off, len, buf.length);
    runTimers(rxTime);
    if (!source.equals(remote)) {
      return Verdict.ignored(Verdict.Cause.NOT_OURS, false, crypto, 0,
          "from " + source.getHostAddress() + ", not " + remote.getHostAddress());
    }
    AutokeyPacket p;
    try {
      p = PacketCodec.ntpd().decode(buf, off, len);
    } catch (MalformedPacketException ex) {
      return Verdict.rejected(Verdict.Cause.MALFORMED, ex.event(), false, crypto, 0,
          ex.getMessage());
    }
    NtpHeader h = p.header();
    if (h.mode() != NtpHeader.MODE_SERVER) {
      return Verdict.ignored(Verdict.Cause.NOT_OURS, false, crypto, 0, "NTP mode " + h.mode());
    }
    if (p.isCryptoNak()) {
      return cryptoNak(p, len, rxTime);
    }
    Optional<MacField> macOpt = p.mac();
    if (macOpt.isEmpty() || !macOpt.get().isAutokeyKeyId()) {
      return Verdict.rejected(Verdict.Cause.NO_AUTOKEY_MAC, XEvent.OK, false, crypto,
          macOpt.map(MacField::keyId).orElse(0L), "no Autokey MAC");
    }
    long keyId = macOpt.get().keyId();
    if (!transmitted || h.originTimestamp() != lastXmt) {
      return Verdict.rejected(Verdict.Cause.BAD_ORIGIN, XEvent.OK, false, crypto, keyId,
          "origin timestamp does not match the last transmission");
    }
    if (keyId != (lastKeyId & 0xFFFF_FFFFL)) {
      return Verdict.rejected(Verdict.Cause.BAD_KEY_ID, XEvent.OK, false, crypto, keyId,
          "reply key ID " + AutokeyHost.hex(keyId) + " is not ours " + AutokeyHost.hex(lastKeyId));
    }
    boolean hasFields = !p.fields().isEmpty();
    int macCookie = CookieRules.macCookie(keying(), hasFields, has(Flag.COOK) ? cookie : 0);
    MacResult mr = host.engine().verifyMac(inbound, macCookie, buf, off, len, p.macOffset());
    if (!mr.isValid()) {
      return Verdict.rejected(Verdict.Cause.BAD_MAC, XEvent.OK, false, crypto, keyId,
          "MAC " + mr);
    }
    if (h.transmitTimestamp() == lastRxXmt) {
      return Verdict.ignored(Verdict.Cause.DUPLICATE, false, crypto, keyId, "duplicate");
    }
    // Group-name rule (AUTOKEY-WIRE §11.8), before any field is processed.
    if (hasFields && host.group().isPresent()
        && host.config().groupRule() == AutokeyConfig.GroupRule.NTPD) {
      try {
        for (String g : PacketChecks.assocGroupPreCheck(p)) {
          if (!g.equals(host.group().get()) && !ident.map(g::equals).orElse(false)) {
            return Verdict.ignored(Verdict.Cause.GROUP, false, crypto, keyId,
                "foreign group " + g);
          }
        }
      } catch (MalformedPacketException ex) {
        return Verdict.ignored(Verdict.Cause.GROUP, false, crypto, keyId, ex.getMessage());
      }
    }
    // Only the answer to the request this association sent is processed: the reply to our last
    // transmission (origin checked above) carries at most one field of the opcode we asked for.
    // Anything else (an unsolicited or mismatched response, a second field) is not ours to take:
    // a signed field that some other request fetched must never light a flag here.
    ExtensionField answer = null;
    if (hasFields) {
      for (ExtensionField f : p.fields()) {
        if (outstanding != null && f.opcode().equals(outstanding) && answer == null) {
          answer = f;
        }
      }
      if (answer == null) {
        return Verdict.ignored(Verdict.Cause.UNSOLICITED, false, crypto, keyId,
            "reply carries no answer to our " + (outstanding == null ? "(no) request"
                : outstanding + " request"));
      }
    }
    if (answer != null) {
      long flagsBefore = crypto;
      int trailBefore = trail == null ? -1 : trail.chain().size();
      try {
        handleResponse(answer, h.mode(), rxTime);
      } catch (AutokeyException ex) {
        Verdict v = fieldError(answer, ex, rxTime, keyId);
        return v.restarted() ? v : idle(v, rxTime);
      }
      outstanding = null; // one answer per request
      lastRxXmt = h.transmitTimestamp();
      Verdict v = Verdict.authentic(crypto, keyId, "Autokey exchange");
      boolean progress = crypto != flagsBefore
          || (trail == null ? -1 : trail.chain().size()) != trailBefore;
      if (progress) {
        idleAnswers = 0;
        return v;
      }
      return idle(v, rxTime);
    }
    lastRxXmt = h.transmitTimestamp();
    if (usableForTime()) {
      host.sampleAccepted(rxTime);
      return Verdict.accepted(crypto, keyId);
    }
    return Verdict.authentic(crypto, keyId, "not proventic yet");
  }

  /**
   * Symmetric modes: the response fields of a packet were taken; if they moved nothing while the
   * exchange is incomplete, this counts towards {@link #IDLE_RESTART} (at most once per own
   * transmission). Returns whether the association restarted.
   */
  boolean exchangeTaken(long flagsBefore, int trailBefore, long now) {
    boolean progress = crypto != flagsBefore
        || (trail == null ? -1 : trail.chain().size()) != trailBefore;
    if (progress || allFlags()) {
      idleAnswers = 0;
      return false;
    }
    return idle(Verdict.authentic(crypto, 0, "exchange"), now).restarted();
  }

  /** The number of certificates in the trail so far, -1 before ASSOC. */
  int trailLength() {
    return trail == null ? -1 : trail.chain().size();
  }

  /** Counts an answered request that moved nothing; restarts after {@link #IDLE_RESTART}. */
  private Verdict idle(Verdict v, long now) {
    if (idleCountedFor != lastXmt) {
      idleCountedFor = lastXmt;
      idleAnswers++;
    }
    if (idleAnswers < IDLE_RESTART) {
      return v;
    }
    restart(now, "no progress in " + IDLE_RESTART + " answered requests");
    return new Verdict(v.kind(), v.cause(), v.event(), true, crypto, v.keyId(),
        v.detail() + "; no progress in " + IDLE_RESTART + " answers: restart");
  }

  /**
   * Client-side rule for a plain (field-less) reply whose MAC verified: usable for time only if
   * PROV and COOK are both lit and no crypto-NAK has been taken since the cookie arrived, so that
   * the MAC was keyed with the cookie this association obtained from a verified COOK response to
   * its own COOK request (a MAC keyed with cookie 0 is computable by anyone).
   */
  private boolean usableForTime() {
    return isProventic() && has(Flag.COOK) && !nakSinceCookie;
  }

  /** The earliest time {@link #onTimer} must be called, or {@link NtpTime#NEVER}. */
  public long nextDeadline() {
    return NtpTime.earlier(refreshAt, keyAgeAt);
  }

  /** Runs the due timers (key-list ageing and protocol refresh). */
  public void onTimer(long now) {
    runTimers(now);
  }

  @Override
  public String toString() {
    return "Association[" + mode + " " + associd + " " + local.getHostAddress() + " -> "
        + remote.getHostAddress() + String.format(Locale.ROOT, " flags=0x%08x]", crypto);
  }

  /**
   * The signed AUTO response of the current key list (broadcast and symmetric modes); empty
   * while there is no key list. Read by the host's {@link ServerResponder}, possibly on another
   * thread: {@code autoPush} is volatile and the field value immutable.
   */
  Optional<ExtensionField> publishedAutoResponse() {
    return Optional.ofNullable(autoPush);
  }

  /** Whether this association publishes autokey values (broadcast server, symmetric peer). */
  boolean publishesAutoValues() {
    return mode == Mode.BROADCAST_SERVER || isSymmetric();
  }

  // ================================================================ timers

  private void runTimers(long now) {
    if (NtpTime.due(refreshAt, now)) {
      host.emit(ProtocolEvent.Type.REFRESH, now, remote, associd, XEvent.OK, "crypto refresh");
      restart(now, "refresh");
    }
    if (NtpTime.due(keyAgeAt, now)) {
      // ntpd's key ageing: the next transmission makes a new list.
      destroyKeyList();
    }
  }

  private void restart(long now, String why) {
    idleAnswers = 0;
    outstanding = null;
    crypto = 0;
    assoc = 0;
    scheme = null;
    identityClient = null;
    challenge = null;
    trail = null;
    trustedRoot = null;
    pkey = null;
    peerNid = 0;
    issuer = null;
    cookie = 0;
    hcookie = 0;
    autoTs = 0;
    autoFs = 0;
    cookTs = 0;
    cookFs = 0;
    peerAuto = null;
    leapTai = 0;
    nakSinceCookie = false;
    destroyKeyList();
    refreshAt = NtpTime.plusSeconds(now, 1L << host.config().refresh());
    host.emit(ProtocolEvent.Type.RESTART, now, remote, associd, XEvent.OK, "restart " + why);
  }

  private void destroyKeyList() {
    keyList = null;
    cursor = null;
    keyAgeAt = NtpTime.NEVER;
    autoPush = null; // ntpd key_expire: value_free(sndval), FLAG_ASSOC cleared
    autoPushPending = false;
  }

  // ================================================================ transmit

  private KeyingMode keying() {
    if (mode == Mode.BROADCAST_SERVER) {
      return KeyingMode.BROADCAST;
    }
    return isSymmetric() ? KeyingMode.SYMMETRIC : KeyingMode.CLIENT_SERVER;
  }

  boolean isSymmetric() {
    return mode == Mode.SYMMETRIC_ACTIVE || mode == Mode.SYMMETRIC_PASSIVE;
  }

  private int nextKeyId(int poll, long now) {
    long secs = NtpTime.seconds(now);
    if (keyList != null && poll != keyListPoll) {
      destroyKeyList(); // ntpd poll_update
    }
    if (keyList != null && cursor.hasNext()) {
      int index = cursor.remaining() - 1;
      if (secs - keyListBorn > keyList.lifetimeSeconds(index)) {
        destroyKeyList(); // the next key has expired
      }
    }
    if (keyList == null || !cursor.hasNext()) {
      KeyListParameters params = new KeyListParameters(poll, host.config().automax(),
          host.isSynchronised());
      int listCookie = CookieRules.chainCookie(keying(), has(Flag.COOK) ? cookie : 0);
      keyList = KeyList.generate(host.engine(), outbound, listCookie, params, host.random());
      cursor = keyList.cursor();
      keyListBorn = secs;
      keyListPoll = poll;
      keyAgeAt = NtpTime.plusSeconds(now, 1L << host.config().automax());
      if (refreshAt == NtpTime.NEVER) {
        refreshAt = NtpTime.plusSeconds(now, 1L << host.config().refresh());
      }
      host.emit(ProtocolEvent.Type.KEY_LIST_REGENERATED, now, remote, associd, XEvent.OK,
          "keylist " + keyList.size() + " keys, values " + keyList.autokeyValues());
      if (mode == Mode.BROADCAST_SERVER || isSymmetric()) {
        publishAutoValues(now);
      }
    }
    return cursor.nextKeyId();
  }

  private ExtensionField nextRequest(long now) {
    if (mode == Mode.BROADCAST_SERVER) {
      return broadcastField();
    }
    if (isSymmetric()) {
      return symmetricRequest(now);
    }
    CryptoSuite s = host.suite();
    long upd = host.signatureUpdateTime();
    try {
      if (crypto == 0) {
        return ExtensionField.assoc(false, associd, upd, host.status(), host.hostName());
      }
      if (!has(Flag.CERT)) {
        return ExtensionField.certRequest(associd, host.cryptoTime(now), upd, issuer);
      }
      if (!has(Flag.VRFY)) {
        if (identityClient == null) {
          return null; // ntpd: no parameters for the advertised scheme — stall
        }
        challenge = replayChallenge != null
            ? new IdentityChallenge(identityClient.scheme(), replayChallenge)
            : identityClient.challenge(host.random());
        replayChallenge = null;
        long ts = host.cryptoTime(now);
        long fs = identityClient.filestamp();
        byte[] sig = host.isSynchronised() ? host.sign(ts, fs, challenge.value()) : EMPTY;
        return ExtensionField.identityRequest(Opcode.valueOf(scheme.opcode()), associd, ts, fs,
            challenge.value(), sig);
      }
      if (!has(Flag.COOK)) {
        byte[] pub = s.cookieCipher().publicKeyPkcs1();
        long fs = s.hostKeyFilestamp();
        byte[] sig = upd != 0 ? host.cachedSignature("cook", upd, fs, pub) : EMPTY;
        return ExtensionField.cookRequest(associd, upd, fs, pub, sig);
      }
      if (!has(Flag.AUTO)) {
        return ExtensionField.autoRequest(assoc);
      }
      return signOrLeapRequest(now, upd);
    } catch (AutokeyException ex) {
      host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, ex.event(),
          "request not sent: " + ex.getMessage());
      return null;
    }
  }

  /**
   * The last steps of every request order (client and symmetric alike): nothing while the local
   * clock is unsynchronised, then SIGN (only with a currently valid own certificate, else
   * XEVNT_PER and no request, as ntpd), then LEAP.
   */
  private ExtensionField signOrLeapRequest(long now, long upd) throws AutokeyException {
    if (!host.isSynchronised()) {
      return null;
    }
    if (!has(Flag.SIGN)) {
      CertificateInfo own = host.ownCertificate();
      if (!own.validAt(NtpTime.seconds(now))) {
        host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, XEvent.PER,
            CryptostatsFormatter.errorText(0x02060000L, associd, XEvent.PER));
        return null;
      }
      byte[] der = own.der();
      byte[] sig = host.cachedSignature("sign", upd, own.filestamp(), der);
      return ExtensionField.signRequest(associd, upd, own.filestamp(), der, sig);
    }
    if (!has(Flag.LEAP)) {
      return ExtensionField.leapRequest(associd);
    }
    return null;
  }

  // ================================================================ receive

  private Verdict cryptoNak(AutokeyPacket p, int len, long now) {
    boolean valid = len == NtpHeader.LENGTH + 4 && transmitted
        && p.header().originTimestamp() == lastXmt && crypto != 0;
    if (!valid) {
      return Verdict.ignored(Verdict.Cause.STRAY_CRYPTO_NAK, false, crypto, 0,
          "crypto-NAK ignored");
    }
    if (host.config().resetOnCryptoNak()) {
      if (has(Flag.COOK) && !nakSinceCookie && !isSymmetric()) {
        // The server no longer knows our cookie (its private value was revoked): fetch a new
        // one at the next poll; a second NAK before that resets everything (ntpd resets at once).
        nakSinceCookie = true;
        crypto &= ~Flag.COOK.bit();
        cookie = 0;
        destroyKeyList();
        host.emit(ProtocolEvent.Type.RESTART, now, remote, associd, XEvent.OK,
            "crypto-NAK: cookie refetch");
        return Verdict.ignored(Verdict.Cause.CRYPTO_NAK, true, crypto, 0,
            "crypto-NAK: cookie refetch");
      }
      restart(now, "crypto-NAK");
      return Verdict.ignored(Verdict.Cause.CRYPTO_NAK, true, crypto, 0, "crypto-NAK: reset");
    }
    return Verdict.ignored(Verdict.Cause.CRYPTO_NAK, false, crypto, 0, "crypto-NAK");
  }

  private Verdict fieldError(ExtensionField f, AutokeyException ex, long now, long keyId) {
    XEvent e = ex.event();
    host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, e,
        CryptostatsFormatter.errorText(f.headerWord() & 0xFFFF_FFFFL, f.associationId(), e));
    // ntpd restarts on every XEVNT_ERR. Such an error (an error bit, a bad version, a request
    // where an answer was due) is unsigned and, under a cookie-0 MAC, anyone's to send: once the
    // peer is proven it does not tear the association down (SECURITY T30); an exchange that
    // really broke restarts after IDLE_RESTART answers without progress. A broadcast client keeps
    // ntpd's rule: an ASSOC broadcast with a new association ID is how it learns that its server
    // restarted, and it has no requests whose answers could count towards IDLE_RESTART.
    boolean restart = e == XEvent.ERR && (mode == Mode.BROADCAST_CLIENT || !isProventic());
    if (restart) {
      restart(now, "protocol error");
    }
    return Verdict.rejected(Verdict.Cause.PROTOCOL, e, restart, crypto, keyId,
        f.opcode() + ": " + ex.getMessage());
  }

  private void light(Flag f, long now) {
    if ((crypto & f.bit()) == 0) {
      crypto |= f.bit();
      host.emit(ProtocolEvent.Type.FLAG_LIT, now, remote, associd, XEvent.OK,
          "flag " + f.name().toLowerCase(Locale.ROOT));
    }
  }

  private void handleResponse(ExtensionField f, int peerMode, long now)
      throws AutokeyException {
    if (PacketChecks.isProtocolError(f) || !f.isResponse()) {
      throw new AutokeyException(XEvent.ERR, "protocol error in " + f.opcode()
          + (f.isError() ? " (error response)" : "") + (f.isResponse() ? "" : " (request)"));
    }
    Opcode op = f.opcode();
    if (op.equals(Opcode.ASSOC)) {
      assocResponse(f, peerMode, now);
      return;
    }
    if (crypto == 0) {
      throw new AutokeyException(XEvent.ERR, op + " response before ASSOC");
    }
    if (op.equals(Opcode.CERT)) {
      certResponse(f, now);
    } else if (op.isIdentity()) {
      identityResponse(f, now);
    } else if (op.equals(Opcode.COOK)) {
      cookResponse(f, now);
    } else if (op.equals(Opcode.AUTO)) {
      autoResponse(f, now);
    } else if (op.equals(Opcode.SIGN)) {
      signResponse(f, now);
    } else if (op.equals(Opcode.LEAP)) {
      leapResponse(f, now);
    } else {
      throw new AutokeyException(XEvent.ERR, "unexpected " + op + " response");
    }
  }

  private void assocResponse(ExtensionField f, int peerMode, long now) throws AutokeyException {
    if (crypto != 0) {
      if (f.associationId() != assoc) {
        throw new AutokeyException(XEvent.ERR, "ASSOC with association ID " + f.associationId()
            + ", stored " + assoc);
      }
      return; // duplicate
    }
    if (!f.isValueForm()) {
      throw new AutokeyException(XEvent.LEN, "short ASSOC response");
    }
    String name = HostNames.require(f.assocHostName(), XEvent.LEN, "ASSOC host name");
    HostStatus status = f.assocStatus().maskedForReceive();
    long word = status.word();
    boolean localPrivate = host.ownCertificate().isPrivate();
    IdentityScheme sch = IdentityScheme.select(word, localPrivate, ident.isPresent());
    int nid = status.nid();
    if (SignatureAlgorithm.ofNid(nid).isEmpty()) {
      throw new AutokeyException(XEvent.MD, "unsupported signature NID " + nid);
    }
    if (sch == IdentityScheme.TC && ident.isPresent() && host.config().requireIdentity()) {
      throw new AutokeyException(XEvent.ID, "group " + ident.get()
          + " configured but the peer advertises no identity scheme (requireIdentity)");
    }
    long c = word;
    if (peerMode == NtpHeader.MODE_SERVER) {
      c |= Flag.AUTO.bit();
    }
    if (!status.has(Flag.TAI)) {
      c |= Flag.LEAP.bit();
    }
    if (sch != IdentityScheme.PC && (peerMode == NtpHeader.MODE_SYMMETRIC_ACTIVE
        || peerMode == NtpHeader.MODE_SYMMETRIC_PASSIVE)
        && ((word & IdentityScheme.STATUS_MASK) != 0)
            != ((host.status().word() & IdentityScheme.STATUS_MASK) != 0)) {
      throw new AutokeyException(XEvent.KEY, String.format(Locale.ROOT,
          "symmetric peer identity bits 0x%02x do not match ours 0x%02x",
          word & IdentityScheme.STATUS_MASK, host.status().word() & IdentityScheme.STATUS_MASK));
    }
    SignatureVerifier pcKey = null;
    if (sch == IdentityScheme.PC) {
      c |= Flag.CERT.bit() | Flag.VRFY.bit() | Flag.SIGN.bit();
      pcKey = host.suite().verifier(host.ownCertificate().publicKey(),
          host.ownCertificate().nid());
    }
    // Every check passed: commit (a refused ASSOC leaves the association as it was).
    scheme = sch;
    peerNid = nid;
    assoc = f.associationId();
    if (pcKey != null) {
      pkey = pcKey;
    }
    hcookie = host.random().nextInt();
    issuer = name;
    trail = new CertificateTrail(host.suite().certificateCodec(), name,
        host.config().maxTrailLength());
    crypto = c;
    if (refreshAt == NtpTime.NEVER) {
      refreshAt = NtpTime.plusSeconds(now, 1L << host.config().refresh());
    }
    host.emit(ProtocolEvent.Type.ASSOCIATED, now, remote, associd, XEvent.OK,
        "assoc " + associd + " " + assoc + " host " + name + " "
            + SignatureAlgorithm.ofNid(nid).map(SignatureAlgorithm::opensslName).orElse("?"));
  }

  /**
   * ntpd's {@code crypto_verify} (AUTOKEY-WIRE §5.2), plus the signature check for CERT once a
   * key is known.
   */
  private void verify(ExtensionField f, boolean signed, boolean autoReplay, long now)
      throws AutokeyException {
    if (f.isError()) {
      throw new AutokeyException(XEvent.ERR, "error response");
    }
    if (!f.isValueForm()) {
      throw new AutokeyException(XEvent.LEN, f.opcode() + " response shorter than 24 bytes");
    }
    // A broadcast server's AUTO values carry its own association ID (AUTOKEY-WIRE §2.2).
    long expectedAssoc = mode == Mode.BROADCAST_CLIENT && f.opcode().equals(Opcode.AUTO)
        ? assoc : associd;
    if (f.associationId() != expectedAssoc) {
      throw new AutokeyException(XEvent.ERR, "association ID " + f.associationId()
          + " is not ours (" + expectedAssoc + ")");
    }
    long ts = f.timestamp();
    long fs = f.filestamp();
    if (ts == 0) {
      throw new AutokeyException(XEvent.TSP, "timestamp 0");
    }
    if (Long.compareUnsigned(ts, fs) < 0) {
      throw new AutokeyException(XEvent.TSP, "timestamp " + ts + " before filestamp " + fs);
    }
    if (f.opcode().equals(Opcode.COOK)) {
      // ntpd crypto_verify(ep, &peer->cookval, peer): a COOK value may not be older than the
      // last one accepted, nor as old once AUTO is lit (a replayed COOK response). After a
      // crypto-NAK ntpd restarts (cookval cleared); our cookie refetch keeps cookval but takes
      // an answer of the same second, so a fast refetch does not stall until the next second.
      if (ts < cookTs || (ts == cookTs && has(Flag.AUTO) && !nakSinceCookie)) {
        throw new AutokeyException(XEvent.TSP, "COOK timestamp " + ts + " not after " + cookTs);
      }
      if (ts < cookFs || fs < cookFs) {
        throw new AutokeyException(XEvent.FSP, "COOK filestamp older than " + cookFs);
      }
    }
    if (autoReplay && autoTs != 0 && autoFs != 0) {
      if (ts < autoTs) {
        throw new AutokeyException(XEvent.TSP, "timestamp " + ts + " older than " + autoTs);
      }
      if (ts < autoFs || fs < autoFs) {
        throw new AutokeyException(XEvent.FSP, "filestamp older than " + autoFs);
      }
    }
    if (!signed) {
      return;
    }
    if (f.signatureLength() == 0 || pkey == null) {
      throw new AutokeyException(XEvent.ERR, "unsigned response or no peer key");
    }
    pkey.verify(f.signedBytes(), f.signature());
  }

  /**
   * ntpd lights PROV when a signed response verifies after the identity step; here it is lit
   * only once the whole response was processed without error, so that a response that fails
   * later (a COOK value that does not decrypt, say) leaves no flag behind.
   */
  private void proventic(long now) {
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
    if (trail == null) {
      return;
    }
    CertificateCache cache = host.certificates();
    for (CertificateInfo c : trail.chain()) {
      try {
        cache.install(c.der(), c.filestamp(), NtpTime.seconds(now));
      } catch (AutokeyException ex) {
        host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, ex.event(),
            "verified certificate " + c.subject() + " not cached: " + ex.getMessage());
      }
    }
  }

  private void certResponse(ExtensionField f, long now) throws AutokeyException {
    if (!f.isValueForm()) {
      return; // ntpd: short CERT response ignored, asked again next poll
    }
    if (has(Flag.CERT)) {
      return;
    }
    // ntpd checks no CERT signature; we check it once the peer's key is known.
    verify(f, false, false, now);
    if (pkey != null && f.signatureLength() > 0) {
      pkey.verify(f.signedBytes(), f.signature());
    }
    // Nothing received goes into the host's certificate cache before the whole trail has been
    // verified up to a trusted root: the cache is what this host serves to its own clients, and
    // it holds the host's own certificate, which nothing from the wire may ever replace.
    CertificateInfo y = host.suite().certificateCodec().decode(f.certificateDer(),
        f.filestamp());
    HostNames.require(y.subject(), XEvent.CRT, "certificate subject");
    HostNames.require(y.issuer(), XEvent.CRT, "certificate issuer");
    if (y.subject().equals(host.hostName())) {
      throw new AutokeyException(XEvent.CRT, "certificate for this host's own name "
          + y.subject() + " received from " + remote.getHostAddress());
    }
    if (!y.selfSigned() && y.issuer().equals(host.hostName())) {
      throw new AutokeyException(XEvent.CRT, "trail loop: certificate for " + y.subject()
          + " issued by the local host");
    }
    if (y.selfSigned()) {
      try {
        host.suite().certificateCodec().verify(y, y.publicKey());
      } catch (AutokeyException ex) {
        throw new AutokeyException(XEvent.CRT, "self-signed certificate " + y.subject()
            + " does not verify", ex);
      }
    }
    boolean strict = host.config().policy() == AutokeyConfig.Policy.STRICT;
    if (strict && y.selfSigned() && y.trusted() && !pinned(y)) {
      throw new AutokeyException(XEvent.CRT, "trusted certificate " + y.subject()
          + " is not a pinned trust anchor (policy STRICT)");
    }
    // the peer key is made (and may be refused) before anything changes
    SignatureVerifier key = pkey != null ? pkey : host.suite().verifier(y.publicKey(), peerNid);
    CertificateTrail.Step step = trail.accept(y); // on failure the trail is unchanged
    host.signatureUpdate(now);
    pkey = key;
    issuer = trail.nextSubject();
    host.emit(ProtocolEvent.Type.CERTIFICATE_INSTALLED, now, remote, associd, XEvent.OK,
        String.format(Locale.ROOT, "cert %s %s 0x%x %s (%d) fs %d", y.subject(), y.issuer(),
            certFlags(y), y.algorithm().map(SignatureAlgorithm::opensslName).orElse("?"),
            y.nid(), f.filestamp()));
    if (step == CertificateTrail.Step.TRUSTED) {
      trustedRoot = y;
      light(Flag.CERT, now);
      if (scheme == IdentityScheme.TC || scheme == null || !scheme.hasChallenge()) {
        light(Flag.VRFY, now);
      } else {
        String g = ident.orElse("");
        identityClient = host.suite().identityClient(scheme, g, y).orElse(null);
        if (identityClient == null) {
          host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, XEvent.ID,
              "no " + scheme + " parameters for group " + g + ": identity stalls");
        }
      }
    }
  }

  private static int certFlags(CertificateInfo c) {
    int flags = 0x1; // valid
    if (c.trusted()) {
      flags |= 0x4; // CERT_TRUST
    }
    if (c.isPrivate()) {
      flags |= 0x8;
    }
    return flags;
  }

  private boolean pinned(CertificateInfo y) {
    byte[] der = y.der();
    byte[] key = y.publicKey().getEncoded();
    for (byte[] anchor : host.config().trustAnchors()) {
      if (MessageDigest.isEqual(anchor, der)) {
        return true;
      }
      try {
        CertificateInfo a = host.suite().certificateCodec().decode(anchor, 0);
        if (a.subject().equals(y.subject())
            && MessageDigest.isEqual(a.publicKey().getEncoded(), key)) {
          return true;
        }
      } catch (AutokeyException ex) {
        // an undecodable anchor pins nothing
        continue;
      }
    }
    return false;
  }

  private void identityResponse(ExtensionField f, long now) throws AutokeyException {
    verify(f, true, false, now);
    IdentityChallenge c = challenge;
    if (c == null || identityClient == null
        || f.opcode().code() != identityClient.scheme().opcode()) {
      throw new AutokeyException(XEvent.ID, "no outstanding " + f.opcode() + " challenge");
    }
    identityClient.verify(c, f.identityValue(), f.filestamp());
    challenge = null; // a failed (forged) answer does not use up the challenge
    light(Flag.VRFY, now);
    host.emit(ProtocolEvent.Type.FLAG_LIT, now, remote, associd, XEvent.OK,
        scheme.name().toLowerCase(Locale.ROOT) + " " + trustedRoot.subject() + " fs "
            + f.filestamp());
  }

  private void cookResponse(ExtensionField f, long now) throws AutokeyException {
    verify(f, true, false, now);
    byte[] ct = f.cookieCiphertext();
    var cipher = host.suite().cookieCipher();
    if (ct.length != cipher.ciphertextLength()) {
      throw new AutokeyException(XEvent.CKY, "COOK value length " + ct.length
          + " != own modulus length " + cipher.ciphertextLength());
    }
    int v = cipher.decrypt(ct);
    cookTs = f.timestamp();
    cookFs = f.filestamp();
    cookie = keying() == KeyingMode.SYMMETRIC ? CookieRules.symmetricCookie(hcookie, v) : v;
    nakSinceCookie = false;
    destroyKeyList();
    proventic(now);
    light(Flag.COOK, now);
    host.emit(ProtocolEvent.Type.FLAG_LIT, now, remote, associd, XEvent.OK,
        "cook ts " + f.timestamp() + " fs " + f.filestamp());
  }

  private void autoResponse(ExtensionField f, long now) throws AutokeyException {
    verify(f, true, true, now);
    AutoValues v = f.autoValues();
    peerAuto = v;
    autoTs = f.timestamp();
    autoFs = f.filestamp();
    proventic(now);
    light(Flag.AUTO, now);
  }

  private void signResponse(ExtensionField f, long now) throws AutokeyException {
    verify(f, true, false, now);
    CertificateInfo own = host.ownCertificate();
    CertificateInfo got = host.suite().certificateCodec().decode(f.certificateDer(),
        f.filestamp());
    if (!got.subject().equals(own.subject())
        || !MessageDigest.isEqual(got.publicKey().getEncoded(), own.publicKey().getEncoded())) {
      throw new AutokeyException(XEvent.CRT, "SIGN response certifies " + got.subject()
          + " or another key, not this host");
    }
    if (pkey != null && trail != null && !trail.chain().isEmpty()) {
      host.suite().certificateCodec().verify(got, trail.chain().get(0).publicKey());
    }
    host.certificates().install(f.certificateDer(), f.filestamp(), NtpTime.seconds(now));
    proventic(now);
    light(Flag.SIGN, now);
    host.emit(ProtocolEvent.Type.CERTIFICATE_INSTALLED, now, remote, associd, XEvent.OK,
        String.format(Locale.ROOT, "sign %s %s 0x%x %s (%d) fs %d", got.subject(), got.issuer(),
            certFlags(got), got.algorithm().map(SignatureAlgorithm::opensslName).orElse("?"),
            got.nid(), f.filestamp()));
    host.signatureUpdate(now);
  }

  private void leapResponse(ExtensionField f, long now) throws AutokeyException {
    verify(f, true, false, now);
    if (f.valueLength() != ExtensionField.LEAP_VALUE_LENGTH) {
      proventic(now);
      return; // ntpd: silently ignored (the signature verified)
    }
    var lv = f.leapValues();
    if (lv.hasPlausibleTaiOffset()) {
      leapTai = lv.taiOffset();
    } else {
      // ntpd lights LEAP too but hands its leap module only offsets >= 10 (as a signed int);
      // we keep no offset outside 10..1000 (SECURITY T27: ignored with a warning)
      host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, XEvent.DAT,
          "implausible TAI offset " + lv.taiOffset() + " ignored");
    }
    proventic(now);
    light(Flag.LEAP, now);
    host.emit(ProtocolEvent.Type.FLAG_LIT, now, remote, associd, XEvent.OK,
        "leap TAI offset " + lv.taiOffset() + " at " + lv.eraStart() + " expire "
            + lv.expiration() + " fs " + f.filestamp());
    host.signatureUpdate(now);
  }

  // ================================================================ broadcast and symmetric
  // (used by BroadcastServer, BroadcastClient and SymmetricPeer)

  /**
   * ntpd {@code make_keylist} step 4 for broadcast servers and symmetric peers: the new list's
   * autokey values, timestamped and signed when synchronised, flagged for the push.
   */
  private void publishAutoValues(long now) {
    var v = keyList.autokeyValues();
    AutoValues values = new AutoValues(v.keyId() & 0xFFFF_FFFFL, v.sequence() & 0xFFFF_FFFFL);
    long ts = host.cryptoTime(now);
    long fs = host.signatureUpdateTime();
    byte[] sig = EMPTY;
    if (host.isSynchronised()) {
      try {
        sig = host.sign(ts, fs, values.toBytes());
      } catch (AutokeyException ex) {
        host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, ex.event(),
            "AUTO values not signed: " + ex.getMessage());
        sig = EMPTY;
      }
    }
    autoPush = ExtensionField.autoResponse(associd, ts, fs, values, sig);
    autoPushPending = sig.length > 0;
  }

  /** The broadcast server's field: the AUTO push after a new key list, else its ASSOC. */
  private ExtensionField broadcastField() {
    if (autoPushPending && autoPush != null) {
      autoPushPending = false;
      return autoPush;
    }
    return ExtensionField.assoc(true, associd, host.signatureUpdateTime(), host.status(),
        host.hostName());
  }

  /**
   * ntpd's {@code peer_xmit} request order for symmetric modes (AUTOKEY-WIRE §11.5): as a client,
   * except that COOK waits until both peers are synchronised, AUTO is requested (with the own
   * association ID) until the peer's values arrive, and a new key list's values are pushed (with
   * the peer's association ID) once SIGN is lit.
   */
  private ExtensionField symmetricRequest(long now) {
    long upd = host.signatureUpdateTime();
    boolean bothSynced = host.isSynchronised() && peerSynchronised;
    try {
      if (crypto == 0) {
        return ExtensionField.assoc(false, associd, upd, host.status(), host.hostName());
      }
      if (!has(Flag.CERT)) {
        return ExtensionField.certRequest(associd, host.cryptoTime(now), upd, issuer);
      }
      if (!has(Flag.VRFY)) {
        if (identityClient == null) {
          return null;
        }
        challenge = identityClient.challenge(host.random());
        long ts = host.cryptoTime(now);
        long fs = identityClient.filestamp();
        byte[] sig = host.isSynchronised() ? host.sign(ts, fs, challenge.value()) : EMPTY;
        return ExtensionField.identityRequest(Opcode.valueOf(scheme.opcode()), associd, ts, fs,
            challenge.value(), sig);
      }
      if (bothSynced && !has(Flag.COOK)) {
        CryptoSuite s = host.suite();
        byte[] pub = s.cookieCipher().publicKeyPkcs1();
        long fs = s.hostKeyFilestamp();
        byte[] sig = upd != 0 ? host.cachedSignature("cook", upd, fs, pub) : EMPTY;
        return ExtensionField.cookRequest(associd, upd, fs, pub, sig);
      }
      if (!has(Flag.AUTO)) {
        return ExtensionField.autoRequest(associd);
      }
      if (autoPushPending && autoPush != null && has(Flag.SIGN)) {
        autoPushPending = false;
        return autoPush.withAssociationId(assoc);
      }
      return signOrLeapRequest(now, upd);
    } catch (AutokeyException ex) {
      host.emit(ProtocolEvent.Type.ERROR, now, remote, associd, ex.event(),
          "request not sent: " + ex.getMessage());
      return null;
    }
  }

  /** Processes one response field as received from a peer in NTP mode {@code peerMode}. */
  void processResponse(ExtensionField f, int peerMode, long now) throws AutokeyException {
    handleResponse(f, peerMode, now);
  }

  /** Reports a field error like {@link #receive} does (event, restart on XEVNT_ERR). */
  Verdict fieldFailure(ExtensionField f, AutokeyException ex, long now, long keyId) {
    return fieldError(f, ex, now, keyId);
  }

  /** Resets the Autokey state (ntpd {@code peer_clear}). */
  void reset(long now, String why) {
    restart(now, why);
  }

  /** Runs the due timers without transmitting. */
  void timers(long now) {
    runTimers(now);
  }

  /** The peer was heard (a verified packet): see {@link #UNREACH_RESTART}. */
  void heard() {
    unheard = 0;
  }

  /** The remote association ID learnt from ASSOC (0 before). */
  long remoteAssociationId() {
    return assoc;
  }

  /** The working cookie (0 before COOK). */
  int workingCookie() {
    return has(Flag.COOK) ? cookie : 0;
  }

  /** The own host cookie of symmetric mode (drawn when ASSOC was accepted). */
  int hostCookie() {
    return hcookie;
  }

  /** The peer's last autokey values, if AUTO is lit. */
  Optional<AutoValues> peerAutoValues() {
    return has(Flag.AUTO) ? Optional.ofNullable(peerAuto) : Optional.empty();
  }

  /** Clears AUTO after a broken key-ID chain (ntpd: the values are requested again). */
  void clearAuto(long now) {
    if (has(Flag.AUTO)) {
      crypto &= ~Flag.AUTO.bit();
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

  /** The host. */
  AutokeyHost host() {
    return host;
  }
}
