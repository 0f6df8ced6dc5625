package dev.autokey.bench;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Raw MD5 of 16 and 64 bytes, the two digests of a per-packet verify (session key: 16 bytes in;
 * MAC: 16-byte key + 48-byte header), for comparison with {@code openssl speed -evp md5 -bytes 16}
 * and {@code -bytes 64}: the JDK's MessageDigest and BC's MD5Digest.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DigestBench {
  /** Input length. */
  @Param({"16", "64"})
  public int bytes;

  private MessageDigest jdk;
  private final MD5Digest bc = new MD5Digest();
  private byte[] in;
  private final byte[] out = new byte[16];

  /** Creates the digests and input. */
  @Setup
  public void setUp() throws Exception {
    jdk = MessageDigest.getInstance("MD5");
    in = new byte[bytes];
  }

  /** JDK MessageDigest MD5. */
  @Benchmark
  public byte[] md5Jdk() throws DigestException {
    jdk.update(in, 0, bytes);
    jdk.digest(out, 0, 16);
    return out;
  }

  /** Bouncy Castle MD5Digest. */
  @Benchmark
  public byte[] md5Bc() {
    bc.update(in, 0, bytes);
    bc.doFinal(out, 0);
    return out;
  }
}
