package dev.autokey.bench.protocol;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyEngine;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.ServerResponder;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The client engine's per-packet paths in steady state (all flags lit), one thread: sealing a
 * plain request in place ({@link AutokeyEngine#seal}), and a whole round trip (seal, the server's
 * in-place plain reply, {@link AutokeyEngine#receive} of that reply as an authenticated sample).
 * Run with {@code -prof gc} for the bytes allocated per operation. The key list is made anew when
 * it is used up (every few hundred packets here, every few hours in a real client): its cost is
 * part of the figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EngineBench {
  private AutokeyEngine client;
  private ServerResponder responder;
  private InetAddress ca;
  private InetAddress sa;
  private final byte[] request = new byte[AutokeyEngine.MAX_DATAGRAM];
  private final byte[] reply = new byte[AutokeyEngine.MAX_DATAGRAM];
  private long now;
  private long xmt;

  /** A client association brought to all flags against an in-process server. */
  @Setup
  public void setup() throws Exception {
    SecureRandom r = ResponderBench.rng("engine-bench");
    now = ResponderBench.T0;
    long fs = NtpTime.seconds(now) - 60;
    AutokeyHost server = AutokeyHost.create(AutokeyConfig.defaults(),
        EphemeralHosts.trusted("server", fs, r).tcSuite(r), r, ProtocolEventListener.NONE);
    AutokeyHost host = AutokeyHost.create(AutokeyConfig.defaults(),
        EphemeralHosts.ordinary("client", fs, r).tcSuite(r), r, ProtocolEventListener.NONE);
    server.setSynchronised(true, now);
    ca = InetAddress.getByName("192.0.2.2");
    sa = InetAddress.getByName("192.0.2.1");
    Association a = host.client(ca, sa, Optional.empty());
    client = a;
    responder = server.responder();
    xmt = now;
    Verdict v = null;
    for (int i = 0; i < 20 && !(v != null && v.usableForTime() && a.allFlags()); i++) {
      now = NtpTime.plusSeconds(now, 16);
      v = roundTrip();
    }
    if (!a.allFlags() || !v.usableForTime()) {
      throw new IllegalStateException("client did not reach all flags: " + a);
    }
    NtpHeader.builder().version(4).mode(3).poll(4).build()
        .writeTo(ByteBuffer.wrap(request, 0, NtpHeader.LENGTH));
  }

  private int sealNext() {
    xmt += 2;
    putLong(request, NtpHeader.OFFSET_TRANSMIT_TIMESTAMP, xmt);
    request[0] = 0x23; // version 4, mode 3
    request[2] = 4; // poll 2^4 s
    return client.seal(request, 0, request.length, now);
  }

  private Verdict roundTrip() {
    int n = sealNext();
    reply[0] = 0x24; // version 4, mode 4
    reply[1] = 1; // stratum 1
    reply[2] = 4;
    putLong(reply, 24, xmt); // origin
    putLong(reply, 32, xmt); // receive
    putLong(reply, NtpHeader.OFFSET_TRANSMIT_TIMESTAMP, xmt + 1);
    int m = responder.respondInto(request, 0, n, ca, sa, now, reply, 0);
    return client.receive(reply, 0, m, sa, ca, now);
  }

  private static void putLong(byte[] b, int i, long v) {
    for (int k = 7; k >= 0; k--) {
      b[i + k] = (byte) v;
      v >>>= 8;
    }
  }

  /** Seals a plain request in place (header written, then key ID and MAC appended). */
  @Benchmark
  public int clientSealPlain() {
    return sealNext();
  }

  /** Seal, the server's in-place plain reply, and the client's receive of it. */
  @Benchmark
  public Verdict clientRoundTrip() {
    return roundTrip();
  }
}
