package dev.autokey.bench.protocol;

import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.WorkBudget;
import dev.autokey.core.wire.AutokeyMessages;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.identity.GqKey;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.identity.MvGroup;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Locale;
import java.util.Random;
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
 * Worst-case server CPU per request kind with hostile inputs (security finding 3, CPU
 * amplification): one request answered by the responder, milliseconds per request.
 *
 * <ul>
 *   <li>{@code cookMaxKey}: COOK with the largest accepted requester key (4096 bits) and the
 *       worst exponent (2<sup>64</sup>−1), a fresh modulus on every request (so nothing can be
 *       cached), and the server's signature.
 *   <li>{@code signMaxKey}: SIGN whose self-signed certificate carries a 4096-bit key with the
 *       worst exponent: decode, verify, issue, check, sign.
 *   <li>{@code certRequest}: CERT (cached signature).
 *   <li>{@code identity}: IFF (p 3072 bits), GQ (n 4096 bits) and MV (p 4096 bits) responses
 *       at the largest group sizes the generators make, with a full-size challenge, signed.
 *   <li>{@code cookOverBound} / {@code signOverBound}: an 8192-bit COOK key or certificate key,
 *       refused with {@code XEVNT_PUB} / {@code XEVNT_CRT} before any big-integer work.
 *   <li>{@code cookOverBudget}: a COOK request refused for lack of budget.
 * </ul>
 *
 * <p>{@code hostBits} is the server's own key (512 as ntp-keygen's default, 2048 as a strong
 * deployment). Setup prints the work units each kind is charged, so that the milliseconds per
 * unit can be compared across kinds. The budget is large and the clock advances 10 ms per
 * request, so that metered kinds are answered in full (checked in setup).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class WorstCaseBench {
  static final long T0 = NtpTime.ofSeconds(3_900_000_000L);
  static final long TEN_MS = (1L << 32) / 100;
  static final BigInteger WORST_E = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  static final WorkBudget LARGE = new WorkBudget(1_000_000, 1_000_000, 1);
  static final int POOL = 64;

  /** The server's own key size. */
  @Param({"512", "2048"})
  public int hostBits;

  private AutokeyHost server;
  private AutokeyHost refusing;
  private InetAddress ca;
  private InetAddress sa;
  private final byte[] out = new byte[2120];
  private byte[][] cooks;
  private byte[] sign;
  private byte[] cert;
  private byte[] cookBig;
  private byte[] signBig;
  private long now = T0;
  private int next;

  static byte[] request(ExtensionField f, InetAddress ca, InetAddress sa, int keyId) {
    NtpHeader h = NtpHeader.builder().version(4).mode(3).poll(4).transmitTimestamp(T0).build();
    byte[] d = new byte[NtpHeader.LENGTH + f.length() + 20];
    ByteBuffer b = ByteBuffer.wrap(d);
    h.writeTo(b);
    f.writeTo(b);
    SessionKeyEngine.md5().computeMac(AddressPair.of(ca, sa), keyId, 0, d, 0,
        NtpHeader.LENGTH + f.length());
    return d;
  }

  static BigInteger modulus(int bits, Random r) {
    while (true) {
      BigInteger n = new BigInteger(bits, r).setBit(bits - 1).setBit(0);
      if (!org.bouncycastle.util.BigIntegers.hasAnySmallFactors(n)) {
        return n;
      }
    }
  }

  static byte[] pkcs1(BigInteger n, BigInteger e) throws Exception {
    return new org.bouncycastle.asn1.pkcs.RSAPublicKey(n, e).getEncoded();
  }

  static AutokeyHost host(CryptoSuite suite, WorkBudget budget, String seed) throws Exception {
    AutokeyHost h = AutokeyHost.create(AutokeyConfig.builder().budget(budget).build(), suite,
        ResponderBench.rng(seed), ProtocolEventListener.NONE);
    h.setSynchronised(true, T0);
    return h;
  }

  static EphemeralHosts.Host serverHost(String name, int bits, GqKey gq, SecureRandom r) {
    return EphemeralHosts.generate(name, NtpCertificates.Kind.TRUST_ROOT, bits,
        NtpTime.seconds(T0) - 60, 365, gq, r);
  }

  /** Answers {@code q} and returns the first field of the reply. */
  static ExtensionField answer(AutokeyHost h, byte[] q, InetAddress ca, InetAddress sa, long now,
      byte[] out) throws Exception {
    NtpHeader.builder().version(4).mode(4).stratum(1).build().writeTo(ByteBuffer.wrap(out));
    int n = h.responder().respondInto(q, 0, q.length, ca, sa, now, out, 0);
    AutokeyPacket p = PacketCodec.ntpd().decode(out, 0, n);
    return p.fields().get(0);
  }

  /** Checks the answer and prints the work units charged for it. */
  static void expect(AutokeyHost h, String kind, byte[] q, InetAddress ca, InetAddress sa,
      long now, byte[] out, boolean full, boolean error) throws Exception {
    double before = h.responder().stats().workUnits();
    ExtensionField f = answer(h, q, ca, sa, now, out);
    if (f.isValueForm() != full || f.isError() != error) {
      throw new IllegalStateException(kind + ": unexpected answer " + f);
    }
    System.out.printf(Locale.ROOT, "[cost] %-14s %.3f work units%n", kind,
        h.responder().stats().workUnits() - before);
  }

  /** Builds the server, the hostile requests, and checks each answer. */
  @Setup
  public void setup() throws Exception {
    ca = InetAddress.getByName("192.0.2.2");
    sa = InetAddress.getByName("192.0.2.1");
    SecureRandom r = ResponderBench.rng("worst-case-" + hostBits);
    EphemeralHosts.Host s = serverHost("server", hostBits, null, r);
    server = host(s.tcSuite(r), LARGE, "worst-server");
    Random pr = new Random(4096);
    cooks = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      cooks[i] = request(AutokeyMessages.cookRequest(1, 0, 0, pkcs1(modulus(4096, pr), WORST_E),
          new byte[0]), ca, sa, 0x4000_0000 + i);
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(new RSAKeyGenParameterSpec(4096, WORST_E), r);
    KeyPair k = g.generateKeyPair();
    byte[] reqCert = NtpCertificates.selfSigned(new NtpCertificates.Spec("client",
        BigInteger.valueOf(NtpTime.seconds(T0) - 60), NtpTime.seconds(T0) - 60, 365,
        NtpCertificates.Kind.ORDINARY, null, k.getPublic()), k.getPrivate(),
        SignatureAlgorithm.RSA_SHA256, r);
    sign = request(AutokeyMessages.signRequest(1, 0, 0, reqCert, new byte[0]), ca, sa,
        0x4100_0000);
    cert = request(AutokeyMessages.certRequest(1, 0, 0, "server"), ca, sa, 0x4200_0000);
    BigInteger n8192 = modulus(8192, pr);
    cookBig = request(AutokeyMessages.cookRequest(1, 0, 0, pkcs1(n8192, BigInteger.valueOf(65537)),
        new byte[0]), ca, sa, 0x4300_0000);
    RSAPublicKey big = (RSAPublicKey) KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(n8192, BigInteger.valueOf(65537)));
    byte[] bigCert = NtpCertificates.selfSigned(new NtpCertificates.Spec("big",
        BigInteger.valueOf(NtpTime.seconds(T0) - 60), NtpTime.seconds(T0) - 60, 365,
        NtpCertificates.Kind.ORDINARY, null, big), k.getPrivate(), SignatureAlgorithm.RSA_SHA256,
        r);
    signBig = request(AutokeyMessages.signRequest(1, 0, 0, bigCert, new byte[0]), ca, sa,
        0x4400_0000);
    System.out.printf(Locale.ROOT, "[cost] host key %d bits: one signature %.3f work units%n",
        hostBits, server.cryptoSuite().signer().work());
    expect(server, "COOK 4096", cooks[0], ca, sa, T0, out, true, false);
    expect(server, "SIGN 4096", sign, ca, sa, T0, out, true, false);
    expect(server, "CERT", cert, ca, sa, T0, out, true, false);
    expect(server, "COOK 8192", cookBig, ca, sa, T0, out, false, true);
    expect(server, "SIGN 8192", signBig, ca, sa, T0, out, false, true);

    // over budget: one work unit, never refilled (the clock stands still), spent first
    refusing = host(s.tcSuite(r), new WorkBudget(1, 1), "worst-refusing");
    for (int i = 0; i < 100 && refusing.responder().stats().budgetRefused() == 0; i++) {
      answer(refusing, cooks[0], ca, sa, T0, out);
    }
    expect(refusing, "COOK refused", cooks[0], ca, sa, T0, out, false, false);
  }

  /** COOK, 4096-bit fresh modulus, exponent 2^64-1, signed. */
  @Benchmark
  public int cookMaxKey() {
    now += TEN_MS;
    byte[] q = cooks[next++ & (POOL - 1)];
    return server.responder().respondInto(q, 0, q.length, ca, sa, now, out, 0);
  }

  /** SIGN, certificate key 4096 bits with exponent 2^64-1. */
  @Benchmark
  public int signMaxKey() {
    now += TEN_MS;
    return server.responder().respondInto(sign, 0, sign.length, ca, sa, now, out, 0);
  }

  /** CERT with the cached signature. */
  @Benchmark
  public int certRequest() {
    now += TEN_MS;
    return server.responder().respondInto(cert, 0, cert.length, ca, sa, now, out, 0);
  }

  /** COOK with an 8192-bit key: refused with XEVNT_PUB. */
  @Benchmark
  public int cookOverBound() {
    return server.responder().respondInto(cookBig, 0, cookBig.length, ca, sa, now, out, 0);
  }

  /** SIGN with an 8192-bit certificate key: refused with XEVNT_CRT. */
  @Benchmark
  public int signOverBound() {
    return server.responder().respondInto(signBig, 0, signBig.length, ca, sa, now, out, 0);
  }

  /** COOK over budget: the 8-byte empty answer. */
  @Benchmark
  public int cookOverBudget() {
    return refusing.responder().respondInto(cooks[0], 0, cooks[0].length, ca, sa, T0, out, 0);
  }

  /** Identity servers at the largest group sizes. */
  @State(Scope.Thread)
  public static class Identity {
    /** Scheme. */
    @Param({"IFF", "GQ", "MV"})
    public String scheme;

    AutokeyHost server;
    byte[] request;
    InetAddress ca;
    InetAddress sa;
    final byte[] out = new byte[2120];
    long now = T0;

    /** Generates the group, the server and a full-size challenge. */
    @Setup
    public void setup(WorstCaseBench b) throws Exception {
      ca = InetAddress.getByName("192.0.2.2");
      sa = InetAddress.getByName("192.0.2.1");
      SecureRandom r = ResponderBench.rng("worst-case-" + scheme + b.hostBits);
      long fs = NtpTime.seconds(T0) - 60;
      CryptoSuite ss;
      BigInteger bound;
      String label;
      switch (scheme) {
        case "IFF": {
          IffKey k = IffKey.generate(3072, r, fs);
          ss = serverHost("server@grp", b.hostBits, null, r).suite(r).iffKey(k).build();
          bound = k.q();
          label = "IFF p3072";
          break;
        }
        case "GQ": {
          GqKey k = GqKey.generate(4096, r, fs);
          ss = serverHost("server@grp", b.hostBits, k, r).suite(r).gqKey(k).build();
          bound = k.n();
          label = "GQ n4096";
          break;
        }
        case "MV": {
          MvGroup g = MvGroup.generate(4, 4096, r, fs);
          ss = serverHost("server@grp", b.hostBits, null, r).suite(r)
              .mvServerKey(g.serverKey()).build();
          bound = g.serverKey().p();
          label = "MV p" + bound.bitLength();
          break;
        }
        default:
          throw new IllegalArgumentException(scheme);
      }
      server = host(ss, LARGE, "worst-" + scheme);
      // the largest challenge below the bound: every exponent bit set as far as possible
      byte[] c = bound.subtract(BigInteger.ONE).toByteArray();
      if (c[0] == 0) {
        c = java.util.Arrays.copyOfRange(c, 1, c.length);
      }
      Opcode op = Opcode.valueOf(IdentityScheme.valueOf(scheme).opcode());
      request = request(AutokeyMessages.identityRequest(op, 1, 0, 0, c, new byte[0]), ca, sa,
          0x4500_0000);
      expect(server, label, request, ca, sa, T0, out, true, false);
    }
  }

  /** An identity response (IFF, GQ or MV, see {@link Identity#scheme}). */
  @Benchmark
  public int identity(Identity s) {
    s.now += TEN_MS;
    return s.server.responder().respondInto(s.request, 0, s.request.length, s.ca, s.sa, s.now,
        s.out, 0);
  }
}
