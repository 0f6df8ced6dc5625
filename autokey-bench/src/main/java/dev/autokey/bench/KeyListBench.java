package dev.autokey.bench;

import dev.autokey.core.keys.KeyList;
import dev.autokey.core.keys.KeyListParameters;
import dev.autokey.core.keys.SessionKeyEngine;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** make_keylist with ntpd's defaults (poll 16 s, automax 12): 100 keys, MD5, IPv4. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyListBench {
  private final SessionKeyEngine md5 = SessionKeyEngine.md5();
  private final SecureRandom random = new SecureRandom();
  private final KeyListParameters parameters = KeyListParameters.forPoll(4);

  /** One 100-key list (100 session keys, the random first ID, the list array). */
  @Benchmark
  public KeyList keyList100() {
    return KeyList.generate(md5, Fixtures.CLIENT_TO_SERVER_V4, Fixtures.COOKIE, parameters, random);
  }
}
