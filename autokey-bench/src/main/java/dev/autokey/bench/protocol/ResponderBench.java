package dev.autokey.bench.protocol;

import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.BroadcastServer;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.ServerResponder;
import dev.autokey.core.protocol.WorkBudget;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.identity.GqKey;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.identity.MvGroup;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Server responder throughput, one thread, for every request kind a server answers: the plain
 * authenticated request (MAC verify with the recomputed cookie, reply MAC; IPv4 and IPv6), ASSOC,
 * CERT, COOK (OAEP encryption and a signature), AUTO (a broadcast server's published values), SIGN
 * (certificate signing and a signature), LEAP, the IFF, GQ and MV identity responses, and a COOK
 * request refused because the work budget is exhausted (answered with the 8-byte empty field).
 * 512-bit host keys and identity groups, as {@code EphemeralHosts} and the engine tests use.
 *
 * <p>The requests are the ones a real client association sent while reaching all flags (kept by
 * opcode), answered again and again; requests with a field carry a MAC keyed with cookie 0, so
 * they stay valid. Metered kinds advance the clock by 1 µs per operation so that the budget (10^6
 * per second) refills as fast as it is spent; setup checks that each kind gets its full answer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ResponderBench {
  static final long T0 = NtpTime.ofSeconds(3_900_000_000L);
  /** 1 µs in NTP fraction units. */
  static final long MICROSECOND = 4295;

  static SecureRandom rng(String seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A server host, the client's requests by kind, and a reply buffer with its header. */
  static final class Rig {
    final AutokeyHost server;
    final InetAddress ca;
    final InetAddress sa;
    final Map<String, byte[]> requests = new HashMap<>();
    final byte[] out = new byte[2120];

    /** Runs a client association to all flags and keeps its first request of each kind. */
    Rig(AutokeyHost server, AutokeyHost client, Optional<String> ident, String ca, String sa)
        throws Exception {
      this.server = server;
      this.ca = InetAddress.getByName(ca);
      this.sa = InetAddress.getByName(sa);
      long now = T0;
      server.setSynchronised(true, now);
      Association a = client.client(this.ca, this.sa, ident);
      for (int i = 0; i < 20 && !(a.allFlags() && requests.containsKey("plain")); i++) {
        now = NtpTime.plusSeconds(now, 16);
        NtpHeader q = NtpHeader.builder().version(4).mode(3).poll(4).transmitTimestamp(now)
            .build();
        byte[] req = a.prepareTransmit(q, now);
        AutokeyPacket p = PacketCodec.ntpd().decode(req, 0, req.length);
        requests.putIfAbsent(p.fields().isEmpty() ? "plain" : p.fields().get(0).opcode().name(),
            req);
        NtpHeader h = NtpHeader.builder().version(4).mode(4).stratum(1).poll(4)
            .originTimestamp(now).receiveTimestamp(now).transmitTimestamp(now + 1).build();
        byte[] rep = server.responder().respond(req, 0, req.length, this.ca, this.sa, now, h)
            .datagram();
        a.receive(rep, 0, rep.length, this.sa, this.ca, now);
        client.setSynchronised(a.isProventic(), now);
      }
      if (!a.allFlags() || !requests.containsKey("plain")) {
        throw new IllegalStateException("client did not reach all flags: " + a);
      }
      NtpHeader.builder().version(4).mode(4).stratum(1).build().writeTo(ByteBuffer.wrap(out));
    }

    byte[] request(String kind) {
      byte[] r = requests.get(kind);
      if (r == null) {
        throw new IllegalStateException("no " + kind + " request among " + requests.keySet());
      }
      return r;
    }

    int answer(byte[] req, long now) {
      return server.responder().respondInto(req, 0, req.length, ca, sa, now, out, 0);
    }

    /** Checks that {@code req} gets its full answer (a value, no E bit) of {@code opcode}. */
    void check(byte[] req, Opcode opcode, boolean full) throws MalformedPacketException {
      int n = answer(req, T0);
      if (n <= ServerResponder.CRYPTO_NAK_LENGTH) {
        throw new IllegalStateException(opcode + ": reply of " + n + " bytes");
      }
      AutokeyPacket p = PacketCodec.ntpd().decode(out, 0, n);
      ExtensionField f = p.fields().get(0);
      if (!f.opcode().equals(opcode) || f.isError() || f.isValueForm() != full) {
        throw new IllegalStateException(opcode + ": unexpected answer " + f);
      }
    }
  }

  static AutokeyConfig config(WorkBudget budget) {
    return AutokeyConfig.builder().budget(budget).build();
  }

  static AutokeyHost host(AutokeyConfig cfg, CryptoSuite suite, String seed) throws Exception {
    return AutokeyHost.create(cfg, suite, rng(seed), ProtocolEventListener.NONE);
  }

  static Rig tc(String ca, String sa, WorkBudget budget) throws Exception {
    SecureRandom r = rng("responder-bench-tc-" + ca);
    long fs = NtpTime.seconds(T0) - 60;
    AutokeyConfig cfg = config(budget);
    return new Rig(host(cfg, EphemeralHosts.trusted("server", fs, r).tcSuite(r), "s" + ca),
        host(cfg, EphemeralHosts.ordinary("client", fs, r).tcSuite(r), "c" + ca), Optional.empty(),
        ca, sa);
  }

  static final WorkBudget LARGE = new WorkBudget(1_000_000, 1_000_000, 1);

  private Rig v4;
  private Rig v6;
  private AutokeyHost refusing;
  private byte[] plain4;
  private byte[] plain6;
  private byte[] assoc;
  private byte[] cert;
  private byte[] cook;
  private byte[] sign;
  private byte[] leap;
  private byte[] auto;
  private long now;

  /** Sets up the TC rigs (IPv4 and IPv6), a broadcast server and a server without budget. */
  @Setup
  public void setup() throws Exception {
    now = T0;
    v4 = tc("192.0.2.2", "192.0.2.1", LARGE);
    v6 = tc("2001:db8::2", "2001:db8::1", LARGE);
    plain4 = v4.request("plain");
    plain6 = v6.request("plain");
    assoc = v4.request("ASSOC");
    cert = v4.request("CERT");
    cook = v4.request("COOK");
    sign = v4.request("SIGN");
    leap = v4.request("LEAP");
    v4.check(assoc, Opcode.ASSOC, true);
    v4.check(cert, Opcode.CERT, true);
    v4.check(cook, Opcode.COOK, true);
    v4.check(sign, Opcode.SIGN, true);
    v4.check(leap, Opcode.LEAP, true);
    if (v4.answer(plain4, T0) != 68 || v6.answer(plain6, T0) != 68) {
      throw new IllegalStateException("plain request not answered");
    }

    // AUTO: a broadcast server on the same host answers unicast AUTO requests from its values
    BroadcastServer bs = v4.server.broadcastServer(v4.sa, InetAddress.getByName("192.0.2.255"));
    bs.prepareBroadcast(NtpHeader.builder().version(4).mode(NtpHeader.MODE_BROADCAST)
        .stratum(1).poll(4).transmitTimestamp(T0).build(), T0).orElseThrow();
    ExtensionField f = AutokeyMessages.autoRequest(bs.associationId());
    auto = new byte[NtpHeader.LENGTH + f.length() + 20];
    ByteBuffer b = ByteBuffer.wrap(auto);
    NtpHeader.builder().version(4).mode(3).poll(4).transmitTimestamp(T0).build().writeTo(b);
    f.writeTo(b);
    SessionKeyEngine.md5().computeMac(AddressPair.of(v4.ca, v4.sa), 0x7654_3210, 0, auto, 0,
        NtpHeader.LENGTH + f.length());
    v4.check(auto, Opcode.AUTO, true);

    // over budget: one work unit, never refilled (the clock stands still), spent first
    SecureRandom r = rng("responder-bench-refusing");
    refusing = host(config(new WorkBudget(1, 1)),
        EphemeralHosts.trusted("server", NtpTime.seconds(T0) - 60, r).tcSuite(r), "refusing");
    refusing.setSynchronised(true, T0);
    int n = 0;
    for (int i = 0; i < 100 && refusing.responder().stats().budgetRefused() == 0; i++) {
      n = refusing.responder().respondInto(cook, 0, cook.length, v4.ca, v4.sa, T0, v4.out, 0);
    }
    ExtensionField refused = PacketCodec.ntpd().decode(v4.out, 0, n).fields().get(0);
    if (refused.isValueForm() || refused.isError() || refusing.responder().stats()
        .budgetRefused() != 1) {
      throw new IllegalStateException("over-budget COOK not refused: " + refused);
    }
  }

  /** Plain authenticated request over IPv4: verify + reply (allocates nothing). */
  @Benchmark
  public int plainIpv4() {
    return v4.answer(plain4, T0);
  }

  /** Plain authenticated request over IPv6: verify + reply (allocates nothing). */
  @Benchmark
  public int plainIpv6() {
    return v6.answer(plain6, T0);
  }

  /** ASSOC request: host name and status word (not metered). */
  @Benchmark
  public int assocRequest() {
    return v4.answer(assoc, T0);
  }

  /** CERT request: the certificate with its (cached) signature; charged one signature. */
  @Benchmark
  public int certRequest() {
    now += MICROSECOND;
    return v4.answer(cert, now);
  }

  /** COOK request: OAEP encryption of the cookie and an RSA signature. */
  @Benchmark
  public int cookRequest() {
    now += MICROSECOND;
    return v4.answer(cook, now);
  }

  /** AUTO request to a broadcast server: its published signed values (not metered). */
  @Benchmark
  public int autoRequest() {
    return v4.answer(auto, T0);
  }

  /** SIGN request: the client's certificate signed by the server, and an RSA signature. */
  @Benchmark
  public int signRequest() {
    now += MICROSECOND;
    return v4.answer(sign, now);
  }

  /** LEAP request: the leap values with their (cached) signature; charged one signature. */
  @Benchmark
  public int leapRequest() {
    now += MICROSECOND;
    return v4.answer(leap, now);
  }

  /** COOK request over budget: answered with the 8-byte empty field, nothing expensive. */
  @Benchmark
  public int cookOverBudget() {
    return refusing.responder().respondInto(cook, 0, cook.length, v4.ca, v4.sa, T0, v4.out, 0);
  }

  /** Identity requests: the response of IFF, GQ or MV (512-bit groups) and its signature. */
  @State(Scope.Thread)
  public static class Identity {
    /** Scheme. */
    @Param({"IFF", "GQ", "MV"})
    public String scheme;

    Rig rig;
    byte[] request;
    long now = T0;

    /** Runs a client of the scheme to all flags and keeps its identity request. */
    @Setup
    public void setup() throws Exception {
      SecureRandom r = rng("responder-bench-" + scheme);
      long fs = NtpTime.seconds(T0) - 60;
      AutokeyConfig cfg = config(LARGE);
      EphemeralHosts.Host c = EphemeralHosts.ordinary("client@grp", fs, r);
      CryptoSuite ss;
      CryptoSuite cs;
      switch (scheme) {
        case "IFF": {
          IffKey k = IffKey.generate(512, r, fs);
          ss = EphemeralHosts.trusted("server@grp", fs, r).suite(r).iffKey(k).build();
          cs = c.suite(r).iffParameters("grp", k.parameters()).build();
          break;
        }
        case "GQ": {
          GqKey k = GqKey.generate(512, r, fs);
          ss = EphemeralHosts.generate("server@grp", NtpCertificates.Kind.TRUST_ROOT, 512, fs, 365,
              k, r).suite(r).gqKey(k).build();
          cs = c.suite(r).gqParameters("grp", k.parameters()).build();
          break;
        }
        case "MV": {
          MvGroup g = MvGroup.generate(4, 256, r, fs);
          ss = EphemeralHosts.trusted("server@grp", fs, r).suite(r).mvServerKey(g.serverKey())
              .build();
          cs = c.suite(r).mvClientKey("grp", g.clientKeys().get(0)).build();
          break;
        }
        default:
          throw new IllegalArgumentException(scheme);
      }
      rig = new Rig(host(cfg, ss, "s" + scheme), host(cfg, cs, "c" + scheme),
          Optional.of("grp"), "192.0.2.2", "192.0.2.1");
      Opcode op = Opcode.valueOf(IdentityScheme.valueOf(scheme).opcode());
      request = rig.request(op.name());
      rig.check(request, op, true);
    }
  }

  /** Identity request (IFF, GQ or MV, see {@link Identity#scheme}). */
  @Benchmark
  public int identityRequest(Identity s) {
    s.now += MICROSECOND;
    return s.rig.answer(s.request, s.now);
  }
}
