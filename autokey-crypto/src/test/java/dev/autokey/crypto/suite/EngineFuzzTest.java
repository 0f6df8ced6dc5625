package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autokey.core.AutokeyException;
import dev.autokey.core.cert.CertificateCodec;
import dev.autokey.core.cert.CertificateInfo;
import dev.autokey.core.crypto.CookieCipher;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.crypto.SignatureVerifier;
import dev.autokey.core.crypto.Signer;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.core.identity.IdentityServer;
import dev.autokey.core.keys.AddressPair;
import dev.autokey.core.keys.MacResult;
import dev.autokey.core.keys.SessionKeyEngine;
import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptoSuite;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.ReplayHooks;
import dev.autokey.core.protocol.ServerResponder;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.protocol.WorkBudget;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.MalformedPacketException;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.testing.Pcap;
import dev.autokey.testing.TestData;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzz targets for the stateful engine paths, with the security invariants as assertions: the
 * receive path of a unicast client {@link Association} at every step of a real exchange, and the
 * {@link ServerResponder}. Regression mode ({@code ./mvnw verify}) runs the seeds in {@code
 * EngineFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes (see docs/security.md).
 *
 * <p><b>{@code clientReceive}.</b> A TC client and an IFF group client ({@code client@grp},
 * ident {@code grp}) are each driven once, seeded, against a real server to all flags, and the
 * exchange (poll times, the client's requests, the server's genuine replies) is recorded. For
 * every input each client is rebuilt by replaying that exchange into a fresh, identically seeded
 * host (the replay checks that every request and every flag word comes out as recorded), up to
 * the step whose outstanding request has the opcode of the input's first extension field (byte
 * 49: CERT answers meet a client with CERT outstanding, COOK answers one with CERT and VRFY lit
 * and COOK outstanding, and so on), or, for anything else, up to the fully-flagged client with a
 * plain request outstanding. The input is then delivered as it is and "sealed" (cut to the header
 * and whole words, its own trailing MAC dropped, NTP mode 4, the origin timestamp of the
 * outstanding request, and a valid MAC under that request's key ID with cookie 0, which anyone
 * can compute); then comes an on-path crypto-NAK for the client's next request, and the input
 * sealed once more for the request after that (its transmit timestamp moved on by one, so that it
 * is no duplicate). After every delivery: the verdict is a {@link Verdict}, never an unchecked
 * exception; it is never {@link Verdict#usableForTime()} (the attacker has no cookie, so a usable
 * verdict is a forgery; only the genuine reply recorded for the outstanding request is exempt);
 * the host's own certificate is still in its cache (same DER under its own subject and issuer)
 * and no cached certificate has the host's subject with another key; a {@code REJECTED} or {@code
 * IGNORED} verdict that did not restart leaves {@code flags()}, {@code trail()}, {@code
 * taiOffset()} and the cache entries as they were; a restart leaves the flags at 0 (the one
 * partial restart, a valid crypto-NAK on an association holding a cookie, clears exactly COOK);
 * and every request the client builds afterwards decodes with {@link PacketCodec#ntpd()}.
 *
 * <p>Rebuilding the clients per input keeps every input's outcome reproducible; to keep it cheap,
 * the client hosts use a {@link ReplaySuite}, which answers the replay's own certificate, signature
 * and cookie operations from results recorded from the real suite (everything an input carries
 * still goes to the real suite).
 *
 * <p><b>{@code serverRespond}.</b> For every input a fresh, identically seeded TC server host and
 * IFF server host (work budget: one expensive operation, so that of two identical expensive
 * requests the second meets the refused branch) answer it as it is, then as a mode-3 request
 * sealed with cookie 0 (twice), and
 * its header alone as a plain request sealed with the server's real cookie for the requester (the
 * cookie a real client obtains: decrypted once, with the client's host key, from a genuine COOK
 * response). After every request: no unchecked exception; the result is -1, {@link
 * ServerResponder#CRYPTO_NAK_LENGTH} (a crypto-NAK) or a reply that decodes with {@link
 * PacketCodec#ntpd()}, echoes the request's key ID, carries at most one field (a response to the
 * request's first field) and whose MAC verifies for the requester (cookie 0 after a request with
 * fields, else the real cookie); the own certificate is unchanged in the cache; and the
 * responder's {@link ServerResponder#stats()} grow by at most one expensive operation (answered or
 * refused) per request.
 *
 * <p>Seeds: the recorded exchanges' replies ({@code clientReceive}) and requests ({@code
 * serverRespond}), the ntpd payloads of {@code testdata/captures/tc-client} and {@code iff-client}
 * in the same direction (all written by {@link #main}), and the inputs of findings ({@code
 * crash-*}).
 */
class EngineFuzzTest {
  static final InetAddress SA = AttackTest.addr("10.77.0.1");
  static final InetAddress CA = AttackTest.addr("10.77.0.2");
  static final int MAC = 20;
  static final long ASSOCID = 4242;
  /** Poll exponent of the fixture's client (ntpd's minpoll: key lists of 64 keys). */
  static final int POLL = 6;
  static final AutokeyConfig CONFIG = AutokeyConfig.defaults();
  static final PacketCodec CODEC = PacketCodec.ntpd();

  // ---------------------------------------------------------------- the recorded exchange

  /**
   * Step {@code k} of an exchange: the client's request at {@code now} (transmit timestamp {@code
   * xmt}), the server's genuine reply, the client's flags after it, and whether the client clock
   * was declared synchronised after it (at {@code now}).
   */
  record Step(long now, long xmt, byte[] request, byte[] reply, long flagsAfter,
      boolean syncAfter) {
    /** The opcode code of the request's first field, or -1 for a plain request. */
    int asked() {
      return request.length > NtpHeader.LENGTH + MAC ? request[NtpHeader.LENGTH + 1] & 0xFF : -1;
    }
  }

  /** A client driven to all flags against a real server, recorded step by step. */
  static final class Exchange {
    final String scheme;
    final ReplaySuite clientSuite;
    final Optional<String> ident;
    final long clientSeed;
    final AutokeyHost server;
    final List<Step> steps = new ArrayList<>();

    Exchange(String scheme, long seed, long startSeconds) throws Exception {
      this.scheme = scheme;
      Scenarios.Pair p = Scenarios.pair(scheme, CONFIG, seed, ProtocolEventListener.NONE);
      this.server = p.server();
      this.clientSuite = new ReplaySuite(p.client().cryptoSuite());
      this.ident = Optional.ofNullable(p.ident());
      this.clientSeed = seed + 4;
      long t0 = NtpTime.ofSeconds(startSeconds);
      server.setSynchronised(true, t0);
      server.setLeapValues(37, 3_692_217_600L, 3_912_710_400L, t0);
      AutokeyHost h = freshClientHost();
      Association a = ReplayHooks.client(h, CA, SA, ident, ASSOCID);
      long now = t0;
      // until all flags, then one plain poll: the last step is the fully-flagged client's
      // plain request and the server's plain reply to it
      for (int k = 0; k < 20; k++) {
        boolean wasAll = a.allFlags();
        now = NtpTime.plusSeconds(now, 1 << POLL);
        long xmt = now | 0x1234;
        byte[] q = a.prepareTransmit(requestHeader(h, xmt), now);
        byte[] r = server.responder().respond(q, 0, q.length, CA, SA, now,
            replyHeader(xmt, now)).datagram();
        Verdict v = a.receive(r, 0, r.length, SA, CA, now);
        boolean sync = a.isProventic() && !h.isSynchronised();
        if (sync) {
          h.setSynchronised(true, now);
        }
        steps.add(new Step(now, xmt, q, r, a.flags(), sync));
        if (wasAll) {
          if (!v.usableForTime()) {
            throw new IllegalStateException(scheme + ": fixture's last reply not usable " + v);
          }
          clientSuite.recording = false;
          long before = clientSuite.misses;
          replay(last());
          if (clientSuite.misses != before) {
            throw new IllegalStateException(scheme + ": a replay needs the real suite");
          }
          return;
        }
      }
      throw new IllegalStateException(scheme + ": fixture did not reach all flags " + a);
    }

    AutokeyHost freshClientHost() throws Exception {
      return AutokeyHost.create(CONFIG, clientSuite, Scenarios.rng(clientSeed),
          ProtocolEventListener.NONE);
    }

    /** The index of the fully-flagged client's step (its plain request). */
    int last() {
      return steps.size() - 1;
    }

    /** The step whose request asked for {@code opcode}, else the fully-flagged one. */
    int stepFor(int opcode) {
      for (int k = 0; k < steps.size(); k++) {
        if (steps.get(k).asked() == opcode) {
          return k;
        }
      }
      return last();
    }

    /**
     * A fresh client in the state of step {@code k}: steps 0..k-1 replayed (request rebuilt and
     * compared with the recording, genuine reply delivered), then request {@code k} built, so
     * that it is the outstanding one.
     */
    Client replay(int k) throws Exception {
      AutokeyHost h = freshClientHost();
      Association a = ReplayHooks.client(h, CA, SA, ident, ASSOCID);
      for (int i = 0; i <= k; i++) {
        Step s = steps.get(i);
        byte[] q = a.prepareTransmit(requestHeader(h, s.xmt()), s.now());
        if (!Arrays.equals(q, s.request())) {
          throw new IllegalStateException(scheme + ": replay diverged at request " + i);
        }
        if (i == k) {
          break;
        }
        a.receive(s.reply(), 0, s.reply().length, SA, CA, s.now());
        if (a.flags() != s.flagsAfter()) {
          throw new IllegalStateException(scheme + ": replay diverged at reply " + i);
        }
        if (s.syncAfter()) {
          h.setSynchronised(true, s.now());
        }
      }
      return new Client(this, h, a, steps.get(k));
    }
  }

  /**
   * The client's suite in the fixture: the real one, except that the results of its pure,
   * deterministic operations (certificate decoding and verification, signing, signature and
   * identity verification, cookie decryption) that succeeded while the exchange was recorded are
   * kept in a table and answered from it when a replay asks for them again. Anything else, such as
   * every value a fuzzer input carries, goes to the real suite, and only signatures (over the
   * client's own values) are added to the table after the recording, so that a replay costs a
   * fraction of the recording while the engine code runs in full.
   */
  static final class ReplaySuite implements CryptoSuite {
    interface Op<T> {
      T run() throws AutokeyException;
    }

    final CryptoSuite real;
    final Map<List<Object>, Object> table = new HashMap<>();
    boolean recording = true;
    long misses;

    ReplaySuite(CryptoSuite real) {
      this.real = real;
    }

    static ByteBuffer bytes(byte[] b) {
      return ByteBuffer.wrap(b.clone());
    }

    <T> T memo(List<Object> key, Op<T> op) throws AutokeyException {
      return memo(key, op, recording);
    }

    @SuppressWarnings("unchecked")
    <T> T memo(List<Object> key, Op<T> op, boolean record) throws AutokeyException {
      Object r = table.get(key);
      if (r != null) {
        return (T) r;
      }
      misses++;
      T v = op.run();
      if (record && table.size() < 4096) {
        table.put(key, v);
      }
      return v;
    }

    @Override
    public CertificateInfo hostCertificate() {
      return real.hostCertificate();
    }

    @Override
    public long hostKeyFilestamp() {
      return real.hostKeyFilestamp();
    }

    @Override
    public Signer signer() {
      Signer s = real.signer();
      return new Signer() {
        @Override
        public byte[] sign(byte[] signed) throws AutokeyException {
          // what a client signs is its own (its key, its certificate, its challenge, under
          // fixture timestamps), never input bytes: recorded at any time
          return memo(List.of("sign", bytes(signed)), () -> s.sign(signed), true).clone();
        }

        @Override
        public int signatureLength() {
          return s.signatureLength();
        }

        @Override
        public SignatureAlgorithm algorithm() {
          return s.algorithm();
        }
      };
    }

    @Override
    public CookieCipher cookieCipher() {
      CookieCipher c = real.cookieCipher();
      return new CookieCipher() {
        @Override
        public byte[] encrypt(int cookie, byte[] key) throws AutokeyException {
          return c.encrypt(cookie, key);
        }

        @Override
        public int decrypt(byte[] ct) throws AutokeyException {
          return memo(List.of("decrypt", bytes(ct)), () -> c.decrypt(ct));
        }

        @Override
        public int ciphertextLength() {
          return c.ciphertextLength();
        }

        @Override
        public byte[] publicKeyPkcs1() {
          return c.publicKeyPkcs1();
        }
      };
    }

    @Override
    public CertificateCodec certificateCodec() {
      CertificateCodec c = real.certificateCodec();
      return new CertificateCodec() {
        @Override
        public CertificateInfo decode(byte[] der, long fs) throws AutokeyException {
          return memo(List.of("decode", bytes(der), fs), () -> c.decode(der, fs));
        }

        @Override
        public void verify(CertificateInfo cert, PublicKey key) throws AutokeyException {
          memo(List.of("verify", bytes(cert.der()), bytes(key.getEncoded())), () -> {
            c.verify(cert, key);
            return Boolean.TRUE;
          });
        }
      };
    }

    @Override
    public SignatureVerifier verifier(PublicKey key, int nid) throws AutokeyException {
      SignatureVerifier v = real.verifier(key, nid);
      ByteBuffer k = bytes(key.getEncoded());
      return new SignatureVerifier() {
        @Override
        public void verify(byte[] signed, byte[] sig) throws AutokeyException {
          memo(List.of("verifier", k, nid, bytes(signed), bytes(sig)), () -> {
            v.verify(signed, sig);
            return Boolean.TRUE;
          });
        }

        @Override
        public int signatureLength() {
          return v.signatureLength();
        }

        @Override
        public SignatureAlgorithm algorithm() {
          return v.algorithm();
        }
      };
    }

    @Override
    public byte[] signCertificate(byte[] request, long nowSeconds, CertificateInfo issuer)
        throws AutokeyException {
      return real.signCertificate(request, nowSeconds, issuer);
    }

    @Override
    public Optional<IdentityServer> identityServer(IdentityScheme scheme) {
      return real.identityServer(scheme);
    }

    @Override
    public Optional<IdentityClient> identityClient(IdentityScheme scheme, String group,
        CertificateInfo trustedRoot) {
      return real.identityClient(scheme, group, trustedRoot).map(c -> new IdentityClient() {
        @Override
        public IdentityScheme scheme() {
          return c.scheme();
        }

        @Override
        public long filestamp() {
          return c.filestamp();
        }

        @Override
        public IdentityChallenge challenge(SecureRandom random) {
          return c.challenge(random);
        }

        @Override
        public void verify(IdentityChallenge outstanding, byte[] value, long fs)
            throws AutokeyException {
          memo(List.of("identity", bytes(trustedRoot.der()), bytes(outstanding.value()),
              bytes(value), fs), () -> {
                c.verify(outstanding, value, fs);
                return Boolean.TRUE;
              });
        }
      });
    }
  }

  static NtpHeader requestHeader(AutokeyHost h, long xmt) {
    return NtpHeader.builder().leap(h.isSynchronised() ? 0 : 3).version(4).mode(3).stratum(2)
        .poll(POLL).transmitTimestamp(xmt).build();
  }

  static NtpHeader replyHeader(long origin, long now) {
    return NtpHeader.builder().leap(0).version(4).mode(4).stratum(1).poll(POLL)
        .originTimestamp(origin).receiveTimestamp(now).transmitTimestamp(now | 0x55).build();
  }

  static final Exchange TC;
  static final Exchange IFF;

  static {
    try {
      // the IFF exchange runs 1000 s later: no reply of one is a duplicate in the other
      TC = new Exchange("TC", 5906, Scenarios.T0);
      IFF = new Exchange("IFF", 5907, Scenarios.T0 + 1000);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // ---------------------------------------------------------------- client invariants

  /** What a refused packet must leave as it was. */
  record Snapshot(long flags, List<ByteBuffer> trail, long taiOffset, List<ByteBuffer> cache) {
    static Snapshot of(Client c) {
      return new Snapshot(c.a.flags(), ders(c.a.trail()), c.a.taiOffset(),
          ders(c.host.certificates().entries()));
    }
  }

  static List<ByteBuffer> ders(List<CertificateInfo> cs) {
    List<ByteBuffer> out = new ArrayList<>(cs.size());
    for (CertificateInfo c : cs) {
      out.add(ByteBuffer.wrap(c.der()));
    }
    return out;
  }

  /** A client in some step of its exchange, with its outstanding request. */
  static final class Client {
    final Exchange x;
    final AutokeyHost host;
    final Association a;
    final CertificateInfo own;
    long now;
    long xmt;
    int keyId;
    /** The genuine reply to the outstanding request (exempt from the forgery check), or null. */
    byte[] genuine;

    Client(Exchange x, AutokeyHost host, Association a, Step s) {
      this.x = x;
      this.host = host;
      this.a = a;
      this.own = x.clientSuite.hostCertificate();
      this.now = s.now();
      this.xmt = s.xmt();
      this.keyId = (int) a.lastKeyId();
      this.genuine = s.reply();
    }

    /** The client's next request at {@code t}: it must decode with our own decoder. */
    void transmit(long t, String phase) {
      now = t;
      xmt = t | 0x4321;
      byte[] q = a.prepareTransmit(requestHeader(host, xmt), t);
      try {
        CODEC.decode(q);
      } catch (MalformedPacketException e) {
        throw new AssertionError(x.scheme + " " + phase + ": the client built a request our "
            + "own decoder refuses: " + hex(q), e);
      }
      keyId = (int) a.lastKeyId();
      genuine = null;
    }

    /** Delivers an attacker-made datagram and checks every invariant. */
    Verdict deliver(byte[] d, long t, String phase) {
      Snapshot before = Snapshot.of(this);
      Verdict v;
      try {
        v = a.receive(d, 0, d.length, SA, CA, t);
      } catch (RuntimeException e) {
        throw new AssertionError(x.scheme + " " + phase + ": unchecked exception from receive",
            e);
      }
      assertNotNull(v, phase);
      String where = x.scheme + " " + phase + ": " + v;
      if (genuine == null || !Arrays.equals(d, genuine)) {
        assertFalse(v.usableForTime(), where + ": an attacker's packet usable for time");
      }
      ownCertificateIntact(host, own, where);
      Snapshot after = Snapshot.of(this);
      if (v.restarted()) {
        boolean cookieRefetch = v.cause() == Verdict.Cause.CRYPTO_NAK
            && after.flags() == (before.flags() & ~Flag.COOK.bit()) && after.flags() != 0
            && (before.flags() & Flag.COOK.bit()) != 0;
        assertTrue(after.flags() == 0 || cookieRefetch,
            where + ": restart left flags " + Long.toHexString(after.flags()));
      } else if (v.kind() == Verdict.Kind.REJECTED || v.kind() == Verdict.Kind.IGNORED) {
        assertEquals(before, after, where + ": a refused packet changed the state");
      }
      assertEquals(a.flags(), v.flags(), where + ": verdict flags");
      return v;
    }
  }

  /** The own certificate is in the cache, unchanged, and no entry has its subject with another key. */
  static void ownCertificateIntact(AutokeyHost host, CertificateInfo own, String where) {
    Optional<CertificateInfo> c = host.certificates().find(own.subject(), own.issuer());
    assertTrue(c.isPresent(), where + ": own certificate gone from the cache");
    assertArrayEquals(own.der(), c.get().der(), where + ": own certificate replaced");
    byte[] key = own.publicKey().getEncoded();
    for (CertificateInfo e : host.certificates().entries()) {
      if (e.subject().equals(own.subject())) {
        assertArrayEquals(key, e.publicKey().getEncoded(),
            where + ": cached certificate for the own name with another key: " + e);
      }
    }
  }

  static int keyIdAt(byte[] d, int off) {
    return ByteBuffer.wrap(d, off, 4).getInt();
  }

  /**
   * The input cut to the header and whole words (at most 2120 bytes with the MAC), without what
   * the decoder would take for its MAC (the at most 24 bytes left after its well-formed fields),
   * with {@code origin} as origin timestamp (unless 0), {@code mode} in the header (unless -1) and
   * a valid MAC for (src, dst, keyId, cookie). Null if the input is shorter than a header.
   */
  static byte[] seal(byte[] input, int mode, long origin, int keyId, int cookie,
      InetAddress src, InetAddress dst) {
    return seal(input, mode, origin, 0, keyId, cookie, src, dst);
  }

  /** As above, with {@code xmtDelta} added to the transmit timestamp. */
  static byte[] seal(byte[] input, int mode, long origin, long xmtDelta, int keyId, int cookie,
      InetAddress src, InetAddress dst) {
    if (input.length < NtpHeader.LENGTH) {
      return null;
    }
    int body = Math.min(NtpHeader.LENGTH + ((input.length - NtpHeader.LENGTH) & ~3),
        2120 - MAC);
    int off = NtpHeader.LENGTH;
    while (body - off > 24) {
      int flen = ((input[off + 2] & 0xFF) << 8) | (input[off + 3] & 0xFF);
      if (flen < 4 || flen % 4 != 0 || flen > body - off) {
        break;
      }
      off += flen;
    }
    if (body - off <= 24) {
      body = off;
    }
    byte[] d = Arrays.copyOf(input, body + MAC);
    if (mode >= 0) {
      d[0] = (byte) ((d[0] & ~7) | mode);
    }
    ByteBuffer b = ByteBuffer.wrap(d);
    if (origin != 0) {
      b.putLong(NtpHeader.OFFSET_ORIGIN_TIMESTAMP, origin);
    }
    b.putLong(NtpHeader.OFFSET_TRANSMIT_TIMESTAMP,
        b.getLong(NtpHeader.OFFSET_TRANSMIT_TIMESTAMP) + xmtDelta);
    SessionKeyEngine.md5().computeMac(AddressPair.of(src, dst), keyId, cookie, d, 0, body);
    return d;
  }

  /** A crypto-NAK (header and the zero key-ID word) for the request sent at {@code xmt}. */
  static byte[] cryptoNak(long xmt) {
    byte[] nak = new byte[NtpHeader.LENGTH + 4];
    NtpHeader.builder().version(4).mode(4).originTimestamp(xmt).build()
        .writeTo(ByteBuffer.wrap(nak));
    return nak;
  }

  static void clientReceive(Exchange x, byte[] input) throws Exception {
    int opcode = input.length >= NtpHeader.LENGTH + 8 ? input[NtpHeader.LENGTH + 1] & 0xFF : -1;
    Client c = x.replay(x.stepFor(opcode));
    long t = NtpTime.plusSeconds(c.now, 1);
    c.deliver(input, t, "as is");
    byte[] s = seal(input, 4, c.xmt, c.keyId, 0, SA, CA);
    if (s != null) {
      c.deliver(s, t, "sealed");
    }
    // an on-path crypto-NAK for the next request, then the input sealed for the one after
    c.transmit(NtpTime.plusSeconds(t, 1), "request before the crypto-NAK");
    c.deliver(cryptoNak(c.xmt), c.now, "crypto-NAK");
    c.transmit(NtpTime.plusSeconds(t, 2), "request after the crypto-NAK");
    if (s != null) {
      // its transmit timestamp moved on, so that it is no duplicate of a packet taken above
      c.deliver(seal(input, 4, c.xmt, 1, c.keyId, 0, SA, CA), c.now,
          "sealed after the crypto-NAK");
    }
    c.transmit(NtpTime.plusSeconds(t, 3), "last request");
  }

  @FuzzTest(maxDuration = "5m")
  void clientReceive(byte[] input) throws Exception {
    clientReceive(TC, input);
    clientReceive(IFF, input);
  }

  // ---------------------------------------------------------------- responder

  /** A server host and the cookie it gives {@link #CA}, fresh for every input. */
  static final class Server {
    final Exchange x;
    final long seed;
    final AutokeyConfig config = AutokeyConfig.builder().budget(new WorkBudget(1, 1)).build();
    final int cookie;
    final long now;

    Server(Exchange x, long seed) throws Exception {
      this.x = x;
      this.seed = seed;
      // one real COOK exchange with a fresh server host: the requester decrypts its cookie with
      // its own host key, as a real client does
      Step cook = x.steps.get(x.stepFor(3));
      this.now = NtpTime.plusSeconds(x.steps.get(x.last()).now(), 1 << POLL);
      byte[] q = cook.request();
      byte[] r = fresh().responder().respond(q, 0, q.length, CA, SA, now,
          replyHeader(cook.xmt(), now)).datagram();
      ExtensionField f = CODEC.decode(r).fields().get(0);
      this.cookie = x.clientSuite.cookieCipher().decrypt(f.cookieCiphertext());
      // a plain request with this cookie gets a plain reply, not a crypto-NAK
      byte[] plain = seal(new byte[NtpHeader.LENGTH], 3, 0, 0x4000_0000, cookie, CA, SA);
      byte[] out = new byte[2120];
      int n = fresh().responder().respondInto(plain, 0, plain.length, CA, SA, now, out, 0);
      if (n != NtpHeader.LENGTH + MAC) {
        throw new IllegalStateException(x.scheme + ": the decrypted cookie is not the server's");
      }
    }

    AutokeyHost fresh() throws Exception {
      AutokeyHost h = AutokeyHost.create(config, x.server.cryptoSuite(), Scenarios.rng(seed),
          ProtocolEventListener.NONE);
      h.setSynchronised(true, NtpTime.ofSeconds(Scenarios.T0));
      return h;
    }
  }

  static final Server TC_SERVER;
  static final Server IFF_SERVER;

  static {
    try {
      TC_SERVER = new Server(TC, 77);
      IFF_SERVER = new Server(IFF, 78);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One request to the responder with every responder invariant checked. */
  static void respond(Server s, AutokeyHost h, byte[] q, String phase) {
    ServerResponder r = h.responder();
    ServerResponder.Stats before = r.stats();
    byte[] out = new byte[2120];
    replyHeader(0, s.now).writeTo(ByteBuffer.wrap(out));
    int n;
    try {
      n = r.respondInto(q, 0, q.length, CA, SA, s.now, out, 0);
    } catch (RuntimeException e) {
      throw new AssertionError(s.x.scheme + " " + phase + ": unchecked exception", e);
    }
    String where = s.x.scheme + " " + phase + " (" + n + ")";
    ServerResponder.Stats after = r.stats();
    long expensive = after.expensiveAnswered() - before.expensiveAnswered();
    long refused = after.budgetRefused() - before.budgetRefused();
    assertTrue(expensive >= 0 && refused >= 0 && expensive + refused <= 1,
        where + ": expensive work " + before + " -> " + after);
    ownCertificateIntact(h, s.x.server.cryptoSuite().hostCertificate(), where);
    if (n == -1) {
      return;
    }
    assertTrue(n >= NtpHeader.LENGTH && n <= 2120, where + ": reply length");
    AutokeyPacket p;
    try {
      p = CODEC.decode(out, 0, n);
    } catch (MalformedPacketException e) {
      throw new AssertionError(where + ": our reply does not decode: " + hex(out, n), e);
    }
    if (n == ServerResponder.CRYPTO_NAK_LENGTH) {
      assertTrue(p.isCryptoNak(), where + ": 52-byte reply that is not a crypto-NAK");
      return;
    }
    if (n == NtpHeader.LENGTH) {
      return; // unauthenticated request, unauthenticated reply
    }
    AutokeyPacket req;
    try {
      req = CODEC.decode(q);
    } catch (MalformedPacketException e) {
      throw new AssertionError(where + ": a reply to a request that does not decode", e);
    }
    long keyId = req.mac().orElseThrow().keyId();
    assertEquals(keyId, p.mac().orElseThrow().keyId(), where + ": reply key ID");
    assertTrue(p.fields().size() <= 1, where + ": more than one field");
    if (!p.fields().isEmpty()) {
      ExtensionField f = p.fields().get(0);
      assertTrue(f.isResponse(), where + ": answer without the R bit");
      assertEquals(req.fields().get(0).opcode(), f.opcode(), where + ": answer's opcode");
    }
    boolean hadFields = q.length > NtpHeader.LENGTH + 24;
    int ck = hadFields ? 0 : s.cookie;
    MacResult m = SessionKeyEngine.md5().verifyMac(AddressPair.of(SA, CA), ck, out, 0, n,
        p.macOffset());
    assertEquals(MacResult.VALID, m, where + ": the requester cannot verify our reply");
  }

  static void serverRespond(Server s, byte[] input) throws Exception {
    AutokeyHost h = s.fresh();
    respond(s, h, input, "as is");
    byte[] q = seal(input, 3, 0, 0x1234_5678, 0, CA, SA);
    if (q == null) {
      return;
    }
    respond(s, h, q, "sealed, cookie 0");
    respond(s, h, q, "sealed, cookie 0, again (over budget)");
    byte[] plain = seal(Arrays.copyOf(input, NtpHeader.LENGTH), 3, 0, 0x1234_5678, s.cookie,
        CA, SA);
    respond(s, h, plain, "header sealed with the real cookie");
  }

  @FuzzTest(maxDuration = "5m")
  void serverRespond(byte[] input) throws Exception {
    serverRespond(TC_SERVER, input);
    serverRespond(IFF_SERVER, input);
  }

  // ---------------------------------------------------------------- seeds

  static String hex(byte[] b) {
    return hex(b, b.length);
  }

  static String hex(byte[] b, int n) {
    return java.util.HexFormat.of().formatHex(b, 0, n);
  }

  /**
   * Writes the seed folders: the recorded exchanges' replies (clientReceive) and requests
   * (serverRespond), and the ntpd payloads of the tc-client and iff-client captures in the same
   * direction. Run from the repository root with the test class path; {@code args[0]} is the
   * inputs folder.
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Path client = Files.createDirectories(dir.resolve("clientReceive"));
    Path server = Files.createDirectories(dir.resolve("serverRespond"));
    for (Exchange x : new Exchange[] {TC, IFF}) {
      for (int k = 0; k < x.steps.size(); k++) {
        Step s = x.steps.get(k);
        String name = String.format(Locale.ROOT, "%s-%02d-%s", x.scheme.toLowerCase(Locale.ROOT),
            k, s.asked() < 0 ? "plain" : dev.autokey.core.wire.Opcode.valueOf(s.asked()).name()
                .toLowerCase(Locale.ROOT));
        Files.write(server.resolve(name + "-request"), s.request());
        if (k < x.last()) { // the last (plain, genuine) reply is usable for time by design
          Files.write(client.resolve(name + "-reply"), s.reply());
        }
      }
    }
    Files.write(client.resolve("crypto-nak"), cryptoNak(0x1234));
    for (String run : new String[] {"tc-client", "iff-client"}) {
      List<Pcap.Udp> pkts = Pcap.readUdp(TestData.path("captures/" + run + "/capture.pcap"), 123);
      InetAddress clientAddr = pkts.get(0).src();
      int i = 0;
      for (Pcap.Udp u : pkts) {
        Path to = u.src().equals(clientAddr) ? server : client;
        Files.write(to.resolve(String.format(Locale.ROOT, "capture-%s-%02d", run, i++)),
            u.payload());
      }
    }
  }
}
