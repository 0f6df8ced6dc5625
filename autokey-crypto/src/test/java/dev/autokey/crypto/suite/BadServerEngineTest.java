package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.SignedBytes;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEvent;
import dev.autokey.core.protocol.ServerResponse;
import dev.autokey.core.protocol.SymmetricPeer;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.LeapValues;
import dev.autokey.core.wire.AutoValues;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.identity.IffKey;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A malicious Autokey server against the client engine, deterministically: a client {@link
 * Association} is driven against a real {@link dev.autokey.core.protocol.ServerResponder} with
 * virtual NTP time (16 s per poll), one request and one reply at a time. At one protocol step
 * (ASSOC, CERT, IFF, COOK, SIGN, LEAP or a plain poll) the honest reply is replaced, 1–2 times,
 * by crafted datagrams: edits of that honest reply, re-MACed with cookie 0 where the reply carries
 * a field (as any on-path attacker can, no key needed), or replies that only a keyless attacker
 * can send (truncated, wrong MAC, replays, crypto-NAKs, other modes). One named case per crafted
 * reply of the docs/security.md test list that concerns what a client receives (T01–T39 and a few tagged
 * extras), on an IPv4 and an IPv6 address pair.
 *
 * <p>Every case asserts, for each crafted datagram: the verdict's kind, cause, {@code XEVNT} code
 * and restart; the association's whole flags word unchanged on a lie (or reset where ntpd resets:
 * XEVNT_ERR and the crypto-NAK); that the datagram is never usable for time; that no exception
 * escapes the engine. Afterwards the client must recover with honest replies — all flags and an
 * accepted (usable) reply — within {@value #RECOVERY_POLLS} polls, except where ntpd itself stays
 * stuck (an intruder's own trust root under the legacy policy).
 *
 * <p>Where the same crafted bytes are dropped in {@code autokey-net} before the engine sees them
 * (bogus origin, duplicate, other mode, other source, oversized datagram), the engine's own verdict
 * is asserted here: the origin check ({@code BAD_ORIGIN}), the duplicate check, the mode and source
 * check ({@code NOT_OURS}), the codec's datagram limit ({@code MALFORMED} XEVNT_LEN). The NTP
 * layer's drops themselves (bad version, unmatched socket, oversized read) are checked by {@code
 * AutokeyBadServerTest}, a small real-UDP smoke test in {@code autokey-net}.
 *
 * <p>One more test covers T31(c) and T32 at the host: a mode-1 packet from an unknown peer
 * mobilises no passive association unless it is an ASSOC request with a MAC that verifies.
 */
class BadServerEngineTest {
  static final long PROGRESS = HostStatus.CLIENT_STATE_MASK;
  static final long FS = Scenarios.FS;
  /** Honest polls allowed to reach the attacked step. */
  static final int POLLS_TO_STEP = 30;
  /** Honest polls allowed to recover after the attack. */
  static final int RECOVERY_POLLS = 20;
  static final EphemeralHosts.Host SRV = EphemeralHosts.trusted("server", FS, Scenarios.rng(501));
  static final EphemeralHosts.Host CLI = EphemeralHosts.ordinary("client", FS, Scenarios.rng(502));
  static final EphemeralHosts.Host INTRUDER =
      EphemeralHosts.trusted("server", FS, Scenarios.rng(503));
  static final EphemeralHosts.Host SRV_G =
      EphemeralHosts.trusted("server@grp", FS, Scenarios.rng(504));
  static final EphemeralHosts.Host CLI_G =
      EphemeralHosts.ordinary("client@grp", FS, Scenarios.rng(505));
  static final IffKey IFF = Scenarios.IFF;
  static final IffKey WRONG_IFF = IffKey.generate(512, Scenarios.rng(506), FS);
  /** Per-case results for the summary printed at the end. */
  static final Map<String, String> RESULTS = new TreeMap<>();

  /** The addresses of one run: server, client, and a third host with no association. */
  enum Family {
    IPV4("192.0.2.1", "192.0.2.2", "192.0.2.99"),
    IPV6("2001:db8::1", "2001:db8::2", "2001:db8::99");

    final InetAddress server;
    final InetAddress client;
    final InetAddress stranger;

    Family(String s, String c, String x) {
      server = addr(s);
      client = addr(c);
      stranger = addr(x);
    }

    private static InetAddress addr(String s) {
      try {
        return InetAddress.getByName(s);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The protocol step a request belongs to (its first field, or none). */
  enum Step { ASSOC, CERT, IDENTITY, COOK, AUTO, SIGN, LEAP, PLAIN, OTHER }

  static Step stepOf(AutokeyPacket p) {
    if (p.fields().isEmpty()) {
      return Step.PLAIN;
    }
    Opcode op = p.fields().get(0).opcode();
    if (op.equals(Opcode.ASSOC)) {
      return Step.ASSOC;
    } else if (op.equals(Opcode.CERT)) {
      return Step.CERT;
    } else if (op.isIdentity()) {
      return Step.IDENTITY;
    } else if (op.equals(Opcode.COOK)) {
      return Step.COOK;
    } else if (op.equals(Opcode.AUTO)) {
      return Step.AUTO;
    } else if (op.equals(Opcode.SIGN)) {
      return Step.SIGN;
    } else if (op.equals(Opcode.LEAP)) {
      return Step.LEAP;
    }
    return Step.OTHER;
  }

  // ================================================================ expectations

  /** What the association's flags must look like after each crafted datagram. */
  enum Flags { UNCHANGED, UNCHANGED_BUT_PROV, RESET, COOKIE_DROPPED, ANY }

  /** What happens after the attack. */
  enum After { RECOVERS, STUCK }

  /** The verdict every crafted datagram must get, and the flags after it. */
  record Expect(Verdict.Kind kind, Verdict.Cause cause, XEvent event, boolean restart,
      Flags flags) {
    static Expect rejected(Verdict.Cause cause, XEvent e) {
      return new Expect(Verdict.Kind.REJECTED, cause, e, false, Flags.UNCHANGED);
    }

    static Expect protocol(XEvent e) {
      return rejected(Verdict.Cause.PROTOCOL, e);
    }

    static Expect malformed(XEvent e) {
      return rejected(Verdict.Cause.MALFORMED, e);
    }

    static Expect restart(XEvent e) {
      return new Expect(Verdict.Kind.REJECTED, Verdict.Cause.PROTOCOL, e, true, Flags.RESET);
    }

    static Expect ignored(Verdict.Cause cause) {
      return new Expect(Verdict.Kind.IGNORED, cause, XEvent.OK, false, Flags.UNCHANGED);
    }

    static Expect of(Verdict.Kind k, Verdict.Cause c, boolean restart, Flags f) {
      return new Expect(k, c, XEvent.OK, restart, f);
    }

    boolean matches(Verdict v) {
      return kind == v.kind() && cause == v.cause() && event == v.event();
    }

    @Override
    public String toString() {
      return kind + " " + cause + (event != XEvent.OK ? " " + event.ntpdName() : "")
          + (restart ? " +restart" : "");
    }
  }

  /** One datagram of an attack; {@code crafted} ones are judged against the expectation. */
  record Shot(byte[] datagram, InetAddress source, boolean crafted) {}

  /** The hostile part of a case: the datagrams sent instead of the honest reply. */
  @FunctionalInterface
  interface Attack {
    List<Shot> craft(Rig rig, Exchange x) throws Exception;
  }

  /**
   * One crafted reply of the test list.
   *
   * @param id the test-list entry (T01..T39) or a short tag
   * @param title what is sent
   * @param identity run with IFF instead of TC
   * @param step the request the attack answers
   * @param times how many such requests are answered with crafted datagrams
   * @param attack the crafting
   * @param expect the expected verdict per crafted datagram
   * @param after whether the client must recover
   * @param strict the client runs policy STRICT with the real server's certificate pinned
   * @param alt an alternative expectation (or null), see the middleman case
   * @param post further checks after the run (or null)
   */
  record Case(String id, String title, boolean identity, Step step, int times, Attack attack,
      Expect expect, After after, boolean strict, Expect alt, Consumer<Rig> post) {
    Case(String id, String title, boolean identity, Step step, int times, Attack attack,
        Expect expect, After after, boolean strict) {
      this(id, title, identity, step, times, attack, expect, after, strict, null, null);
    }

    @Override
    public String toString() {
      return id + " " + title;
    }
  }

  static Case c(String id, String title, Step step, Attack a, Expect e) {
    return new Case(id, title, false, step, 2, a, e, After.RECOVERS, false);
  }

  // ================================================================ the rig

  /** One crafted datagram as the engine judged it. */
  record Observation(long flagsBefore, Verdict verdict, long flagsAfter) {}

  /** One client association against one server, with virtual time. */
  static final class Rig {
    final Case kase;
    final Family fam;
    final InetAddress sa;
    final InetAddress ca;
    final SecureRandom random;
    final AutokeyHost server;
    final AutokeyHost client;
    final AutokeyHost middleman;
    final EphemeralHosts.Host clientHost;
    final Association a;
    final List<ProtocolEvent> events = new ArrayList<>();
    final List<Observation> observations = new ArrayList<>();
    final Map<String, Object> memory = new HashMap<>();
    long now = NtpTime.ofSeconds(Scenarios.T0);
    long xmt;
    int polls;
    long accepted;

    Rig(Case k, Family fam, long seed) throws Exception {
      this.kase = k;
      this.fam = fam;
      this.sa = fam.server;
      this.ca = fam.client;
      this.random = Scenarios.rng(seed);
      EphemeralHosts.Host sHost = k.identity() ? SRV_G : SRV;
      clientHost = k.identity() ? CLI_G : CLI;
      CryptoSuite ss = k.identity() ? sHost.suite(Scenarios.rng(seed + 1)).iffKey(IFF).build()
          : sHost.tcSuite(Scenarios.rng(seed + 1));
      CryptoSuite cs = k.identity()
          ? clientHost.suite(Scenarios.rng(seed + 2)).iffParameters("grp", IFF.parameters())
              .build()
          : clientHost.tcSuite(Scenarios.rng(seed + 2));
      server = AutokeyHost.create(AutokeyConfig.defaults(), ss, Scenarios.rng(seed + 3),
          e -> { });
      server.setSynchronised(true, now);
      server.setLeapValues(37, 3692217600L, 3912710400L, now);
      if (k.identity()) {
        middleman = AutokeyHost.create(AutokeyConfig.defaults(),
            sHost.suite(Scenarios.rng(seed + 4)).iffKey(WRONG_IFF).build(),
            Scenarios.rng(seed + 5), e -> { });
        middleman.setSynchronised(true, now);
      } else {
        middleman = null;
      }
      AutokeyConfig ccfg = k.strict()
          ? AutokeyConfig.builder().policy(AutokeyConfig.Policy.STRICT)
              .addTrustAnchor(SRV.certificate()).build()
          : AutokeyConfig.defaults();
      client = AutokeyHost.create(ccfg, cs, Scenarios.rng(seed + 6), events::add);
      a = client.client(ca, sa, k.identity() ? Optional.of("grp") : Optional.empty());
    }

    long nowSeconds() {
      return now >>> 32;
    }

    /** The client's next request and the server's honest answer to it. */
    Exchange exchange() throws Exception {
      polls++;
      now = NtpTime.plusSeconds(now, 16);
      xmt = now | 0x1234;
      NtpHeader h = NtpHeader.builder().leap(client.isSynchronised() ? 0 : 3).version(4)
          .mode(NtpHeader.MODE_CLIENT).stratum(client.isSynchronised() ? 3 : 0).poll(3)
          .transmitTimestamp(xmt).build();
      byte[] req = assertDoesNotThrow(() -> a.prepareTransmit(h, now), "prepareTransmit");
      return new Exchange(this, req, now);
    }

    /** Delivers a datagram the server sent (not judged); the client's sync follows samples. */
    Verdict deliverHonest(byte[] d) {
      Verdict v = receive(d, sa);
      if (v.usableForTime()) {
        accepted++;
        if (!client.isSynchronised()) {
          client.setSynchronised(true, now);
        }
      }
      return v;
    }

    /** Delivers a crafted datagram and records how the engine judged it. */
    void deliverCrafted(Shot s) {
      long before = a.flags();
      Verdict v = receive(s.datagram(), s.source());
      observations.add(new Observation(before, v, a.flags()));
    }

    private Verdict receive(byte[] d, InetAddress from) {
      return assertDoesNotThrow(() -> a.receive(d, 0, d.length, from, ca, now),
          "the engine threw on a received datagram");
    }
  }

  /** One request and its honest answer, with forging helpers (the attacker's view). */
  static final class Exchange {
    final Rig rig;
    final byte[] request;
    final AutokeyPacket requestPacket;
    final Step step;
    final ServerResponse response;
    final long now;
    private final SessionKeyEngine engine = SessionKeyEngine.md5();

    Exchange(Rig rig, byte[] request, long now) throws Exception {
      this.rig = rig;
      this.request = request;
      this.requestPacket = PacketCodec.ntpd().decode(request);
      this.step = stepOf(requestPacket);
      this.now = now;
      this.response = rig.server.responder().respond(request, 0, request.length, rig.ca, rig.sa,
          now, replyHeader());
    }

    /** The reply header a server builds for this request. */
    NtpHeader replyHeader() {
      NtpHeader rq = requestPacket.header();
      return NtpHeader.builder().leap(0).version(rq.version()).mode(NtpHeader.MODE_SERVER)
          .stratum(2).poll(rq.poll()).precision(-20).rootDispersion(0x10)
          .referenceId(0x4C4F434CL).referenceTimestamp(now)
          .originTimestamp(rq.transmitTimestamp()).receiveTimestamp(now)
          .transmitTimestamp(now | 0x55).build();
    }

    boolean answered() {
      return response.kind() != ServerResponse.Kind.DROP;
    }

    /** The honest answer (a copy). */
    byte[] honest() {
      return response.datagram();
    }

    AutokeyPacket honestPacket() throws MalformedPacketException {
      return PacketCodec.ntpd().decode(response.datagram());
    }

    ExtensionField honestField() throws MalformedPacketException {
      return honestPacket().fields().get(0);
    }

    NtpHeader header() throws MalformedPacketException {
      return honestPacket().header();
    }

    /** The request's MAC key ID (the reply must echo it). */
    long keyId() {
      return requestPacket.mac().map(m -> m.keyId()).orElse(0L);
    }

    /** The request's transmit timestamp (the reply's origin). */
    long origin() {
      return requestPacket.header().transmitTimestamp();
    }

    /** The honest answer with its first field replaced, re-MACed with cookie 0. */
    byte[] forge(UnaryOperator<ExtensionField> f) throws MalformedPacketException {
      AutokeyPacket p = honestPacket();
      return packet(p.header(), List.of(f.apply(p.fields().get(0))), keyId());
    }

    /** A reply of {@code header}, {@code fields} and a cookie-0 MAC with {@code keyId}. */
    byte[] packet(NtpHeader header, List<ExtensionField> fields, long keyId) {
      int ef = 0;
      for (ExtensionField x : fields) {
        ef += x.length();
      }
      byte[] out = new byte[NtpHeader.LENGTH + ef + engine.macLength()];
      ByteBuffer b = ByteBuffer.wrap(out);
      header.writeTo(b);
      for (ExtensionField x : fields) {
        x.writeTo(b);
      }
      return remac(out, keyId);
    }

    /**
     * Recomputes the cookie-0 MAC over everything before the last {@code macLength()} bytes of
     * {@code datagram} (which may be malformed in between), with {@code keyId}.
     */
    byte[] remac(byte[] datagram, long keyId) {
      engine.computeMac(AddressPair.of(rig.sa, rig.ca), (int) keyId, 0, datagram, 0,
          datagram.length - engine.macLength());
      return datagram;
    }

    /** A signature by the server's key over (ts, fs, value), as the server would make it. */
    byte[] sign(long ts, long fs, byte[] value) throws AutokeyException {
      return rig.server.cryptoSuite().signer().sign(SignedBytes.of(ts, fs, value));
    }
  }

  // ================================================================ crafting helpers

  static Shot lie(byte[] d, Rig rig) {
    return new Shot(d, rig.sa, true);
  }

  static Shot truth(byte[] d, Rig rig) {
    return new Shot(d, rig.sa, false);
  }

  /** One crafted datagram from the server's address. */
  interface Craft {
    byte[] craft(Rig rig, Exchange x) throws Exception;
  }

  static Attack one(Craft c) {
    return (rig, x) -> List.of(lie(c.craft(rig, x), rig));
  }

  /** An edit of the honest reply's bytes. */
  interface RawEdit {
    void edit(ByteBuffer b);
  }

  /** The honest reply with {@code m} applied to its bytes, re-MACed (cookie 0). */
  static Attack raw(RawEdit m) {
    return one((rig, x) -> {
      byte[] d = x.honest();
      m.edit(ByteBuffer.wrap(d));
      return x.remac(d, x.keyId());
    });
  }

  static Attack forge(UnaryOperator<ExtensionField> f) {
    return one((rig, x) -> x.forge(f));
  }

  /** The first field's length word (low 16 bits of the opcode word). */
  static void fieldLength(ByteBuffer b, int len) {
    b.putShort(50, (short) len);
  }

  static int vallenAt(ByteBuffer b) {
    return b.getInt(64);
  }

  static int pad4(int n) {
    return (n + 3) & ~3;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  static PublicKey publicOf(RSAPrivateCrtKey k) throws Exception {
    return KeyFactory.getInstance("RSA").generatePublic(
        new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
  }

  /** A COOK response field with {@code ct}, correctly signed by the server. */
  static ExtensionField signedCook(Exchange x, ExtensionField f, byte[] ct) throws Exception {
    return AutokeyMessages.cookResponse(f.associationId(), f.timestamp(), f.filestamp(), ct,
        x.sign(f.timestamp(), f.filestamp(), ct));
  }

  static byte[] oaep(PublicKey key, byte[] plain) throws Exception {
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
    c.init(Cipher.ENCRYPT_MODE, key);
    return c.doFinal(plain);
  }

  /** A crypto-NAK (header + 4 zero bytes) with the given origin. */
  static byte[] nak(Exchange x, long origin) throws Exception {
    NtpHeader h = x.header();
    byte[] d = new byte[NtpHeader.LENGTH + 4];
    NtpHeader.builder().leap(h.leap()).version(h.version()).mode(NtpHeader.MODE_SERVER)
        .stratum(h.stratum()).poll(h.poll()).precision(h.precision())
        .originTimestamp(origin).receiveTimestamp(h.receiveTimestamp())
        .transmitTimestamp(h.transmitTimestamp()).build().writeTo(ByteBuffer.wrap(d));
    return d;
  }

  /** The honest reply with a modification of its bytes, not re-MACed. */
  static byte[] withHeader(byte[] honest, RawEdit m) {
    byte[] d = honest.clone();
    m.edit(ByteBuffer.wrap(d));
    return d;
  }

  static byte[] sign(Exchange x, long ts, long fs, byte[] v) {
    try {
      return x.sign(ts, fs, v);
    } catch (AutokeyException e) {
      throw new IllegalStateException(e);
    }
  }

  // ================================================================ the cases

  static List<Case> cases() {
    List<Case> l = new ArrayList<>();
    final Expect lenDrop = Expect.malformed(XEvent.LEN);
    final Expect signedCky = new Expect(Verdict.Kind.REJECTED, Verdict.Cause.PROTOCOL,
        XEvent.CKY, false, Flags.UNCHANGED_BUT_PROV);
    final Expect badMac = Expect.rejected(Verdict.Cause.BAD_MAC, XEvent.OK);
    // ---- field and packet lengths (receive() walker, crypto_recv length checks)
    l.add(c("T01", "CERT response: field length 0x0400, only 28 bytes + MAC follow", Step.CERT,
        one((rig, x) -> {
          byte[] d = Arrays.copyOf(x.honest(), NtpHeader.LENGTH + 28 + 20);
          fieldLength(ByteBuffer.wrap(d), 0x0400);
          return x.remac(d, x.keyId());
        }), lenDrop));
    l.add(c("T02", "CERT response: field length 0x001E (not a multiple of 4)", Step.CERT,
        raw(b -> fieldLength(b, 0x1E)), lenDrop));
    l.add(c("T03", "CERT response: field length 0", Step.CERT, raw(b -> fieldLength(b, 0)),
        lenDrop));
    l.add(c("T03", "CERT response preceded by a 4-byte field", Step.CERT, one((rig, x) -> {
      byte[] h = x.honest();
      byte[] four = new byte[] {(byte) 0x82, 0x02, 0x00, 0x04};
      byte[] d = concat(Arrays.copyOf(h, 48), four, Arrays.copyOfRange(h, 48, h.length));
      return x.remac(d, x.keyId());
    }), Expect.malformed(XEvent.ERR)));
    for (int n : new int[] {6, 22}) {
      l.add(c("T04", n + " bytes after the header (neither field nor MAC)", Step.PLAIN,
          one((rig, x) -> Arrays.copyOf(x.honest(), 48 + n)), lenDrop));
    }
    l.add(c("T04", "12 bytes after the header (MAC with an 8-byte digest)", Step.PLAIN,
        one((rig, x) -> Arrays.copyOf(x.honest(), 48 + 12)), badMac));
    l.add(c("T04", "24-byte MAC (SHA-1 length) on an MD5 association", Step.PLAIN,
        one((rig, x) -> Arrays.copyOf(x.honest(), x.honest().length + 4)), badMac));
    l.add(c("T05", "CERT response with vallen 0", Step.CERT, raw(b -> b.putInt(64, 0)),
        lenDrop));
    l.add(c("T06", "CERT response with vallen = field length - 24 + 1", Step.CERT,
        raw(b -> b.putInt(64, (b.getShort(50) & 0xFFFF) - 24 + 1)), lenDrop));
    l.add(c("T07", "CERT response with vallen 0xFFFFFFFF", Step.CERT,
        raw(b -> b.putInt(64, 0xFFFFFFFF)), lenDrop));
    l.add(c("T07", "CERT response with vallen 0x80000000", Step.CERT,
        raw(b -> b.putInt(64, 0x80000000)), lenDrop));
    l.add(c("T08", "COOK response with siglen 0xFFFFFFFC (padded sum wraps)", Step.COOK,
        raw(b -> b.putInt(48 + 20 + pad4(vallenAt(b)), 0xFFFFFFFC)), lenDrop));
    // ---- signatures
    for (int delta : new int[] {-1, 1}) {
      l.add(c("T09", "COOK response with siglen " + (64 + delta) + " (512-bit key)", Step.COOK,
          forge(f -> f.withSignature(Arrays.copyOf(f.signature(), f.signatureLength() + delta))),
          Expect.protocol(XEvent.SGL)));
    }
    l.add(c("T10", "LEAP response with a tampered signature", Step.LEAP, forge(f -> {
      byte[] s = f.signature();
      s[s.length / 2] ^= 0x10;
      return f.withSignature(s);
    }), Expect.protocol(XEvent.SIG)));
    l.add(c("T10", "COOK response whose signature is 64 bytes of 0xFF (>= modulus)", Step.COOK,
        forge(f -> {
          byte[] s = new byte[f.signatureLength()];
          Arrays.fill(s, (byte) 0xFF);
          return f.withSignature(s);
        }), Expect.protocol(XEvent.SIG)));
    l.add(c("T10", "LEAP response with its value tampered (signature no longer covers it)",
        Step.LEAP, forge(f -> {
          byte[] v = f.value();
          v[3] ^= 1;
          return f.toBuilder().value(v).build();
        }), Expect.protocol(XEvent.SIG)));
    // ---- ASSOC
    l.add(c("T14", "ASSOC response advertising signature NID 0xFFFF", Step.ASSOC,
        forge(f -> AutokeyMessages.assoc(true, f.associationId(), f.timestamp(),
            HostStatus.of(0xFFFF0001L), "server")), Expect.protocol(XEvent.MD)));
    l.add(c("T11", "ASSOC response with a 513-byte host name", Step.ASSOC,
        forge(f -> AutokeyMessages.assoc(true, f.associationId(), f.timestamp(),
            HostStatus.of(0x00080001L), "s".repeat(513))), Expect.protocol(XEvent.LEN)));
    // ---- cookies
    for (int n : new int[] {0, 3, 5, 16}) {
      l.add(c("T15", "COOK response, correctly signed, OAEP plaintext of " + n + " bytes",
          Step.COOK, one((rig, x) -> {
            ExtensionField f = x.honestField();
            byte[] ct = oaep(publicOf(rig.clientHost.hostKey()), new byte[n]);
            return x.packet(x.header(), List.of(signedCook(x, f, ct)), x.keyId());
          }), signedCky));
    }
    l.add(c("T15", "COOK response: cookie encrypted to the wrong key (signed)", Step.COOK,
        one((rig, x) -> {
          ExtensionField f = x.honestField();
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(512, rig.random);
          byte[] ct = oaep(g.generateKeyPair().getPublic(), new byte[] {1, 2, 3, 4});
          return x.packet(x.header(), List.of(signedCook(x, f, ct)), x.keyId());
        }), signedCky));
    l.add(c("T16", "COOK response: 60-byte ciphertext for a 64-byte modulus (signed)", Step.COOK,
        one((rig, x) -> x.packet(x.header(),
            List.of(signedCook(x, x.honestField(), new byte[60])), x.keyId())), signedCky));
    l.add(c("T17", "COOK response: well-formed ciphertext, bad signature", Step.COOK,
        forge(f -> {
          byte[] s = f.signature();
          s[0] ^= 0x40;
          return f.withSignature(s);
        }), Expect.protocol(XEvent.SIG)));
    // ---- certificates
    l.add(c("T19", "CERT response: truncated DER", Step.CERT, forge(f -> f.toBuilder()
        .value(Arrays.copyOf(f.value(), f.valueLength() / 2)).build()),
        Expect.protocol(XEvent.CRT)));
    l.add(c("T19", "CERT response: self-signature does not verify", Step.CERT, forge(f -> {
      byte[] v = f.value();
      v[v.length - 3] ^= 0x01;
      return f.toBuilder().value(v).build();
    }), Expect.protocol(XEvent.CRT)));
    l.add(c("T19", "CERT response: notBefore earlier than the field's filestamp (retroactive)",
        Step.CERT, forge(f -> f.toBuilder().filestamp(f.timestamp()).build()),
        Expect.protocol(XEvent.CRT)));
    // d2i_X509 in ntpd reads one DER object and ignores what follows; so does our decoder
    l.add(new Case("T19", "CERT response: certificate followed by 1,500 bytes of junk (1.9 KB "
        + "value)", false, Step.CERT, 1, one((rig, x) -> {
          byte[] junk = new byte[1500];
          rig.random.nextBytes(junk);
          return x.forge(f -> f.toBuilder().value(concat(f.value(), junk)).build());
        }), Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.ANY),
        After.RECOVERS, false));
    l.add(c("T22", "CERT response: server certificate issued by the client's own name (loop)",
        Step.CERT, one((rig, x) -> {
          CryptoSuite cs = rig.client.cryptoSuite();
          byte[] issued = NtpCertificates.signRequest(INTRUDER.certificate(),
              cs.hostCertificate(), rig.clientHost.hostKey(), SignatureAlgorithm.RSA_MD5,
              rig.nowSeconds(), cs.certificateCodec(), rig.random);
          return x.forge(g -> g.toBuilder().value(issued).build());
        }), Expect.protocol(XEvent.CRT)));
    // ntpd's cert_parse checks notBefore <= notAfter and notBefore >= filestamp, never the
    // clock: an expired certificate with the server's own key is accepted (documented ignore)
    l.add(new Case("T19", "CERT response: expired trustRoot certificate of the server's own key",
        false, Step.CERT, 1, one((rig, x) -> {
          long nb = FS - 800L * 86400;
          byte[] der = NtpCertificates.selfSigned(new NtpCertificates.Spec("server",
              BigInteger.valueOf(nb), nb, 365, NtpCertificates.Kind.TRUST_ROOT, null,
              publicOf(SRV.hostKey())), SRV.hostKey(), SignatureAlgorithm.RSA_MD5, rig.random);
          return x.forge(f -> f.toBuilder().filestamp(nb).value(der).build());
        }), Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.ANY),
        After.RECOVERS, false, null, rig -> assertTrue(rig.a.trail().get(0).notAfter()
            < rig.nowSeconds(), "the expired certificate is the trail's root")));
    l.add(new Case("T19", "CERT response: intruder's self-signed trustRoot, client pins the "
        + "real server (STRICT)", false, Step.CERT, 2,
        forge(f -> f.toBuilder().value(INTRUDER.certificate()).build()),
        Expect.protocol(XEvent.CRT), After.RECOVERS, true));
    // ---- unsolicited responses and wrong opcodes
    l.add(c("T26", "AUTO response (never requested) with vallen 4, signed", Step.SIGN,
        one((rig, x) -> {
          ExtensionField f = x.honestField();
          byte[] v = new byte[4];
          ExtensionField g = AutokeyMessages.valueResponse(Opcode.AUTO, f.associationId(),
              f.timestamp(), f.filestamp(), v, x.sign(f.timestamp(), f.filestamp(), v));
          return x.packet(x.header(), List.of(g), x.keyId());
        }), Expect.ignored(Verdict.Cause.UNSOLICITED) /* we never asked for AUTO: ignored (ntpd: XEVNT_LEN) */));
    l.add(c("T26", "AUTO response (never requested) with seq 101, signed", Step.SIGN,
        one((rig, x) -> {
          ExtensionField f = x.honestField();
          byte[] v = new AutoValues(0x12345678L, 101).toBytes();
          ExtensionField g = AutokeyMessages.valueResponse(Opcode.AUTO, f.associationId(),
              f.timestamp(), f.filestamp(), v, x.sign(f.timestamp(), f.filestamp(), v));
          return x.packet(x.header(), List.of(g), x.keyId());
        }), Expect.ignored(Verdict.Cause.UNSOLICITED) /* we never asked for AUTO: ignored (ntpd: XEVNT_LEN) */));
    l.add(c("T27", "LEAP response with vallen 8, signed", Step.LEAP, one((rig, x) -> {
      byte[] v = Arrays.copyOf(x.honestField().value(), 8);
      return x.forge(g -> g.toBuilder().value(v)
          .signature(sign(x, g.timestamp(), g.filestamp(), v)).build());
    }), Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.UNCHANGED)));
    l.add(new Case("T27", "LEAP response with TAI offset 0xFFFFFFF0, signed", false, Step.LEAP, 1,
        one((rig, x) -> {
          ExtensionField f = x.honestField();
          var lv = new LeapValues(0xFFFFFFF0L, 3692217600L, 3912710400L);
          return x.packet(x.header(), List.of(AutokeyMessages.leapResponse(
              f.associationId(), f.timestamp(), f.filestamp(), lv,
              x.sign(f.timestamp(), f.filestamp(), lv.toBytes()))), x.keyId());
        }), Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.ANY),
        After.RECOVERS, false, null, rig -> {
          assertEquals(0, rig.a.taiOffset(), "implausible TAI offset not adopted");
          assertTrue(rig.events.stream().anyMatch(ev -> ev.event() == XEvent.DAT),
              "XEVNT_DAT warning: " + rig.events);
        }));
    l.add(c("IDR", "IFF response to a plain request (no challenge outstanding), signed",
        Step.PLAIN, one((rig, x) -> {
          byte[] v = new byte[] {0x30, 0x03, 0x02, 0x01, 0x01};
          long ts = rig.nowSeconds();
          ExtensionField g = AutokeyMessages.identityResponse(Opcode.IFF, rig.a.associationId(),
              ts, FS, v, x.sign(ts, FS, v));
          return x.packet(x.header(), List.of(g), x.keyId());
        }), Expect.ignored(Verdict.Cause.UNSOLICITED) /* ntpd: XEVNT_ID */));
    l.add(c("T30", "CERT response with an unknown opcode (0x0F)", Step.CERT,
        raw(b -> b.put(49, (byte) 0x0F)), Expect.ignored(Verdict.Cause.UNSOLICITED) /* ntpd: XEVNT_ERR and restart */));
    l.add(c("T30", "CERT response with field version 3", Step.CERT,
        raw(b -> b.put(48, (byte) ((b.get(48) & 0xC0) | 3))), Expect.restart(XEvent.ERR)));
    l.add(c("T30", "CERT response with the error bit", Step.CERT,
        raw(b -> b.put(48, (byte) (b.get(48) | 0x40))), Expect.restart(XEvent.ERR)));
    l.add(c("T30", "CERT response without the response bit", Step.CERT,
        raw(b -> b.put(48, (byte) (b.get(48) & 0x7F))), Expect.restart(XEvent.ERR)));
    l.add(c("T30", "LEAP response (signed) before CERT: no peer key yet", Step.CERT,
        one((rig, x) -> {
          ExtensionField f = x.honestField();
          var lv = new LeapValues(37, 0, 0);
          ExtensionField g = AutokeyMessages.leapResponse(f.associationId(), f.timestamp(),
              f.filestamp(), lv, x.sign(f.timestamp(), f.filestamp(), lv.toBytes()));
          return x.packet(x.header(), List.of(g), x.keyId());
        }), Expect.ignored(Verdict.Cause.UNSOLICITED) /* ntpd: XEVNT_ERR and restart */));
    // ---- timestamps
    l.add(c("T28", "LEAP response with timestamp 0", Step.LEAP,
        forge(f -> f.toBuilder().timestamp(0).build()), Expect.protocol(XEvent.TSP)));
    l.add(c("T28", "LEAP response with timestamp before its filestamp", Step.LEAP,
        forge(f -> f.toBuilder().filestamp(f.timestamp() + 1).build()),
        Expect.protocol(XEvent.TSP)));
    l.add(c("T28", "LEAP response moved 10^6 s into the future (signature kept)", Step.LEAP,
        forge(f -> f.toBuilder().timestamp(f.timestamp() + 1_000_000).build()),
        Expect.protocol(XEvent.SIG)));
    l.add(c("T28", "earlier COOK response replayed (re-MACed) in answer to SIGN", Step.SIGN,
        one((rig, x) -> {
          byte[] old = (byte[]) rig.memory.get("cook");
          ExtensionField f = PacketCodec.ntpd().decode(old).fields().get(0);
          return x.packet(x.header(), List.of(f), x.keyId());
        }), Expect.ignored(Verdict.Cause.UNSOLICITED) /* ntpd: XEVNT_TSP */));
    // in autokey-net, NtpAssociation drops this as bogus before the engine sees it
    l.add(c("T28", "whole earlier reply (the CERT answer) replayed", Step.PLAIN,
        (rig, x) -> List.of(lie((byte[]) rig.memory.get("cert"), rig), truth(x.honest(), rig)),
        Expect.rejected(Verdict.Cause.BAD_ORIGIN, XEvent.OK)));
    // ---- association IDs and modes
    l.add(c("T29", "COOK response with another association ID", Step.COOK,
        forge(f -> f.withAssociationId(f.associationId() + 1)), Expect.restart(XEvent.ERR)));
    // in autokey-net, NtpNode finds no association for these modes (unmatched)
    l.add(c("MOD", "reply in mode 2 (symmetric passive) to a client", Step.PLAIN,
        one((rig, x) -> withHeader(x.honest(), b -> b.put(0, (byte) ((b.get(0) & 0xF8) | 2)))),
        Expect.ignored(Verdict.Cause.NOT_OURS)));
    l.add(c("MOD", "reply in mode 5 (broadcast) to a client", Step.PLAIN,
        one((rig, x) -> withHeader(x.honest(), b -> b.put(0, (byte) ((b.get(0) & 0xF8) | 5)))),
        Expect.ignored(Verdict.Cause.NOT_OURS)));
    // NtpNode drops versions outside 1..4 (checked in autokey-net); the engine does not look
    // at the version, but the header is under the MAC, which a keyless attacker cannot redo
    for (int v : new int[] {0, 7}) {
      l.add(c("VER", "reply with NTP version " + v, Step.PLAIN,
          one((rig, x) -> withHeader(x.honest(),
              b -> b.put(0, (byte) ((b.get(0) & 0xC7) | (v << 3))))), badMac));
    }
    // in autokey-net, NtpAssociation drops this as bogus before the engine sees it
    l.add(c("ORG", "plain reply with a wrong origin timestamp", Step.PLAIN,
        one((rig, x) -> withHeader(x.honest(), b -> b.putLong(24, b.getLong(24) ^ 1))),
        Expect.rejected(Verdict.Cause.BAD_ORIGIN, XEvent.OK)));
    // ---- crypto-NAKs
    l.add(c("T31", "crypto-NAK with a wrong origin", Step.PLAIN,
        one((rig, x) -> nak(x, x.origin() + 1)), Expect.ignored(Verdict.Cause.STRAY_CRYPTO_NAK)));
    l.add(c("T31", "crypto-NAK with a zero origin", Step.PLAIN, one((rig, x) -> nak(x, 0)),
        Expect.ignored(Verdict.Cause.STRAY_CRYPTO_NAK)));
    // the engine sees addresses only: "another socket" is another host here; the unmatched
    // port is checked in autokey-net
    l.add(c("T31", "crypto-NAK (right origin) from a host with no association", Step.PLAIN,
        (rig, x) -> List.of(new Shot(nak(x, x.origin()), rig.fam.stranger, true),
            truth(x.honest(), rig)), Expect.ignored(Verdict.Cause.NOT_OURS)));
    l.add(c("T31", "mode-1 packet with a crypto-NAK from an unknown peer", Step.PLAIN,
        (rig, x) -> {
          byte[] d = nak(x, x.origin());
          d[0] = (byte) ((d[0] & 0xF8) | 1);
          return List.of(new Shot(d, rig.fam.stranger, true), truth(x.honest(), rig));
        }, Expect.ignored(Verdict.Cause.NOT_OURS)));
    l.add(new Case("T31", "crypto-NAK with the right origin, proventic association", false,
        Step.PLAIN, 1, one((rig, x) -> nak(x, x.origin())),
        Expect.of(Verdict.Kind.IGNORED, Verdict.Cause.CRYPTO_NAK, true, Flags.COOKIE_DROPPED),
        After.RECOVERS, false));
    l.add(c("T31", "4-byte MAC with a non-zero key ID (our own): a bad MAC, not a NAK",
        Step.PLAIN, one((rig, x) -> Arrays.copyOf(x.honest(), 52)), badMac));
    // ---- MACs and key IDs
    l.add(c("T33", "plain reply without MAC", Step.PLAIN,
        one((rig, x) -> Arrays.copyOf(x.honest(), 48)),
        Expect.rejected(Verdict.Cause.NO_AUTOKEY_MAC, XEvent.OK)));
    l.add(c("T34", "plain reply, right origin, wrong MAC", Step.PLAIN, one((rig, x) -> {
      byte[] d = x.honest();
      d[d.length - 1] ^= 1;
      return d;
    }), badMac));
    l.add(c("KID", "plain reply with another key ID from our key list (the previous one)",
        Step.PLAIN, one((rig, x) -> {
          byte[] d = x.honest();
          Long prev = (Long) rig.memory.get("prevKeyId");
          ByteBuffer.wrap(d).putInt(d.length - 20, (int) (prev != null ? prev : x.keyId() ^ 1));
          return d;
        }), Expect.rejected(Verdict.Cause.BAD_KEY_ID, XEvent.OK)));
    l.add(c("KID", "plain reply with a symmetric key ID (1)", Step.PLAIN, one((rig, x) -> {
      byte[] d = x.honest();
      ByteBuffer.wrap(d).putInt(d.length - 20, 1);
      return d;
    }), Expect.rejected(Verdict.Cause.NO_AUTOKEY_MAC, XEvent.OK)));
    l.add(c("T38", "plain reply +1000 s with an ASSOC field added, MAC with cookie 0",
        Step.PLAIN, one((rig, x) -> {
          NtpHeader h = x.header();
          long shift = 1000L << 32;
          NtpHeader fake = NtpHeader.builder().leap(0).version(h.version()).mode(4)
              .stratum(h.stratum()).poll(h.poll()).precision(h.precision())
              .rootDispersion(h.rootDispersion()).referenceId(h.referenceId())
              .referenceTimestamp(h.referenceTimestamp() + shift)
              .originTimestamp(h.originTimestamp()).receiveTimestamp(h.receiveTimestamp() + shift)
              .transmitTimestamp(h.transmitTimestamp() + shift).build();
          ExtensionField g = AutokeyMessages.assoc(true, rig.a.associationId(), rig.nowSeconds(),
              rig.server.status(), "server");
          return x.packet(fake, List.of(g), x.keyId());
        }), Expect.ignored(Verdict.Cause.UNSOLICITED) /* ntpd: AUTHENTIC, no sample */));
    // in autokey-net, UdpTransport drops datagrams above 2,120 bytes before anything else
    l.add(c("T39", "reply of 2,200 bytes (right origin)", Step.PLAIN,
        one((rig, x) -> x.remac(Arrays.copyOf(x.honest(), 2200), x.keyId())), lenDrop));
    // in autokey-net, NtpAssociation drops the second copy (same transmit timestamp)
    l.add(c("DUP", "plain reply sent twice", Step.PLAIN,
        (rig, x) -> List.of(truth(x.honest(), rig), lie(x.honest(), rig)),
        Expect.ignored(Verdict.Cause.DUPLICATE)));
    // ---- identity
    l.add(new Case("IDR", "IFF response computed with another group key (middleman)", true,
        Step.IDENTITY, 2, one((rig, x) -> rig.middleman.responder().respond(x.request, 0,
            x.request.length, rig.ca, rig.sa, x.now, x.replyHeader()).datagram()),
        Expect.protocol(XEvent.ID), After.RECOVERS, false,
        // the client's challenge is drawn below its own q; when it is not below the
        // middleman's q, the middleman answers with an error response instead
        Expect.restart(XEvent.ERR), null));
    l.add(new Case("IDR", "IFF response with a tampered value, re-signed by the server", true,
        Step.IDENTITY, 2, one((rig, x) -> x.forge(f -> {
          byte[] v = f.value();
          v[v.length - 1] ^= 1;
          return f.toBuilder().value(v).signature(sign(x, f.timestamp(), f.filestamp(), v))
              .build();
        })), Expect.protocol(XEvent.ID), After.RECOVERS, false));
    // ---- an intruder's own trust root, as ntpd: accepted, then every signature fails
    l.add(new Case("T19", "CERT response: intruder's self-signed trustRoot (legacy policy, as "
        + "ntpd; ntpd stays stuck, we restart after 8 answers without progress)", false,
        Step.CERT, 1,
        forge(f -> f.toBuilder().value(INTRUDER.certificate()).build()),
        Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.ANY),
        After.RECOVERS, false));
    return l;
  }

  static Stream<Arguments> all() {
    List<Arguments> out = new ArrayList<>();
    for (Family f : Family.values()) {
      for (Case k : cases()) {
        out.add(Arguments.of(f, k));
      }
    }
    return out.stream();
  }

  // ================================================================ the test

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("all")
  void maliciousServer(Family fam, Case k) throws Exception {
    Rig rig = new Rig(k, fam, (k.toString() + fam).hashCode() & 0xFFFFFFL);
    int fired = 0;
    while (fired < k.times()) {
      assertTrue(rig.polls < POLLS_TO_STEP, "the client sent no " + k.step() + " request "
          + "within " + POLLS_TO_STEP + " polls (" + fired + " attacked): " + rig.a);
      Exchange x = rig.exchange();
      if (x.step == Step.COOK && x.honest().length > 68 && !rig.memory.containsKey("cook")) {
        rig.memory.put("cook", x.honest());
      }
      if (x.step == Step.CERT && !rig.memory.containsKey("cert")) {
        rig.memory.put("cert", x.honest());
      }
      if (x.step == k.step()) {
        fired++;
        for (Shot s : k.attack().craft(rig, x)) {
          if (s.crafted()) {
            rig.deliverCrafted(s);
          } else {
            rig.deliverHonest(s.datagram());
          }
        }
      } else if (x.answered()) {
        rig.deliverHonest(x.honest());
      }
      rig.memory.put("prevKeyId", x.keyId());
    }
    int attackPolls = rig.polls;
    String where = k + " [" + fam + "] " + rig.a + " observations " + rig.observations;
    assertEquals(k.times(), rig.observations.size(), "crafted datagrams judged: " + where);
    for (Observation o : rig.observations) {
      Verdict v = o.verdict();
      assertFalse(v.usableForTime(), "a crafted datagram is usable for time: " + v + " / "
          + where);
      if (k.alt() != null && k.alt().matches(v) && !k.expect().matches(v)) {
        check(k.alt(), o, where);
      } else {
        check(k.expect(), o, where);
      }
    }
    String after;
    if (k.after() == After.RECOVERS) {
      long acceptedAtAttack = rig.accepted;
      while (!(rig.a.allFlags() && rig.accepted > acceptedAtAttack)
          && rig.polls - attackPolls < RECOVERY_POLLS) {
        Exchange x = rig.exchange();
        if (x.answered()) {
          rig.deliverHonest(x.honest());
        }
      }
      assertTrue(rig.a.allFlags(), "recovered all flags within " + RECOVERY_POLLS + " polls: "
          + where);
      assertTrue(rig.accepted > acceptedAtAttack, "a usable reply after the attack: " + where);
      after = String.format(Locale.ROOT, "recovered 0x%08x in %d polls", rig.a.flags(),
          rig.polls - attackPolls);
    } else {
      for (int i = 0; i < RECOVERY_POLLS; i++) {
        Exchange x = rig.exchange();
        if (x.answered()) {
          rig.deliverHonest(x.honest());
        }
      }
      assertFalse(rig.a.isProventic(), "never proventic with the intruder's key: " + where);
      assertEquals(0, rig.accepted, "no usable reply from an unproven server: " + where);
      long sig = rig.events.stream().filter(ev -> ev.event() == XEvent.SIG).count();
      assertTrue(sig >= 1, "COOK signatures by the real key fail (XEVNT_SIG): " + rig.events);
      after = "stuck for " + RECOVERY_POLLS + " polls, " + sig
          + "x SIG (no PROV, nothing usable; ntpd the same)";
    }
    if (k.post() != null) {
      k.post().accept(rig);
    }
    Verdict v0 = rig.observations.get(0).verdict();
    String seen = rig.observations.size() + "x " + v0.kind() + " " + v0.cause()
        + (v0.event() != XEvent.OK ? " " + v0.event().ntpdName() : "")
        + (v0.restarted() ? " +restart" : "");
    String line = String.format(Locale.ROOT, "%-4s %-4s %-80s -> %s; %s", k.id(), fam,
        k.title(), seen, after);
    System.out.println("[badserver-engine] " + line);
    synchronized (RESULTS) {
      RESULTS.put(k.id() + " " + k.title() + " " + fam, line);
    }
  }

  private static void check(Expect e, Observation o, String where) {
    Verdict v = o.verdict();
    assertEquals(e.kind(), v.kind(), "kind: " + v + " / " + where);
    assertEquals(e.cause(), v.cause(), "cause: " + v + " / " + where);
    assertEquals(e.event(), v.event(), "XEVNT: " + v + " / " + where);
    assertEquals(e.restart(), v.restarted(), "restart: " + v + " / " + where);
    switch (e.flags()) {
      case UNCHANGED:
        assertEquals(o.flagsBefore(), o.flagsAfter(), "flags changed on a lie: " + v);
        break;
      case UNCHANGED_BUT_PROV:
        // ntpd too: a signature that verifies with the server's key lights PROV, even
        // when the value it covers is then refused
        assertEquals(o.flagsBefore() | Flag.PROV.bit(), o.flagsAfter() | Flag.PROV.bit(),
            "flags changed on a lie: " + v);
        break;
      case RESET:
        assertEquals(0, o.flagsAfter() & PROGRESS, "restart leaves no progress flag: " + v);
        break;
      case COOKIE_DROPPED:
        assertEquals(0, o.flagsAfter() & Flag.COOK.bit(), "cookie dropped: " + v);
        assertEquals(o.flagsBefore() & ~Flag.COOK.bit(), o.flagsAfter(),
            "only the cookie dropped: " + v);
        break;
      default:
        break;
    }
  }

  /**
   * T31(c) and T32 at the host: a symmetric-active (mode 1) packet from an unknown peer mobilises
   * a passive association only with an ASSOC request under a MAC that verifies (cookie 0, which
   * anyone can compute: the control case). A crypto-NAK in mode 1 (T31c) and the same ASSOC
   * request with a wrong MAC (T32) mobilise nothing.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Family.class)
  void unknownActivePeerMobilisesNothingWithoutAValidMac_T31c_T32(Family fam) throws Exception {
    long now = NtpTime.ofSeconds(Scenarios.T0);
    AutokeyHost host = AutokeyHost.create(AutokeyConfig.defaults(),
        SRV.tcSuite(Scenarios.rng(601)), Scenarios.rng(602), e -> { });
    host.setSynchronised(true, now);
    AutokeyHost peer = AutokeyHost.create(AutokeyConfig.defaults(),
        INTRUDER.tcSuite(Scenarios.rng(603)), Scenarios.rng(604), e -> { });
    ExtensionField f = AutokeyMessages.assoc(false, 1, 0, peer.status(), "intruder");
    SessionKeyEngine e = SessionKeyEngine.md5();
    byte[] q = new byte[NtpHeader.LENGTH + f.length() + e.macLength()];
    ByteBuffer b = ByteBuffer.wrap(q);
    NtpHeader.builder().version(4).mode(NtpHeader.MODE_SYMMETRIC_ACTIVE).poll(4)
        .transmitTimestamp(now | 0x77).build().writeTo(b);
    f.writeTo(b);
    e.computeMac(AddressPair.of(fam.stranger, fam.server), 0x12345678, 0, q, 0,
        NtpHeader.LENGTH + f.length());
    byte[] wrongMac = q.clone();
    wrongMac[wrongMac.length - 1] ^= 1;
    byte[] nak = new byte[NtpHeader.LENGTH + 4];
    NtpHeader.builder().version(4).mode(NtpHeader.MODE_SYMMETRIC_ACTIVE).poll(4)
        .transmitTimestamp(now | 0x78).build().writeTo(ByteBuffer.wrap(nak));
    for (byte[] d : List.of(wrongMac, nak)) {
      Optional<SymmetricPeer> m = assertDoesNotThrow(() -> SymmetricPeer.mobilisePassive(host,
          fam.server, d, 0, d.length, fam.stranger, fam.server, now, Optional.empty()));
      assertTrue(m.isEmpty(), (d.length == nak.length ? "crypto-NAK (T31c)" : "wrong MAC (T32)")
          + " mobilised " + m);
    }
    assertTrue(SymmetricPeer.mobilisePassive(host, fam.server, q, 0, q.length, fam.stranger,
        fam.server, now, Optional.empty()).isPresent(), "control: a valid ASSOC request");
  }

  @AfterAll
  static void summary() {
    System.out.println("[badserver-engine] " + RESULTS.size() + " runs passed");
  }
}
