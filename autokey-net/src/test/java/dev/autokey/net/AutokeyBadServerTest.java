package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.SignedBytes;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.ProtocolEvent;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.suite.TestHosts;
import dev.autokey.net.HostileServer.Exchange;
import dev.autokey.net.HostileServer.Step;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A malicious Autokey server on real UDP sockets against our client ({@link NtpNode} +
 * {@link AutokeyAuthenticator} over the engine's {@link Association}): for every entry of
 * SECURITY.md's test list that concerns what a client receives, the fake server answers the
 * client's real request at the right protocol step with a crafted datagram, a few times, then
 * behaves. Each case asserts the verdict (or the NTP layer's documented drop), that no flag
 * advances on a lie (or that the association restarts where ntpd restarts), that no crafted
 * packet becomes a time sample, that the loop thread saw no exception, and that the client then
 * recovers (all flags, an authenticated sample) where that applies.
 */
class AutokeyBadServerTest {
  static final long PROGRESS = HostStatus.CLIENT_STATE_MASK;
  static final long NOW = NtpClock.system().now() >>> 32;
  static final long FS = NOW - 1000;
  static final SecureRandom RNG = new SecureRandom();
  static final TestHosts.Host SRV = TestHosts.trusted("server", FS, RNG);
  static final TestHosts.Host CLI = TestHosts.ordinary("client", FS, RNG);
  static final TestHosts.Host INTRUDER = TestHosts.trusted("server", FS, RNG);
  static final TestHosts.Host SRV_G = TestHosts.trusted("server@grp", FS, RNG);
  static final TestHosts.Host CLI_G = TestHosts.ordinary("client@grp", FS, RNG);
  static final IffKey IFF = IffKey.generate(512, RNG, FS);
  static final IffKey WRONG_IFF = IffKey.generate(512, RNG, FS);
  /** Per-entry results for the summary printed at the end. */
  static final Map<String, String> RESULTS = new TreeMap<>();

  // ================================================================ expectations

  /** What the association's flags must look like after each crafted packet. */
  enum Flags { UNCHANGED, UNCHANGED_BUT_PROV, RESET, COOKIE_DROPPED, ANY }

  /** What happens after the attack. */
  enum After { RECOVERS, STUCK }

  /**
   * One expected outcome: either a verdict (kind, cause, event) for every crafted packet that
   * reaches the engine, or a drop by the NTP layer / transport read from a counter.
   */
  record Expect(Verdict.Kind kind, Verdict.Cause cause, XEvent event, boolean restart,
      Flags flags, String counterName, ToLongFunction<Rig> counter) {
    static Expect rejected(Verdict.Cause cause, XEvent e) {
      return new Expect(Verdict.Kind.REJECTED, cause, e, false, Flags.UNCHANGED, null, null);
    }

    static Expect protocol(XEvent e) {
      return rejected(Verdict.Cause.PROTOCOL, e);
    }

    static Expect malformed(XEvent e) {
      return rejected(Verdict.Cause.MALFORMED, e);
    }

    static Expect restart(XEvent e) {
      return new Expect(Verdict.Kind.REJECTED, Verdict.Cause.PROTOCOL, e, true, Flags.RESET,
          null, null);
    }

    static Expect of(Verdict.Kind k, Verdict.Cause c, boolean restart, Flags f) {
      return new Expect(k, c, XEvent.OK, restart, f, null, null);
    }

    /** Never reaches the engine: dropped by the NTP layer or the transport. */
    static Expect dropped(String name, ToLongFunction<Rig> counter) {
      return new Expect(null, null, null, false, Flags.UNCHANGED, name, counter);
    }

    boolean byVerdict() {
      return counter == null;
    }

    @Override
    public String toString() {
      if (!byVerdict()) {
        return "dropped (" + counterName + ")";
      }
      return kind + " " + cause + (event != XEvent.OK ? " " + event.ntpdName() : "")
          + (restart ? " +restart" : "");
    }
  }

  /** The hostile part of a case: crafted datagrams for one exchange. */
  @FunctionalInterface
  interface Attack {
    List<byte[]> craft(Rig rig, Exchange x) throws Exception;
  }

  /**
   * One test-list entry.
   *
   * @param id the SECURITY.md entry (T01..T40) or a short tag
   * @param title what is sent
   * @param identity run with IFF instead of TC
   * @param step the request the attack answers
   * @param times how many such requests are answered with crafted datagrams
   * @param attack the crafting
   * @param expect the expected outcome per crafted datagram
   * @param after whether the client must recover
   * @param strict the client runs policy STRICT with the real server's certificate pinned
   */
  record Case(String id, String title, boolean identity, Step step, int times, Attack attack,
      Expect expect, After after, boolean strict, Expect alt,
      java.util.function.Consumer<Rig> post) {
    Case(String id, String title, boolean identity, Step step, int times, Attack attack,
        Expect expect, After after, boolean strict) {
      this(id, title, identity, step, times, attack, expect, after, strict, null, null);
    }

    Case(String id, String title, boolean identity, Step step, int times, Attack attack,
        Expect expect, After after, boolean strict, Expect alt) {
      this(id, title, identity, step, times, attack, expect, after, strict, alt, null);
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

  /** One client against one hostile server. */
  static final class Rig {
    final Case kase;
    final InetAddress lo;
    AutokeyHost server;
    AutokeyHost client;
    HostileServer hostile;
    NtpNode node;
    NtpAssociation ntp;
    Association a;
    final List<Observation> observations = new CopyOnWriteArrayList<>();
    final List<ProtocolEvent> events = new CopyOnWriteArrayList<>();
    final AtomicLong samples = new AtomicLong();
    final AtomicLong lieSamples = new AtomicLong();
    final AtomicLong samplesAfterAttack = new AtomicLong();
    volatile boolean attackOver;
    final Map<String, Object> memory = new ConcurrentHashMap<>();
    DatagramChannel third;

    Rig(Case kase, InetAddress lo) {
      this.kase = kase;
      this.lo = lo;
    }

    InetSocketAddress clientAddress() {
      return node.transport().localAddresses().get(0);
    }
  }

  /** One crafted datagram as the engine judged it. */
  record Observation(long flagsBefore, Verdict verdict, long flagsAfter) {}

  /** Wraps the engine adapter to see each verdict next to the flags before it. */
  static final class Recording implements PacketAuthenticator {
    final Rig rig;
    final AutokeyAuthenticator inner;
    volatile Verdict last;

    Recording(Rig rig) {
      this.rig = rig;
      this.inner = new AutokeyAuthenticator(rig.a, NtpClock.system(), v -> last = v);
    }

    @Override
    public boolean seal(ByteBuffer packet, InetSocketAddress local, InetSocketAddress remote) {
      return inner.seal(packet, local, remote);
    }

    @Override
    public AuthResult open(Datagram d) {
      long before = rig.a.flags();
      AuthResult r = inner.open(d);
      long xmt = ByteBuffer.wrap(d.copyPayload(), 40, 8).getLong();
      if (rig.hostile.isHostile(xmt)) {
        rig.observations.add(new Observation(before, last, rig.a.flags()));
      }
      return r;
    }
  }

  // ================================================================ crafting helpers

  /** The honest reply with {@code m} applied to its bytes, re-MACed (cookie 0). */
  interface RawEdit {
    void edit(ByteBuffer b);
  }

  static Attack raw(RawEdit m) {
    return (rig, x) -> {
      byte[] d = x.honest();
      m.edit(ByteBuffer.wrap(d));
      return List.of(x.remac(d, x.keyId()));
    };
  }

  static Attack forge(java.util.function.UnaryOperator<ExtensionField> f) {
    return (rig, x) -> List.of(x.forge(f));
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
    return ExtensionField.cookResponse(f.associationId(), f.timestamp(), f.filestamp(), ct,
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

  /** The honest header with a modification, as bytes, followed by {@code tail}. */
  static byte[] withHeader(byte[] honest, RawEdit m) {
    byte[] d = honest.clone();
    m.edit(ByteBuffer.wrap(d));
    return d;
  }

  static ToLongFunction<Rig> assocStat(ToLongFunction<NtpAssociation.Stats> f) {
    return r -> f.applyAsLong(r.ntp.stats());
  }

  static ToLongFunction<Rig> nodeStat(ToLongFunction<NtpNode.Stats> f) {
    return r -> f.applyAsLong(r.node.stats());
  }

  // ================================================================ the cases

  static List<Case> cases() {
    List<Case> l = new ArrayList<>();
    Expect lenDrop = Expect.malformed(XEvent.LEN);
    Expect signedCky = new Expect(Verdict.Kind.REJECTED, Verdict.Cause.PROTOCOL, XEvent.CKY,
        false, Flags.UNCHANGED_BUT_PROV, null, null);
    Expect badMac = Expect.rejected(Verdict.Cause.BAD_MAC, XEvent.OK);
    // ---- field and packet lengths (receive() walker, crypto_recv length checks)
    l.add(c("T01", "CERT response: field length 0x0400, only 28 bytes + MAC follow", Step.CERT,
        (rig, x) -> {
          byte[] h = x.honest();
          byte[] d = Arrays.copyOf(h, NtpHeader.LENGTH + 28 + 20);
          fieldLength(ByteBuffer.wrap(d), 0x0400);
          return List.of(x.remac(d, x.keyId()));
        }, lenDrop));
    l.add(c("T02", "CERT response: field length 0x001E (not a multiple of 4)", Step.CERT,
        raw(b -> fieldLength(b, 0x1E)), lenDrop));
    l.add(c("T03", "CERT response: field length 0", Step.CERT, raw(b -> fieldLength(b, 0)),
        lenDrop));
    l.add(c("T03", "CERT response preceded by a 4-byte field", Step.CERT, (rig, x) -> {
      byte[] h = x.honest();
      byte[] four = new byte[] {(byte) 0x82, 0x02, 0x00, 0x04};
      byte[] d = concat(Arrays.copyOf(h, 48), four, Arrays.copyOfRange(h, 48, h.length));
      return List.of(x.remac(d, x.keyId()));
    }, Expect.malformed(XEvent.ERR)));
    for (int n : new int[] {6, 22}) {
      l.add(c("T04", n + " bytes after the header (neither field nor MAC)", Step.PLAIN,
          (rig, x) -> List.of(Arrays.copyOf(x.honest(), 48 + n)), lenDrop));
    }
    l.add(c("T04", "12 bytes after the header (MAC with an 8-byte digest)", Step.PLAIN,
        (rig, x) -> List.of(Arrays.copyOf(x.honest(), 48 + 12)), badMac));
    l.add(c("T04", "24-byte MAC (SHA-1 length) on an MD5 association", Step.PLAIN,
        (rig, x) -> List.of(Arrays.copyOf(x.honest(), x.honest().length + 4)), badMac));
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
        forge(f -> ExtensionField.assoc(true, f.associationId(), f.timestamp(),
            HostStatus.of(0xFFFF0001L), "server")), Expect.protocol(XEvent.MD)));
    l.add(c("T11", "ASSOC response with a 513-byte host name", Step.ASSOC,
        forge(f -> ExtensionField.assoc(true, f.associationId(), f.timestamp(),
            HostStatus.of(0x00080001L), "s".repeat(513))), Expect.protocol(XEvent.LEN)));
    // ---- cookies
    for (int n : new int[] {0, 3, 5, 16}) {
      l.add(c("T15", "COOK response, correctly signed, OAEP plaintext of " + n + " bytes",
          Step.COOK, (rig, x) -> {
            ExtensionField f = x.honestField();
            byte[] ct = oaep(publicOf(CLI.hostKey()), new byte[n]);
            return List.of(x.packet(x.header(), List.of(signedCook(x, f, ct)), x.keyId()));
          }, signedCky));
    }
    l.add(c("T15", "COOK response: cookie encrypted to the wrong key (signed)", Step.COOK,
        (rig, x) -> {
          ExtensionField f = x.honestField();
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(512, RNG);
          byte[] ct = oaep(g.generateKeyPair().getPublic(), new byte[] {1, 2, 3, 4});
          return List.of(x.packet(x.header(), List.of(signedCook(x, f, ct)), x.keyId()));
        }, signedCky));
    l.add(c("T16", "COOK response: 60-byte ciphertext for a 64-byte modulus (signed)", Step.COOK,
        (rig, x) -> {
          ExtensionField f = x.honestField();
          return List.of(x.packet(x.header(), List.of(signedCook(x, f, new byte[60])),
              x.keyId()));
        }, signedCky));
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
        + "value)", false, Step.CERT, 1, forge(f -> {
          byte[] junk = new byte[1500];
          RNG.nextBytes(junk);
          return f.toBuilder().value(concat(f.value(), junk)).build();
        }), Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.ANY),
        After.RECOVERS, false));
    l.add(c("T22", "CERT response: server certificate issued by the client's own name (loop)",
        Step.CERT, (rig, x) -> {
          ExtensionField f = x.honestField();
          var cs = rig.client.cryptoSuite();
          byte[] issued = NtpCertificates.signRequest(INTRUDER.certificate(),
              cs.hostCertificate(), CLI.hostKey(),
              dev.autokey.core.crypto.SignatureAlgorithm.RSA_MD5, NOW, cs.certificateCodec(),
              RNG);
          return List.of(x.forge(g -> g.toBuilder().value(issued).build()));
        }, Expect.protocol(XEvent.CRT)));
    // ntpd's cert_parse checks notBefore <= notAfter and notBefore >= filestamp, never the
    // clock: an expired certificate with the server's own key is accepted (documented ignore)
    l.add(new Case("T19", "CERT response: expired trustRoot certificate of the server's own key",
        false, Step.CERT, 1, (rig, x) -> {
          long nb = FS - 800L * 86400;
          byte[] der = NtpCertificates.selfSigned(new NtpCertificates.Spec("server",
              java.math.BigInteger.valueOf(nb), nb, 365, NtpCertificates.Kind.TRUST_ROOT, null,
              publicOf(SRV.hostKey())), SRV.hostKey(),
              dev.autokey.core.crypto.SignatureAlgorithm.RSA_MD5, RNG);
          return List.of(x.forge(f -> f.toBuilder().filestamp(nb).value(der).build()));
        }, Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.ANY),
        After.RECOVERS, false, null, rig -> assertTrue(rig.a.trail().get(0).notAfter()
            < NtpClock.system().now() >>> 32, "the expired certificate is the trail's root")));
    l.add(new Case("T19", "CERT response: intruder's self-signed trustRoot, client pins the "
        + "real server (STRICT)", false, Step.CERT, 2,
        forge(f -> f.toBuilder().value(INTRUDER.certificate()).build()),
        Expect.protocol(XEvent.CRT), After.RECOVERS, true));
    // ---- unsolicited responses and wrong opcodes
    l.add(c("T26", "AUTO response (never requested) with vallen 4, signed", Step.SIGN,
        (rig, x) -> {
          ExtensionField f = x.honestField();
          byte[] v = new byte[4];
          ExtensionField g = ExtensionField.valueResponse(Opcode.AUTO, f.associationId(),
              f.timestamp(), f.filestamp(), v, x.sign(f.timestamp(), f.filestamp(), v));
          return List.of(x.packet(x.header(), List.of(g), x.keyId()));
        }, Expect.protocol(XEvent.LEN)));
    l.add(c("T26", "AUTO response (never requested) with seq 101, signed", Step.SIGN,
        (rig, x) -> {
          ExtensionField f = x.honestField();
          byte[] v = new ExtensionField.AutoValues(0x12345678L, 101).toBytes();
          ExtensionField g = ExtensionField.valueResponse(Opcode.AUTO, f.associationId(),
              f.timestamp(), f.filestamp(), v, x.sign(f.timestamp(), f.filestamp(), v));
          return List.of(x.packet(x.header(), List.of(g), x.keyId()));
        }, Expect.protocol(XEvent.LEN)));
    l.add(c("T27", "LEAP response with vallen 8, signed", Step.LEAP, (rig, x) -> {
      ExtensionField f = x.honestField();
      byte[] v = Arrays.copyOf(f.value(), 8);
      return List.of(x.forge(g -> g.toBuilder().value(v)
          .signature(sign(x, g.timestamp(), g.filestamp(), v)).build()));
    }, Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.UNCHANGED)));
    l.add(new Case("T27", "LEAP response with TAI offset 0xFFFFFFF0, signed", false, Step.LEAP, 1,
        (rig, x) -> {
          ExtensionField f = x.honestField();
          var lv = new ExtensionField.LeapValues(0xFFFFFFF0L, 3692217600L, 3912710400L);
          return List.of(x.packet(x.header(), List.of(ExtensionField.leapResponse(
              f.associationId(), f.timestamp(), f.filestamp(), lv,
              x.sign(f.timestamp(), f.filestamp(), lv.toBytes()))), x.keyId()));
        }, Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.ANY),
        After.RECOVERS, false, null, rig -> {
          assertEquals(0, rig.a.taiOffset(), "implausible TAI offset not adopted");
          assertTrue(rig.events.stream().anyMatch(ev -> ev.event() == XEvent.DAT),
              "XEVNT_DAT warning: " + rig.events);
        }));
    l.add(c("IDR", "IFF response to a plain request (no challenge outstanding), signed",
        Step.PLAIN, (rig, x) -> {
          byte[] v = new byte[] {0x30, 0x03, 0x02, 0x01, 0x01};
          long ts = NOW;
          ExtensionField g = ExtensionField.identityResponse(Opcode.IFF, rig.a.associationId(),
              ts, FS, v, x.sign(ts, FS, v));
          return List.of(x.packet(x.honestPacket().header(), List.of(g), x.keyId()));
        }, Expect.protocol(XEvent.ID)));
    l.add(c("T30", "CERT response with an unknown opcode (0x0F)", Step.CERT,
        raw(b -> b.put(49, (byte) 0x0F)), Expect.restart(XEvent.ERR)));
    l.add(c("T30", "CERT response with field version 3", Step.CERT,
        raw(b -> b.put(48, (byte) ((b.get(48) & 0xC0) | 3))), Expect.restart(XEvent.ERR)));
    l.add(c("T30", "CERT response with the error bit", Step.CERT,
        raw(b -> b.put(48, (byte) (b.get(48) | 0x40))), Expect.restart(XEvent.ERR)));
    l.add(c("T30", "CERT response without the response bit", Step.CERT,
        raw(b -> b.put(48, (byte) (b.get(48) & 0x7F))), Expect.restart(XEvent.ERR)));
    l.add(c("T30", "LEAP response (signed) before CERT: no peer key yet", Step.CERT,
        (rig, x) -> {
          ExtensionField f = x.honestField();
          byte[] v = new ExtensionField.LeapValues(37, 0, 0).toBytes();
          ExtensionField g = ExtensionField.leapResponse(f.associationId(), f.timestamp(),
              f.filestamp(), new ExtensionField.LeapValues(37, 0, 0),
              x.sign(f.timestamp(), f.filestamp(), v));
          return List.of(x.packet(x.header(), List.of(g), x.keyId()));
        }, Expect.restart(XEvent.ERR)));
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
        (rig, x) -> {
          byte[] old = (byte[]) rig.memory.get("cook");
          ExtensionField f = dev.autokey.core.wire.PacketCodec.ntpd().decode(old).fields()
              .get(0);
          return List.of(x.packet(x.header(), List.of(f), x.keyId()));
        }, Expect.protocol(XEvent.TSP)));
    l.add(c("T28", "whole earlier reply (the CERT answer) replayed", Step.PLAIN, (rig, x) -> {
      byte[] old = (byte[]) rig.memory.get("cert");
      rig.hostile.markHostile(ByteBuffer.wrap(old, 40, 8).getLong());
      return List.of(old, x.honest());
    }, Expect.dropped("bogus", assocStat(NtpAssociation.Stats::bogus))));
    // ---- association IDs and modes
    l.add(c("T29", "COOK response with another association ID", Step.COOK,
        forge(f -> f.withAssociationId(f.associationId() + 1)), Expect.restart(XEvent.ERR)));
    l.add(c("MOD", "reply in mode 2 (symmetric passive) to a client", Step.PLAIN,
        (rig, x) -> List.of(withHeader(x.honest(), b -> b.put(0, (byte) ((b.get(0) & 0xF8) | 2)))),
        Expect.dropped("unmatched", nodeStat(NtpNode.Stats::unmatched))));
    l.add(c("MOD", "reply in mode 5 (broadcast) to a client", Step.PLAIN,
        (rig, x) -> List.of(withHeader(x.honest(), b -> b.put(0, (byte) ((b.get(0) & 0xF8) | 5)))),
        Expect.dropped("unmatched", nodeStat(NtpNode.Stats::unmatched))));
    for (int v : new int[] {0, 7}) {
      l.add(c("VER", "reply with NTP version " + v, Step.PLAIN,
          (rig, x) -> List.of(withHeader(x.honest(),
              b -> b.put(0, (byte) ((b.get(0) & 0xC7) | (v << 3))))),
          Expect.dropped("badVersion", nodeStat(NtpNode.Stats::badVersion))));
    }
    l.add(c("ORG", "plain reply with a wrong origin timestamp", Step.PLAIN,
        (rig, x) -> List.of(withHeader(x.honest(), b -> b.putLong(24, b.getLong(24) ^ 1))),
        Expect.dropped("bogus", assocStat(NtpAssociation.Stats::bogus))));
    // ---- crypto-NAKs
    l.add(c("T31", "crypto-NAK with a wrong origin", Step.PLAIN,
        (rig, x) -> List.of(nak(x, x.origin() + 1)),
        Expect.dropped("bogus", assocStat(NtpAssociation.Stats::bogus))));
    l.add(c("T31", "crypto-NAK with a zero origin", Step.PLAIN, (rig, x) -> List.of(nak(x, 0)),
        Expect.dropped("bogus", assocStat(NtpAssociation.Stats::bogus))));
    l.add(c("T31", "crypto-NAK (right origin) from a socket with no association", Step.PLAIN,
        (rig, x) -> {
          rig.third.send(ByteBuffer.wrap(nak(x, x.origin())), rig.clientAddress());
          return List.of(x.honest());
        }, Expect.dropped("unmatched", nodeStat(NtpNode.Stats::unmatched))));
    l.add(c("T31", "mode-1 packet with a crypto-NAK from an unknown peer", Step.PLAIN,
        (rig, x) -> {
          byte[] d = nak(x, x.origin());
          d[0] = (byte) ((d[0] & 0xF8) | 1);
          rig.third.send(ByteBuffer.wrap(d), rig.clientAddress());
          return List.of(x.honest());
        }, Expect.dropped("unmatched", nodeStat(NtpNode.Stats::unmatched))));
    l.add(new Case("T31", "crypto-NAK with the right origin, proventic association", false,
        Step.PLAIN, 1, (rig, x) -> List.of(nak(x, x.origin())),
        Expect.of(Verdict.Kind.IGNORED, Verdict.Cause.CRYPTO_NAK, true, Flags.COOKIE_DROPPED),
        After.RECOVERS, false));
    l.add(c("T31", "4-byte MAC with a non-zero key ID (our own): a bad MAC, not a NAK",
        Step.PLAIN, (rig, x) -> List.of(Arrays.copyOf(x.honest(), 52)), badMac));
    // ---- MACs and key IDs
    l.add(c("T33", "plain reply without MAC", Step.PLAIN,
        (rig, x) -> List.of(Arrays.copyOf(x.honest(), 48)),
        Expect.rejected(Verdict.Cause.NO_AUTOKEY_MAC, XEvent.OK)));
    l.add(c("T34", "plain reply, right origin, wrong MAC", Step.PLAIN, (rig, x) -> {
      byte[] d = x.honest();
      d[d.length - 1] ^= 1;
      return List.of(d);
    }, Expect.rejected(Verdict.Cause.BAD_MAC, XEvent.OK)));
    l.add(c("KID", "plain reply with another key ID from our key list (the previous one)",
        Step.PLAIN, (rig, x) -> {
          byte[] d = x.honest();
          Long prev = (Long) rig.memory.get("prevKeyId");
          ByteBuffer.wrap(d).putInt(d.length - 20, (int) (prev != null ? prev : x.keyId() ^ 1));
          return List.of(d);
        }, Expect.rejected(Verdict.Cause.BAD_KEY_ID, XEvent.OK)));
    l.add(c("KID", "plain reply with a symmetric key ID (1)", Step.PLAIN, (rig, x) -> {
      byte[] d = x.honest();
      ByteBuffer.wrap(d).putInt(d.length - 20, 1);
      return List.of(d);
    }, Expect.rejected(Verdict.Cause.NO_AUTOKEY_MAC, XEvent.OK)));
    l.add(c("T38", "plain reply +1000 s with an ASSOC field added, MAC with cookie 0",
        Step.PLAIN, (rig, x) -> {
          var p = x.honestPacket();
          NtpHeader h = p.header();
          long shift = 1000L << 32;
          NtpHeader fake = NtpHeader.builder().leap(0).version(h.version()).mode(4)
              .stratum(h.stratum()).poll(h.poll()).precision(h.precision())
              .rootDispersion(h.rootDispersion()).referenceId(h.referenceId())
              .referenceTimestamp(h.referenceTimestamp() + shift)
              .originTimestamp(h.originTimestamp()).receiveTimestamp(h.receiveTimestamp() + shift)
              .transmitTimestamp(h.transmitTimestamp() + shift).build();
          ExtensionField g = ExtensionField.assoc(true, rig.a.associationId(), NOW,
              rig.server.status(), "server");
          return List.of(x.packet(fake, List.of(g), x.keyId()));
        }, Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.UNCHANGED)));
    l.add(c("T39", "reply of 2,200 bytes (right origin)", Step.PLAIN,
        (rig, x) -> List.of(x.remac(Arrays.copyOf(x.honest(), 2200), x.keyId())),
        Expect.dropped("oversized", r -> r.node.transport().stats().oversized())));
    l.add(c("DUP", "plain reply sent twice", Step.PLAIN, (rig, x) -> {
      rig.hostile.send(x.honest(), rig.clientAddress());
      return List.of(x.honest());
    }, Expect.dropped("duplicates", assocStat(NtpAssociation.Stats::duplicates))));
    // ---- identity
    l.add(new Case("IDR", "IFF response computed with another group key (middleman)", true,
        Step.IDENTITY, 2, (rig, x) -> {
          AutokeyHost mm = (AutokeyHost) rig.memory.get("middleman");
          var r = mm.responder().respond(x.request, 0, x.request.length,
              rig.clientAddress().getAddress(), rig.hostile.address().getAddress(), x.now,
              x.header());
          return List.of(r.datagram());
        }, Expect.protocol(XEvent.ID), After.RECOVERS, false,
        // the client's challenge is drawn below its own q; when it is not below the
        // middleman's q, the middleman answers with an error response instead
        Expect.restart(XEvent.ERR)));
    l.add(new Case("IDR", "IFF response with a tampered value, re-signed by the server", true,
        Step.IDENTITY, 2, (rig, x) -> List.of(x.forge(f -> {
          byte[] v = f.value();
          v[v.length - 1] ^= 1;
          return f.toBuilder().value(v).signature(sign(x, f.timestamp(), f.filestamp(), v))
              .build();
        })), Expect.protocol(XEvent.ID), After.RECOVERS, false));
    // ---- an intruder's own trust root, as ntpd: accepted, then every signature fails
    l.add(new Case("T19", "CERT response: intruder's self-signed trustRoot (legacy policy, as "
        + "ntpd)", false, Step.CERT, 1,
        forge(f -> f.toBuilder().value(INTRUDER.certificate()).build()),
        Expect.of(Verdict.Kind.AUTHENTIC, Verdict.Cause.PROGRESS, false, Flags.ANY),
        After.STUCK, false));
    return l;
  }

  static byte[] sign(Exchange x, long ts, long fs, byte[] v) {
    try {
      return x.sign(ts, fs, v);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> all() {
    List<Arguments> out = new ArrayList<>();
    for (String host : List.of("127.0.0.1", "::1")) {
      for (Case k : cases()) {
        out.add(Arguments.of(host, k));
      }
    }
    return out.stream();
  }

  // ================================================================ the test

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("all")
  void maliciousServer(String host, Case k) throws Exception {
    InetAddress lo = InetAddress.getByName(host);
    Rig rig = new Rig(k, lo);
    NtpClock clock = NtpClock.system();
    SecureRandom r = new SecureRandom();
    TestHosts.Host sHost = k.identity() ? SRV_G : SRV;
    TestHosts.Host cHost = k.identity() ? CLI_G : CLI;
    var ss = k.identity() ? sHost.suite(r).iffKey(IFF).build() : sHost.tcSuite(r);
    var cs = k.identity()
        ? cHost.suite(r).iffParameters("grp", IFF.parameters()).build()
        : cHost.tcSuite(r);
    rig.server = AutokeyHost.create(AutokeyConfig.defaults(), ss, r, e -> { });
    rig.server.setSynchronised(true, clock.now());
    rig.server.setLeapValues(37, 3692217600L, 3912710400L, clock.now());
    if (k.identity()) {
      AutokeyHost mm = AutokeyHost.create(AutokeyConfig.defaults(),
          sHost.suite(r).iffKey(WRONG_IFF).build(), r, e -> { });
      mm.setSynchronised(true, clock.now());
      rig.memory.put("middleman", mm);
    }
    AutokeyConfig ccfg = k.strict()
        ? AutokeyConfig.builder().policy(AutokeyConfig.Policy.STRICT)
            .addTrustAnchor(SRV.certificate()).build()
        : AutokeyConfig.defaults();
    rig.client = AutokeyHost.create(ccfg, cs, r, rig.events::add);
    int[] fired = new int[1];
    HostileServer.Hostility hostility = x -> {
      if (x.step == Step.COOK && x.response.datagram().length > 68
          && !rig.memory.containsKey("cook")) {
        rig.memory.put("cook", x.honest());
      }
      if (x.step == Step.CERT && !rig.memory.containsKey("cert")) {
        rig.memory.put("cert", x.honest());
      }
      List<byte[]> out = null;
      // A crafted reply that arrives after the client's next request fails the origin check
      // and never reaches the engine (a loaded machine); then the attack is repeated, at most
      // three more times, so that the verdict can be judged.
      boolean unseen = k.expect().byVerdict() && rig.observations.isEmpty()
          && fired[0] < k.times() + 3;
      if (x.step == k.step() && (fired[0] < k.times() || unseen)) {
        fired[0]++;
        out = k.attack().craft(rig, x);
        rig.attackOver = fired[0] >= k.times();
      }
      rig.memory.put("prevKeyId", x.keyId());
      return out;
    };
    try (HostileServer hs = new HostileServer(lo, rig.server, hostility);
        DatagramChannel third = DatagramChannel.open()) {
      third.bind(new InetSocketAddress(lo, 0));
      rig.third = third;
      rig.hostile = hs;
      rig.node = NtpNode.builder().bind(new InetSocketAddress(lo, 0)).build();
      try {
        InetSocketAddress ca = rig.clientAddress();
        rig.a = rig.client.client(ca.getAddress(), hs.address().getAddress(),
            k.identity() ? Optional.of("grp") : Optional.empty());
        AutokeyTimers.start(rig.node.transport(), clock, rig.client).add(rig.a);
        rig.ntp = rig.node.client(hs.address(), AssociationOptions.builder().poll(3)
            .interval(Duration.ofMillis(30)).authenticator(new Recording(rig))
            .listener(s -> {
              if (!rig.client.isSynchronised()) {
                rig.client.setSynchronised(true, clock.now());
              }
              rig.samples.incrementAndGet();
              if (hs.isHostile(s.t3())) {
                rig.lieSamples.incrementAndGet();
              }
              if (rig.attackOver) {
                rig.samplesAfterAttack.incrementAndGet();
              }
            }).build());
        long t0 = System.nanoTime();
        waitFor(() -> rig.attackOver, 10);
        assertTrue(rig.attackOver, "the attack was delivered " + k.times() + " times at "
            + k.step() + ": " + rig.a + " steps " + stepCounts(hs));
        if (k.after() == After.RECOVERS) {
          waitFor(() -> rig.a.allFlags() && rig.samplesAfterAttack.get() >= 1, 10);
        } else {
          Thread.sleep(600);
        }
        Thread.sleep(100); // let in-flight crafted datagrams land
        double secs = (System.nanoTime() - t0) / 1e9;
        judge(rig, k, host, secs);
      } finally {
        rig.node.close();
      }
      assertTrue(hs.errors.isEmpty(), "fake server errors: " + hs.errors);
    }
  }

  private static String stepCounts(HostileServer hs) {
    StringBuilder sb = new StringBuilder();
    for (Step s : Step.values()) {
      if (hs.stepCount(s) > 0) {
        sb.append(s).append('=').append(hs.stepCount(s)).append(' ');
      }
    }
    return sb.toString().trim();
  }

  private static void judge(Rig rig, Case k, String host, double secs) {
    Expect e = k.expect();
    UdpTransport.Stats ts = rig.node.transport().stats();
    String where = k + " [" + host + "] " + rig.a + " observations " + rig.observations;
    assertEquals(0, ts.handlerErrors(), "loop-thread handler errors: " + where);
    assertEquals(0, rig.lieSamples.get(), "a crafted packet became a time sample: " + where);
    String seen;
    if (e.byVerdict()) {
      assertFalse(rig.observations.isEmpty(), "no crafted packet reached the engine: " + where);
      for (Observation o : rig.observations) {
        Verdict v = o.verdict();
        if (k.alt() != null && matches(k.alt(), v) && !matches(e, v)) {
          check(k.alt(), o, where);
          continue;
        }
        check(e, o, where);
      }
      seen = rig.observations.size() + "x " + rig.observations.get(0).verdict().kind() + " "
          + rig.observations.get(0).verdict().cause()
          + (rig.observations.get(0).verdict().event() != XEvent.OK
              ? " " + rig.observations.get(0).verdict().event().ntpdName() : "")
          + (rig.observations.get(0).verdict().restarted() ? " +restart" : "");
    } else {
      long n = e.counter().applyAsLong(rig);
      assertTrue(n >= k.times(), e.counterName() + " = " + n + " < " + k.times() + ": " + where);
      assertTrue(rig.observations.isEmpty(), "a crafted packet reached the engine: " + where);
      seen = e.counterName() + " +" + n;
    }
    finish(rig, k, host, secs, where, seen);
  }

  private static boolean matches(Expect e, Verdict v) {
    return e.kind() == v.kind() && e.cause() == v.cause() && e.event() == v.event();
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
        assertEquals(o.flagsBefore() & ~Flag.COOK.bit() & PROGRESS,
            o.flagsAfter() & PROGRESS, "only the cookie dropped: " + v);
        break;
      default:
        break;
    }
  }

  private static void finish(Rig rig, Case k, String host, double secs, String where,
      String seen) {
    if (k.post() != null) {
      k.post().accept(rig);
    }
    String after;
    if (k.after() == After.RECOVERS) {
      assertTrue(rig.a.allFlags(), "recovered all flags: " + where);
      assertTrue(rig.samplesAfterAttack.get() >= 1, "authenticated sample after the attack: "
          + where);
      after = String.format(Locale.ROOT, "recovered 0x%08x", rig.a.flags());
    } else {
      assertFalse(rig.a.isProventic(), "never proventic with the intruder's key: " + where);
      assertEquals(0, rig.samples.get(), "no time sample from an unproven server: " + where);
      long sig = rig.events.stream().filter(ev -> ev.event() == XEvent.SIG).count();
      assertTrue(sig >= 1, "COOK signatures by the real key fail (XEVNT_SIG): " + rig.events);
      after = "stuck, " + sig + "x SIG (no PROV, no sample; ntpd the same)";
    }
    String line = String.format(Locale.ROOT, "%-4s %-9s %-80s -> %s; %s; %.2f s", k.id(), host,
        k.title(), seen, after, secs);
    System.out.println("[badserver] " + line);
    synchronized (RESULTS) {
      RESULTS.put(k.id() + " " + k.title() + " " + host, line);
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier c, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!c.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  @AfterAll
  static void summary() {
    System.out.println("[badserver] " + RESULTS.size() + " cases passed");
  }
}
