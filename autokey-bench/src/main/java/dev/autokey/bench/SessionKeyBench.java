package dev.autokey.bench;

import dev.autokey.core.keys.SessionKeyEngine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Session key / next key ID (docs/protocol.md §7.1), MD5: one digest of 16 (IPv4) or 40 (IPv6) bytes. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SessionKeyBench {
  private final SessionKeyEngine md5 = SessionKeyEngine.md5();
  private final byte[] src = {(byte) 192, 0, 2, 2};
  private final byte[] dst = {(byte) 192, 0, 2, 1};
  private int keyId = 0x1baf6011;

  /** IPv4 (16-byte input) from an AddressPair. */
  @Benchmark
  public int sessionKeyIpv4() {
    return keyId = md5.nextKeyId(Fixtures.CLIENT_TO_SERVER_V4, keyId | 0x10000, Fixtures.COOKIE);
  }

  /** IPv6 (40-byte input). */
  @Benchmark
  public int sessionKeyIpv6() {
    return keyId = md5.nextKeyId(Fixtures.CLIENT_TO_SERVER_V6, keyId | 0x10000, Fixtures.COOKIE);
  }

  /** IPv4 from raw address arrays. */
  @Benchmark
  public int sessionKeyIpv4Raw() {
    return keyId = md5.nextKeyId(src, dst, keyId | 0x10000, Fixtures.COOKIE);
  }
}
