package dev.autokey.core.protocol;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.identity.IdentityServer;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.CookieRules;
import dev.autokey.core.keys.MacResult;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.DecodeLimits;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.MacField;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketChecks;
import dev.autokey.core.wire.PacketCodec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * ntpd's stateless server fast path (docs/protocol.md §11.3): for each client request, verify the MAC
 * (with the cookie recomputed from the addresses and the private value), answer the first
 * extension field with the R bit set, and MAC the reply with the request's key ID. No per-client
 * state.
 *
 * <p>Expensive fields (COOK, SIGN, IFF/GQ/MV responses, CERT and LEAP values with their
 * signatures) are charged their estimated CPU cost in work units against the host's {@link
 * WorkBudget} before the work is done: the own signature ({@link
 * dev.autokey.core.crypto.Signer#work()}), the encryption to the requester's key ({@link
 * dev.autokey.core.crypto.CookieCipher#encryptWork}), the certificate signing ({@link
 * CryptoSuite#signCertificateWork}) or the identity response ({@link
 * IdentityServer#responseWork()}). The charge goes to the global budget and
 * to the client's per-source share (keyed by the server cookie of the address pair). Over
 * budget, the field is answered with ntpd's 8-byte empty response (no E bit, so the client does
 * not restart but asks again at its next poll). A COOK or SIGN request whose key is outside the
 * accepted range is refused with an error response before anything is charged or computed.
 * Nothing is queued. Plain requests (no field) are never metered. Thread-safe.
 *
 * <p>The per-opcode answers are {@link RequestAnswers}'; this class is the fast path, the gate
 * and the budget.
 */
public final class ServerResponder {
  private static final byte[] EMPTY = new byte[0];

  private final AutokeyHost host;
  private final AtomicLong plain = new AtomicLong();
  private final AtomicLong expensive = new AtomicLong();
  private final AtomicLong budgetRefused = new AtomicLong();
  private final DoubleAdder workSpent = new DoubleAdder();
  private final AtomicLong naks = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();
  private volatile long lastBudgetEvent = -1;

  ServerResponder(AutokeyHost host) {
    this.host = host;
  }

  /**
   * Counters since creation.
   *
   * @param plainReplies requests answered without a field
   * @param expensiveAnswered expensive fields answered within the budget
   * @param budgetRefused expensive fields refused for lack of budget (global or the source's)
   * @param cryptoNaks crypto-NAKs sent
   * @param drops requests dropped
   * @param workUnits work units charged for the expensive fields answered ({@link WorkBudget})
   */
  public record Stats(long plainReplies, long expensiveAnswered, long budgetRefused,
      long cryptoNaks, long drops, double workUnits) {}

  /** The responder's counters. */
  public Stats stats() {
    return new Stats(plain.get(), expensive.get(), budgetRefused.get(), naks.get(), drops.get(),
        workSpent.sum());
  }

  /** What one request came to (for the response and the statistics). */
  static final class Outcome {
    ServerResponse.Kind kind = ServerResponse.Kind.DROP;
    XEvent event = XEvent.OK;
    boolean budget;
    String detail = "";
    /** The client's source key for the per-source budget (unsigned 32 bits), or none. */
    long source = TokenBucket.NO_SOURCE;
  }

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
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(replyHeader, "replyHeader");
    byte[] out = new byte[DecodeLimits.MAX_DATAGRAM_LENGTH];
    replyHeader.writeTo(ByteBuffer.wrap(out));
    Outcome o = new Outcome();
    int n = respond(buf, off, len, client, local, now, out, 0, o);
    if (n < 0) {
      return ServerResponse.drop(o.event, o.detail);
    }
    byte[] d = new byte[n];
    System.arraycopy(out, 0, d, 0, n);
    return new ServerResponse(o.kind, d, o.event, o.budget, o.detail);
  }

  /**
   * Allocation-free variant: the caller has already written the 48-byte reply header at {@code
   * out[outOff]}; the responder appends the field and the MAC (or the crypto-NAK word). A plain
   * authenticated request (header + MAC, no extension field) is verified and answered without
   * allocating, for IPv4 and IPv6 addresses (IPv6 address bytes are remembered per thread for
   * the last few dozen addresses seen; see the raw-bytes overload for callers that keep the
   * address bytes themselves).
   *
   * @param buf request buffer
   * @param off request offset
   * @param len request length
   * @param client the client's address (source of the request)
   * @param local the local address the request arrived on
   * @param now current time (NTP 64-bit)
   * @param out buffer of at least {@link DecodeLimits#MAX_DATAGRAM_LENGTH} bytes from {@code
   *     outOff}
   * @param outOff where the reply starts in {@code out}
   * @return the reply length ({@code >= 48}; exactly {@link #CRYPTO_NAK_LENGTH} for a
   *     crypto-NAK), or {@code -1} to drop
   */
  public int respondInto(byte[] buf, int off, int len, InetAddress client, InetAddress local,
      long now, byte[] out, int outOff) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(local, "local");
    return respond(buf, off, len, client, local, now, out, outOff, SCRATCH.get());
  }

  /**
   * {@link #respondInto(byte[], int, int, InetAddress, InetAddress, long, byte[], int)} with the
   * addresses as raw network-order bytes (4 for IPv4, 16 for IPv6; IPv6 scope IDs play no part
   * in Autokey). The arrays are only read, never kept. Allocation-free on the plain path.
   *
   * @param clientAddress the client's address bytes (source of the request)
   * @param localAddress the bytes of the local address the request arrived on
   * @throws IllegalArgumentException if an address is not 4 or 16 bytes long
   */
  public int respondInto(byte[] buf, int off, int len, byte[] clientAddress, byte[] localAddress,
      long now, byte[] out, int outOff) {
    checkAddress(clientAddress, "client");
    checkAddress(localAddress, "local");
    return respondRaw(buf, off, len, clientAddress, localAddress, now, out, outOff,
        SCRATCH.get());
  }

  /** Length of a crypto-NAK reply: the 48-byte header and the 4-byte zero key-ID word. */
  public static final int CRYPTO_NAK_LENGTH = NtpHeader.LENGTH + 4;

  private static void checkAddress(byte[] a, String what) {
    Objects.requireNonNull(a, what);
    if (a.length != AddressPair.IPV4_LENGTH && a.length != AddressPair.IPV6_LENGTH) {
      throw new IllegalArgumentException(what + " address has " + a.length
          + " bytes (4 or 16)");
    }
  }

  private static final ThreadLocal<Outcome> SCRATCH = ThreadLocal.withInitial(Outcome::new);
  private static final ThreadLocal<AddressBytes> ADDRESSES =
      ThreadLocal.withInitial(AddressBytes::new);

  private int drop(Outcome o, XEvent e, String detail) {
    drops.incrementAndGet();
    o.kind = ServerResponse.Kind.DROP;
    o.event = e;
    o.detail = detail;
    return -1;
  }

  private int nak(Outcome o, byte[] out, int outOff, String detail) {
    naks.incrementAndGet();
    o.kind = ServerResponse.Kind.CRYPTO_NAK;
    o.event = XEvent.OK;
    o.detail = detail;
    for (int i = 0; i < 4; i++) {
      out[outOff + NtpHeader.LENGTH + i] = 0;
    }
    return NtpHeader.LENGTH + 4;
  }

  private int respond(byte[] buf, int off, int len, InetAddress client, InetAddress local,
      long now, byte[] out, int outOff, Outcome o) {
    if (!AutokeyHost.sameFamily(client, local)) {
      Objects.checkFromIndexSize(off, len, buf.length);
      Objects.checkFromIndexSize(outOff, DecodeLimits.MAX_DATAGRAM_LENGTH, out.length);
      o.budget = false;
      return drop(o, XEvent.OK, "address families differ");
    }
    AddressBytes ab = ADDRESSES.get();
    return respondRaw(buf, off, len, ab.client(client), ab.local(local), now, out, outOff, o);
  }

  /** The responder proper; {@code c} and {@code l} are 4 or 16 bytes, read only. */
  private int respondRaw(byte[] buf, int off, int len, byte[] c, byte[] l, long now, byte[] out,
      int outOff, Outcome o) {
    Objects.checkFromIndexSize(off, len, buf.length);
    Objects.checkFromIndexSize(outOff, DecodeLimits.MAX_DATAGRAM_LENGTH, out.length);
    o.budget = false;
    o.event = XEvent.OK;
    o.source = TokenBucket.NO_SOURCE;
    if (c.length != l.length) {
      return drop(o, XEvent.OK, "address families differ");
    }
    SessionKeyEngine e = host.engine();
    int macLen = e.macLength();
    // Plain fast path: header + MAC only, no decode.
    if (len == NtpHeader.LENGTH + macLen && ((buf[off] & 7) == NtpHeader.MODE_CLIENT)) {
      int keyId = readInt(buf, off + NtpHeader.LENGTH);
      if ((keyId & 0xFFFF_FFFFL) <= MacField.NTP_MAXKEY) {
        return drop(o, XEvent.OK, "symmetric key ID: AUTH is not configured on this responder");
      }
      long secs = NtpTime.seconds(now);
      int ck = host.serverCookie(e, c, l, secs);
      if (e.verifyMac(c, l, ck, buf, off, len, NtpHeader.LENGTH) != MacResult.VALID) {
        return nak(o, out, outOff, "bad MAC");
      }
      e.computeMac(l, c, keyId, ck, out, outOff, NtpHeader.LENGTH);
      plain.incrementAndGet();
      o.kind = ServerResponse.Kind.REPLY;
      o.detail = "plain";
      return NtpHeader.LENGTH + macLen;
    }
    AutokeyPacket p;
    try {
      p = PacketCodec.ntpd().decode(buf, off, len);
    } catch (MalformedPacketException ex) {
      return drop(o, ex.event(), ex.getMessage());
    }
    if (p.header().mode() != NtpHeader.MODE_CLIENT) {
      return drop(o, XEvent.OK, "NTP mode " + p.header().mode() + " is not a client request");
    }
    Optional<MacField> macOpt = p.mac();
    if (macOpt.isEmpty()) {
      if (p.fields().isEmpty()) {
        o.kind = ServerResponse.Kind.REPLY;
        o.detail = "unauthenticated";
        return NtpHeader.LENGTH;
      }
      return nak(o, out, outOff, "extension field without MAC");
    }
    MacField mac = macOpt.get();
    if (mac.isCryptoNakWord()) {
      return drop(o, XEvent.OK, "crypto-NAK from a client");
    }
    if (!mac.isAutokeyKeyId()) {
      return drop(o, XEvent.OK, "symmetric key ID: AUTH is not configured on this responder");
    }
    if (mac.length() != macLen) {
      return nak(o, out, outOff, "MAC length " + mac.length());
    }
    boolean hadFields = CookieRules.requestHadExtensionFields(len);
    long secs = NtpTime.seconds(now);
    int ck = host.serverCookie(e, c, l, secs);
    o.source = ck & 0xFFFF_FFFFL;
    int macCookie = hadFields ? CookieRules.NO_COOKIE : ck;
    if (e.verifyMac(c, l, macCookie, buf, off, len, p.macOffset()) != MacResult.VALID) {
      return nak(o, out, outOff, "bad MAC");
    }
    if (host.group().isPresent()
        && host.config().groupRule() == AutokeyConfig.GroupRule.NTPD) {
      try {
        PacketChecks.assocGroupPreCheck(p);
      } catch (MalformedPacketException ex) {
        return drop(o, ex.event(), "group pre-check: " + ex.getMessage());
      }
    }
    int efLen = 0;
    if (!p.fields().isEmpty()) {
      ExtensionField resp = answer(p.fields().get(0), ck, now, o);
      int room = DecodeLimits.NTPD_MAX_EXTENSION_AREA_SENT;
      if (resp.length() <= room) {
        resp.writeTo(ByteBuffer.wrap(out, outOff + NtpHeader.LENGTH, resp.length()));
        efLen = resp.length();
      } else {
        o.detail = "response field longer than " + room + " bytes omitted";
      }
    } else {
      plain.incrementAndGet();
      o.detail = "plain";
    }
    e.computeMac(l, c, (int) mac.keyId(), macCookie, out, outOff, NtpHeader.LENGTH + efLen);
    o.kind = ServerResponse.Kind.REPLY;
    return NtpHeader.LENGTH + efLen + macLen;
  }

  private static int readInt(byte[] b, int i) {
    return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8)
        | (b[i + 3] & 0xFF);
  }

  /** Charges {@code cost} work units to the budget; false (and the outcome marked) if refused. */
  boolean budget(long now, Outcome o, Opcode op, double cost) {
    TokenBucket.Grant g = host.spendBudget(now, cost, o.source);
    if (g == TokenBucket.Grant.GRANTED) {
      expensive.incrementAndGet();
      workSpent.add(cost);
      return true;
    }
    budgetRefused.incrementAndGet();
    o.budget = true;
    o.detail = op + " refused: " + (g == TokenBucket.Grant.SOURCE_EXHAUSTED
        ? "this client's share of the work budget exhausted" : "work budget exhausted");
    long secs = NtpTime.seconds(now);
    if (lastBudgetEvent != secs) {
      lastBudgetEvent = secs;
      host.emit(ProtocolEvent.Type.BUDGET_EXCEEDED, now, null, 0, XEvent.OK,
          "work budget exhausted (" + budgetRefused.get() + " refused so far)");
    }
    return false;
  }

  /**
   * A symmetric peer's response to its queued request ({@code crypto_xmit} with a peer): built as
   * on the fast path, with {@code cookie} the responder's host cookie (COOK). Expensive fields
   * are charged like fast-path ones, to the global budget only (no per-source share: the peer is
   * a configured association, not an arbitrary source).
   */
  ExtensionField answerQueued(ExtensionField request, int cookie, long now) {
    return answer(request, cookie, now, new Outcome());
  }

  /** Builds the response to one request field ({@code crypto_xmit} on the fast path). */
  private ExtensionField answer(ExtensionField f, int cookie, long now, Outcome o) {
    Opcode op = f.opcode();
    long associd = f.associationId();
    if (f.version() != ExtensionField.AUTOKEY_VERSION) {
      o.event = XEvent.ERR;
      o.detail = "version " + f.version();
      return ExtensionField.builder().opcode(op).response(true).error(true)
          .version(f.version()).associationId(associd).build();
    }
    try {
      return RequestAnswers.answer(this, host, f, cookie, now, o);
    } catch (AutokeyException ex) {
      o.event = ex.event();
      o.detail = op + ": " + ex.getMessage();
      return AutokeyMessages.errorResponse(op, associd);
    }
  }
}
