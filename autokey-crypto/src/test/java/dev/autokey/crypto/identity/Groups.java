package dev.autokey.crypto.identity;

import java.security.SecureRandom;

/**
 * Identity groups generated once per test JVM from fixed seeds (so runs are reproducible and
 * fast): the sizes ntp-keygen uses by default (IFF p 512 / q 160, GQ n 512, MV 4 keys over a
 * 256-bit q), plus a second group of each scheme for "wrong group" cases.
 */
final class Groups {
  static final long FS = 4_004_337_936L;

  static final IffKey IFF = IffKey.generate(512, new SeededRandom(1), FS);
  static final IffKey IFF_OTHER = IffKey.generate(512, new SeededRandom(2), FS);
  static final GqKey GQ = GqKey.generate(512, new SeededRandom(3), FS);
  static final GqKey GQ_OTHER = GqKey.generate(512, new SeededRandom(4), FS);
  static final MvGroup MV = MvGroup.generate(4, 256, new SeededRandom(5), FS);
  static final MvGroup MV_OTHER = MvGroup.generate(4, 256, new SeededRandom(6), FS);

  private Groups() {}

  static SecureRandom random(long seed) {
    return new SeededRandom(seed);
  }
}
