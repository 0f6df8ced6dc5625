package dev.autokey.bench.identity;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.identity.IdentityChallenge;
import dev.autokey.core.identity.IdentityClient;
import dev.autokey.core.identity.IdentityServer;
import dev.autokey.crypto.identity.GqKey;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.identity.MvGroup;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full identity exchange (client challenge, server response, client verification) per
 * scheme and modulus size. {@code bits} is the size of the scheme modulus the exponentiations
 * run in: IFF p (q 160 bits below 2048, 256 bits at 2048), GQ n, MV q (p = 2q + 1 has one bit
 * more; 4 keys as {@code ntp-keygen -V 4}).
 *
 * <p>Modular exponentiations per exchange: IFF 3 (exponents of q's size), GQ 4 and MV 5
 * (exponents of the modulus size); {@link ModexpBench} times single ones, and
 * {@code autokey-bench/native/identity-baseline.sh} the same sizes with OpenSSL's BN.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdentityExchangeBench {
  /** Scheme. */
  @Param({"IFF", "GQ", "MV"})
  public String scheme;

  /** Modulus size in bits. */
  @Param({"512", "1024", "2048"})
  public int bits;

  private IdentityClient client;
  private IdentityServer server;
  private SecureRandom random;

  /** Generates the group once per trial (seeded, so every run uses the same numbers). */
  @Setup(Level.Trial)
  public void setUp() throws NoSuchAlgorithmException {
    SecureRandom gen = SecureRandom.getInstance("SHA1PRNG");
    gen.setSeed(("identity-bench-" + scheme + "-" + bits).getBytes(
        java.nio.charset.StandardCharsets.US_ASCII));
    long fs = 4_004_337_936L;
    switch (scheme) {
      case "IFF": {
        IffKey k = IffKey.generate(bits, gen, fs);
        client = k.parameters().client();
        server = k.server();
        break;
      }
      case "GQ": {
        GqKey k = GqKey.generate(bits, gen, fs);
        client = k.parameters().client(k.v());
        server = k.server();
        break;
      }
      case "MV": {
        MvGroup g = MvGroup.generate(4, bits, gen, fs);
        client = g.clientKey(1).client();
        server = g.serverKey().server();
        break;
      }
      default:
        throw new IllegalArgumentException(scheme);
    }
    random = SecureRandom.getInstance("DRBG");
  }

  /** Challenge, response and verification; returns the response so nothing is dead code. */
  @Benchmark
  public byte[] exchange() throws AutokeyException {
    IdentityChallenge c = client.challenge(random);
    byte[] response = server.respond(c.value(), random);
    client.verify(c, response, server.filestamp());
    return response;
  }
}
