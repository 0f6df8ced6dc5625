package dev.autokey.net;

import dev.autokey.core.XEvent;
import dev.autokey.core.protocol.SymmetricKeyAuth;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Symmetric-key authentication (ntpd's {@code server ADDR key N} / {@code peer ADDR key N} with
 * {@code keys FILE} and {@code trustedkey N}; RFC 5905 MAC) as the {@link PacketAuthenticator}
 * of one association: every transmitted packet carries key ID {@code keyId} and the MAC of its
 * 48-byte header; a received packet is usable only when it carries a valid MAC with that same
 * key ID, as ntpd 4.2.8p15 demands of a configured key (a reply with another trusted key ID is
 * rejected, a crypto-NAK too).
 *
 * <pre>{@code
 * List<SymmetricKey> keys = SymmetricKeysFile.parse(Files.readAllBytes(ntpKeys), warnings);
 * SymmetricKeyAuth auth = SymmetricKeyAuth.create(keys, Set.of(1), BcSymmetricMacs.INSTANCE);
 * node.client(server, AssociationOptions.builder()
 *     .authenticator(new SymmetricKeyAuthenticator(auth, 1)).build());
 * }</pre>
 *
 * <p>Thread-safe (the state is the immutable {@link SymmetricKeyAuth} and atomic counters).
 */
public final class SymmetricKeyAuthenticator implements PacketAuthenticator {
  private final SymmetricKeyAuth auth;
  private final int keyId;
  private final AtomicLong sealed = new AtomicLong();
  private final AtomicLong authentic = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong cryptoNaks = new AtomicLong();

  /**
   * Counters (monotonic).
   *
   * @param sealed packets sent with a MAC
   * @param authentic received packets with a valid MAC of the configured key
   * @param rejected received packets rejected (no MAC, other key, bad MAC, crypto-NAK)
   * @param cryptoNaks of those, crypto-NAKs (48-byte header + key ID 0)
   */
  public record Stats(long sealed, long authentic, long rejected, long cryptoNaks) {}

  /**
   * An authenticator sending and accepting key {@code keyId}.
   *
   * @param auth the trusted keys
   * @param keyId the association's key (1..65535, must be trusted in {@code auth})
   * @throws IllegalArgumentException if {@code keyId} is not a trusted key of {@code auth}
   */
  public SymmetricKeyAuthenticator(SymmetricKeyAuth auth, int keyId) {
    this.auth = Objects.requireNonNull(auth, "auth");
    if (!auth.isTrusted(keyId)) {
      throw new IllegalArgumentException("key " + keyId + " is not a trusted key");
    }
    this.keyId = keyId;
  }

  /** The association's key ID. */
  public int keyId() {
    return keyId;
  }

  @Override
  public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
    byte[] h = new byte[NtpHeader.LENGTH];
    packet.get(0, h);
    byte[] datagram = auth.seal(NtpHeader.of(h), keyId);
    if (datagram.length > packet.capacity()) {
      return false;
    }
    packet.clear();
    packet.put(datagram);
    sealed.incrementAndGet();
    return true;
  }

  @Override
  public Verdict open(Datagram d) {
    if (d.length() == NtpHeader.LENGTH + 4 && readInt(d, NtpHeader.LENGTH) == 0) {
      cryptoNaks.incrementAndGet();
      return rejected(Verdict.Cause.CRYPTO_NAK, XEvent.OK, 0, "crypto-NAK");
    }
    SymmetricKeyAuth.Check c = auth.check(d.array(), 0, d.length(), d.source().getAddress());
    long id = c.keyId() & 0xFFFF_FFFFL;
    if (!c.authentic()) {
      return rejected(c.event() == XEvent.OK ? Verdict.Cause.BAD_MAC : Verdict.Cause.MALFORMED,
          c.event(), id, c.detail());
    }
    if (c.keyId() != keyId) {
      // ntpd 4.2.8p15 receive(): "drop: Wanted keyID"
      return rejected(Verdict.Cause.BAD_KEY_ID, XEvent.OK, id,
          "wanted key " + keyId + ", got key " + c.keyId());
    }
    authentic.incrementAndGet();
    return new Verdict(Verdict.Kind.ACCEPTED, Verdict.Cause.OK, XEvent.OK, false, 0, id,
        "authentic");
  }

  private Verdict rejected(Verdict.Cause cause, XEvent event, long keyId, String detail) {
    rejected.incrementAndGet();
    return new Verdict(Verdict.Kind.REJECTED, cause, event, false, 0, keyId, detail);
  }

  /** Current counters. */
  public Stats stats() {
    return new Stats(sealed.get(), authentic.get(), rejected.get(), cryptoNaks.get());
  }

  private static int readInt(Datagram d, int i) {
    return (d.get(i) << 24) | (d.get(i + 1) << 16) | (d.get(i + 2) << 8) | d.get(i + 3);
  }

  @Override
  public String toString() {
    return "SymmetricKeyAuthenticator[key " + keyId + "]";
  }
}
