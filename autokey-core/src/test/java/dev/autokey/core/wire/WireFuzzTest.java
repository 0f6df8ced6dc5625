package dev.autokey.core.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test of the packet decoder. In {@code ./mvnw verify} it runs in regression mode over
 * the seeds in {@code src/test/resources/dev/autokey/core/wire/WireFuzzTestInputs/decode/} (every
 * captured ntpd payload plus crafted bad inputs); with {@code JAZZER_FUZZ=1} it fuzzes (see the
 * docs/wire.md, "Wire codec").
 */
class WireFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void decode(byte[] input) {
    WireFuzzTarget.fuzzerTestOneInput(input);
  }
}
