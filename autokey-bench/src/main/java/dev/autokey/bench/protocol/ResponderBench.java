package dev.autokey.bench.protocol;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.WorkBudget;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.crypto.suite.TestHosts;
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
 * Server responder throughput (one thread): a plain authenticated request (MAC verify with the
 * recomputed cookie, reply MAC) and a COOK request (OAEP encryption and signature, 512-bit keys).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ResponderBench {
  private AutokeyHost server;
  private InetAddress sa;
  private InetAddress ca;
  private byte[] plain;
  private byte[] cook;
  private final byte[] out = new byte[2120];
  private long now;

  /** Runs a client to PROV and keeps one plain and one COOK request. */
  @Setup
  public void setup() throws Exception {
    SecureRandom r = new SecureRandom();
    now = NtpTime.ofSeconds(3_900_000_000L);
    long fs = NtpTime.seconds(now) - 60;
    AutokeyConfig cfg = AutokeyConfig.builder().budget(new WorkBudget(1_000_000, 1_000_000))
        .build();
    server = AutokeyHost.create(cfg, TestHosts.trusted("server", fs, r).tcSuite(r), r,
        ProtocolEventListener.NONE);
    AutokeyHost client = AutokeyHost.create(cfg, TestHosts.ordinary("client", fs, r).tcSuite(r),
        r, ProtocolEventListener.NONE);
    server.setSynchronised(true, now);
    sa = InetAddress.getByName("192.0.2.1");
    ca = InetAddress.getByName("192.0.2.2");
    Association a = client.client(ca, sa, Optional.empty());
    for (int i = 0; i < 10; i++) {
      now += 16L << 32;
      NtpHeader q = NtpHeader.builder().version(4).mode(3).poll(4).transmitTimestamp(now).build();
      byte[] req = a.prepareTransmit(q, now);
      if (i == 2) {
        cook = req; // ASSOC, CERT, then COOK
      }
      if (a.isProventic() && req.length == 68) {
        plain = req;
      }
      NtpHeader h = NtpHeader.builder().version(4).mode(4).stratum(1).poll(4)
          .originTimestamp(now).receiveTimestamp(now).transmitTimestamp(now + 1).build();
      byte[] rep = server.responder().respond(req, 0, req.length, ca, sa, now, h).datagram();
      a.receive(rep, 0, rep.length, sa, ca, now);
      client.setSynchronised(a.isProventic(), now);
    }
    if (plain == null || cook == null || plain.length != 68) {
      throw new IllegalStateException("client did not become proventic");
    }
    NtpHeader h = NtpHeader.builder().version(4).mode(4).stratum(1).build();
    h.writeTo(ByteBuffer.wrap(out));
  }

  /** Plain authenticated request: verify + reply (should allocate nothing per operation). */
  @Benchmark
  public int plainRequest() {
    return server.responder().respondInto(plain, 0, plain.length, ca, sa, now, out, 0);
  }

  /** COOK request: OAEP encryption of the cookie and an RSA signature. */
  @Benchmark
  public int cookRequest() {
    return server.responder().respondInto(cook, 0, cook.length, ca, sa, now, out, 0);
  }
}
