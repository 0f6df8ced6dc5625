package dev.autokey.bench;

import dev.autokey.core.digest.DigestAlgorithm;
import dev.autokey.core.keys.MacResult;
import dev.autokey.core.keys.SessionKey;
import dev.autokey.core.keys.SessionKeyEngine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The MAC of a 48-byte packet (docs/protocol.md §7.2): compute and verify with a known session key,
 * and the full per-packet verify (derive the session key from addresses, key ID and cookie, then
 * verify the MAC in constant time), which is the steady-state receive path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MacBench {
  /** Session digest. */
  @Param({"MD5", "SHA1"})
  public String digest;

  /** Digest implementation behind SessionDigest: the JDK's MessageDigest or BC's lightweight one. */
  @Param({"JDK"})
  public String impl;

  private SessionKeyEngine engine;
  private SessionKey key;
  private byte[] packet;

  /** Builds a correctly MACed 48-byte packet. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    DigestAlgorithm alg = DigestAlgorithm.forOpenSslName(digest);
    engine = impl.equals("BC") ? SessionKeyEngine.of(new BcDigest(alg)) : SessionKeyEngine.create(alg);
    byte[] frame = Fixtures.tcClientFrame12();
    packet = new byte[48 + engine.macLength()];
    System.arraycopy(frame, 0, packet, 0, 48);
    engine.computeMac(Fixtures.SERVER_TO_CLIENT_V4, Fixtures.KEY_ID, Fixtures.COOKIE, packet, 0, 48);
    key = engine.sessionKey(Fixtures.SERVER_TO_CLIENT_V4, Fixtures.KEY_ID, Fixtures.COOKIE);
    if (engine.verifyMac(key, packet, 0, packet.length, 48) != MacResult.VALID) {
      throw new IllegalStateException("fixture does not verify");
    }
  }

  /** MAC of 48 bytes with a known key. */
  @Benchmark
  public int macCompute() {
    return engine.computeMac(key, packet, 0, 48);
  }

  /** MAC check of 48 bytes with a known key (constant-time compare). */
  @Benchmark
  public MacResult macVerify() {
    return engine.verifyMac(key, packet, 0, packet.length, 48);
  }

  /** Full per-packet verify: session key from (server, client, key ID, cookie), then the MAC. */
  @Benchmark
  public MacResult fullPacketVerify() {
    return engine.verifyMac(Fixtures.SERVER_TO_CLIENT_V4, Fixtures.COOKIE, packet, 0,
        packet.length, 48);
  }
}
