package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.cert.CertificateCache;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.SignedBytes;
import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.keys.ServerCookies;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.LeapValues;
import dev.autokey.core.wire.HostStatus;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One Autokey host: configuration, own credentials ({@link CryptoSuite}), certificate cache,
 * signature-update time ({@code upd}), server private value, and its associations and responder.
 * ntpd keeps these as globals; here they are one object, so several hosts can run in one JVM
 * (see {@code dev.autokey.core.sim}).
 *
 * <p>Thread-safety: a host and its responder may be used from several threads; each {@link
 * Association} must be used by one thread at a time.
 *
 * <p>Slightly over 400 lines: the host's public API (configuration, credentials, synchronisation,
 * association factories, revoke timer) and the package-private services its associations use;
 * the association table and the signature cache are their own classes.
 */
public final class AutokeyHost {
  /** Largest number of associations a host keeps (bounds the AUTO lookup table). */
  public static final int MAX_ASSOCIATIONS = 4096;

  private final AutokeyConfig config;
  private final CryptoSuite suite;
  private final SecureRandom random;
  private final ProtocolEventListener listener;
  private final DigestAlgorithm digest;
  private final ThreadLocal<SessionKeyEngine> engines;
  private final ServerCookies cookies;
  private final CertificateCache cache;
  private final CertificateInfo ownCertificate;
  private final String hostName;
  private final Optional<String> group;
  private final long baseStatus;
  private final TokenBucket budget;
  private final ServerResponder responder;
  private final AssociationTable associations;
  private final SignatureCache signatures;
  private final Object lock = new Object();

  private volatile boolean synced;
  private volatile long upd;
  private volatile LeapValues leap = new LeapValues(0, 0, 0);
  private long revokeBase = -1;
  private long revokeCount;

  private AutokeyHost(AutokeyConfig config, CryptoSuite suite, SecureRandom random,
      ProtocolEventListener listener) throws AutokeyException {
    this.config = config;
    this.suite = suite;
    this.random = random;
    this.listener = listener;
    this.digest = DigestAlgorithm.forOpenSslName(config.digest());
    SessionKeyEngine probe = SessionKeyEngine.create(digest);
    this.engines = ThreadLocal.withInitial(() -> {
      try {
        return SessionKeyEngine.create(digest);
      } catch (AutokeyException e) {
        throw new IllegalStateException("digest " + digest + " vanished", e);
      }
    });
    engines.set(probe);
    this.cookies = config.ntpdPrivateValue() ? ServerCookies.ntpdCompatible()
        : ServerCookies.random(random, config.revoke());
    this.ownCertificate = suite.hostCertificate();
    this.hostName = ownCertificate.subject();
    int at = hostName.indexOf('@');
    this.group = at < 0 ? Optional.empty() : Optional.of(hostName.substring(at + 1));
    this.cache = new CertificateCache(suite.certificateCodec(), hostName,
        config.certificateCacheCapacity());
    cache.installOwn(ownCertificate);
    long status = HostStatus.Flag.ENAB.bit() | ((long) ownCertificate.nid() << 16);
    if (ownCertificate.isPrivate()) {
      status |= HostStatus.Flag.PRIV.bit();
    }
    for (IdentityScheme s : new IdentityScheme[] {IdentityScheme.IFF, IdentityScheme.GQ,
        IdentityScheme.MV}) {
      if (suite.identityServer(s).isPresent()) {
        status |= s.statusBit();
      }
    }
    this.baseStatus = status;
    this.budget = new TokenBucket(config.budget());
    this.associations = new AssociationTable(1 + random.nextInt(0x7FFF));
    this.signatures = new SignatureCache(4 * config.certificateCacheCapacity() + 16);
    this.responder = new ServerResponder(this);
  }

  /**
   * Creates a host.
   *
   * @param config configuration
   * @param suite the host's crypto
   * @param random the only source of randomness the engine uses
   * @param listener receives events synchronously
   * @throws AutokeyException {@code XEVNT_MD} if the configured session digest is unsupported
   */
  public static AutokeyHost create(AutokeyConfig config, CryptoSuite suite, SecureRandom random,
      ProtocolEventListener listener) throws AutokeyException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(listener, "listener");
    return new AutokeyHost(config, suite, random, listener);
  }

  /** The configuration. */
  public AutokeyConfig config() {
    return config;
  }

  /** The Autokey host name (own certificate subject). */
  public String hostName() {
    return hostName;
  }

  /** The group of this host (text after '@' in its name), if any. */
  public Optional<String> group() {
    return group;
  }

  /** The host's own status word (ENAB, TAI, PRIV, identity bits, NID). */
  public HostStatus status() {
    long s = baseStatus;
    if (upd != 0) {
      s |= HostStatus.Flag.TAI.bit();
    }
    return HostStatus.of(s);
  }

  /** The session digest in use. */
  public DigestAlgorithm digest() {
    return digest;
  }

  /** The signature-update time {@code upd} (NTP seconds, 0 if never synchronised). */
  public long signatureUpdateTime() {
    return upd;
  }

  /** Whether the host considers its clock synchronised. */
  public boolean isSynchronised() {
    return synced;
  }

  /** The host's certificate cache (own certificate, received and signed ones). */
  public CertificateCache certificates() {
    return cache;
  }

  /**
   * Tells the host whether its clock is synchronised (ntpd: leap indicator ≠ 3). The first
   * transition to synchronised runs a signature update ({@code crypto_update}); while
   * unsynchronised, timestamps sent are 0 and nothing new is signed.
   */
  public void setSynchronised(boolean synchronised, long now) {
    boolean was = synced;
    if (synchronised == was) {
      return;
    }
    synced = synchronised;
    if (synchronised && !was) {
      signatureUpdate(now);
    }
  }

  /**
   * An association accepted a sample as usable for time: under
   * {@link AutokeyConfig.Synchronisation#LEARN_FROM_SAMPLES} the first one makes the host
   * synchronised (ntpd: the first clock update from a proventic source).
   */
  void sampleAccepted(long now) {
    if (!synced && config.synchronisation() == AutokeyConfig.Synchronisation.LEARN_FROM_SAMPLES) {
      setSynchronised(true, now);
    }
  }

  /**
   * Sets the leap values served in LEAP responses (ntpd: from its leap file; all zero without
   * one) and runs a signature update.
   */
  public void setLeapValues(long taiOffset, long eraStart, long expiration, long now) {
    leap = new LeapValues(taiOffset, eraStart, expiration);
    signatureUpdate(now);
  }

  /** The leap values served. */
  public LeapValues leapValues() {
    return leap;
  }

  /**
   * A unicast client association ({@code server ADDR autokey [ident G]}).
   *
   * @param local the local address the association sends from (session keys use it)
   * @param server the server's address
   * @param ident the association's group name, if any (else the host's {@code ident})
   */
  public Association client(InetAddress local, InetAddress server, Optional<String> ident) {
    return register(new Association(this, Mode.CLIENT, local, server, null,
        ident.isPresent() ? ident : config.ident(), allocateAssociationId()));
  }

  /** A client association with a given ID (1..65535, not in use): {@link ReplayHooks}. */
  Association client(InetAddress local, InetAddress server, Optional<String> ident,
      long associationId) {
    if (associationId < 1 || associationId > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("association ID " + associationId);
    }
    if (associations.inUse(associationId)) {
      throw new IllegalArgumentException("association ID " + associationId + " in use");
    }
    return register(new Association(this, Mode.CLIENT, local, server, null,
        ident.isPresent() ? ident : config.ident(), associationId));
  }

  /** Sets {@code upd} as if a signature update had run then: {@link ReplayHooks}. */
  void forceSignatureUpdateTime(long ntpSeconds) {
    if (upd != ntpSeconds) {
      upd = ntpSeconds;
      signatures.clear();
    }
  }

  /**
   * A symmetric active association ({@code peer ADDR autokey [ident G]}).
   *
   * @see SymmetricPeer#active
   */
  public SymmetricPeer symmetricActive(InetAddress local, InetAddress peer,
      Optional<String> ident) {
    return SymmetricPeer.active(this, local, peer, ident);
  }

  /**
   * A broadcast server association ({@code broadcast ADDR autokey}).
   *
   * @see BroadcastServer#create
   */
  public BroadcastServer broadcastServer(InetAddress local, InetAddress broadcast) {
    return BroadcastServer.create(this, local, broadcast);
  }

  Association register(Association a) {
    return associations.register(a);
  }

  /** See {@link AssociationTable#tryRegister}. */
  boolean tryRegister(Association a) {
    return associations.tryRegister(a);
  }

  /** Whether another association fits ({@link #MAX_ASSOCIATIONS}). */
  boolean hasRoomForAssociation() {
    return associations.hasRoom();
  }

  /** Forgets an association (its ID is no longer answered in AUTO requests). */
  public void remove(Association a) {
    associations.remove(a);
  }

  Optional<Association> association(long id) {
    return associations.get(id);
  }

  long allocateAssociationId() {
    return associations.allocate();
  }

  /** The stateless server responder of this host (ntpd's fast path). */
  public ServerResponder responder() {
    return responder;
  }

  /** The host's earliest timer (private-value revoke), or {@link NtpTime#NEVER}. */
  public long nextDeadline() {
    synchronized (lock) {
      if (revokeBase < 0) {
        return NtpTime.NEVER;
      }
      long at = revokeBase + (revokeCount + 1) * (1L << config.revoke());
      return NtpTime.ofSeconds(Math.min(at, 0xFFFF_FFFFL));
    }
  }

  /** Runs the host's due timers: at a revoke deadline, reports the new private value. */
  public void onTimer(long now) {
    long secs = NtpTime.seconds(now);
    boolean fired = false;
    synchronized (lock) {
      while (revokeBase >= 0 && secs >= revokeBase + (revokeCount + 1) * (1L << config.revoke())) {
        revokeCount++;
        fired = true;
      }
    }
    if (fired) {
      // ServerCookies redraws the private value lazily at the first cookie computed after the
      // interval; computing one now makes the change happen at the deadline.
      serverCookie(engine(), new byte[4], new byte[4], secs);
      emit(ProtocolEvent.Type.PRIVATE_VALUE_REVOKED, now, null, 0, XEvent.OK,
          "private value regenerated (revoke 2^" + config.revoke() + " s)");
    }
  }

  // ---------------------------------------------------------------- engine internals

  CryptoSuite suite() {
    return suite;
  }

  /** The crypto suite this host was created with. */
  public CryptoSuite cryptoSuite() {
    return suite;
  }

  SecureRandom random() {
    return random;
  }

  SessionKeyEngine engine() {
    return engines.get();
  }

  CertificateInfo ownCertificate() {
    return ownCertificate;
  }

  /** The server cookie for (client, server) at {@code secs}; starts the revoke clock. */
  int serverCookie(SessionKeyEngine e, dev.autokey.core.keys.AddressPair clientToServer,
      long secs) {
    startRevokeClock(secs);
    return cookies.cookie(e, clientToServer, secs);
  }

  /** The server cookie for (client, server) from raw address bytes; starts the revoke clock. */
  int serverCookie(SessionKeyEngine e, byte[] client, byte[] server, long secs) {
    startRevokeClock(secs);
    return cookies.cookie(e, client, server, secs);
  }

  private void startRevokeClock(long secs) {
    if (revokeBase < 0) {
      synchronized (lock) {
        if (revokeBase < 0) {
          revokeBase = secs;
        }
      }
    }
  }

  /** ntpd's {@code crypto_time}: NTP seconds if synchronised, else 0. */
  long cryptoTime(long now) {
    return synced ? NtpTime.seconds(now) : 0;
  }

  /** ntpd's {@code crypto_update}: new {@code upd}, all cached signatures dropped. */
  void signatureUpdate(long now) {
    if (!synced) {
      return;
    }
    long secs = NtpTime.seconds(now);
    upd = secs;
    signatures.clear();
    emit(ProtocolEvent.Type.SIGNATURE_UPDATE, now, null, 0, XEvent.OK,
        "signature update ts " + secs);
  }

  /**
   * A signature over (ts, fs, value), cached per (tag, ts, fs) until the next signature update
   * (ntpd signs these values once per {@code crypto_update}). Empty when unsynchronised and
   * {@code requireSync}.
   */
  byte[] cachedSignature(String tag, long ts, long fs, byte[] value) throws AutokeyException {
    return signatures.get(suite.signer(), tag, ts, fs, value);
  }

  /** Signs fresh (uncached) values. */
  byte[] sign(long ts, long fs, byte[] value) throws AutokeyException {
    return suite.signer().sign(SignedBytes.of(ts, fs, value));
  }

  TokenBucket.Grant spendBudget(long now, double cost, long source) {
    return budget.tryTake(now, cost, source);
  }

  TokenBucket budgetBucket() {
    return budget;
  }

  void emit(ProtocolEvent.Type type, long time, InetAddress peer, long associd, XEvent e,
      String text) {
    listener.onEvent(new ProtocolEvent(type, time, Optional.ofNullable(peer), associd, e, text));
  }

  static String hex(long v) {
    return String.format(Locale.ROOT, "%08x", v & 0xFFFF_FFFFL);
  }

  static boolean sameFamily(InetAddress a, InetAddress b) {
    return (a instanceof Inet4Address) == (b instanceof Inet4Address);
  }

  @Override
  public String toString() {
    return "AutokeyHost[" + hostName + ", " + status() + ", " + config + "]";
  }
}
