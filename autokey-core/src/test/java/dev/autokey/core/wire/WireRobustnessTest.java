package dev.autokey.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.PropertyCheck;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 100,000+ random and mutated byte strings: only {@link MalformedPacketException} ever escapes,
 * and every accepted input re-encodes to itself.
 */
class WireRobustnessTest {
  private static final int CASES = 120_000;

  @Test
  void randomAndMutatedInputsOnlyEverRaiseTheTypedException() {
    run(CASES);
  }

  /** The same property with 5,000,000 cases, for {@code ./mvnw verify -Pfuzz}. */
  @Test
  @Tag("fuzz-long")
  void longRun() {
    run(5_000_000);
  }

  private static void run(int cases) {
    List<byte[]> seeds = Captures.allPayloads();
    PacketCodec lowered = PacketCodec.withLimits(DecodeLimits.builder().maxDatagramLength(1000)
        .maxFieldLength(512).maxFields(3).maxValueLength(200).maxSignatureLength(64).build());
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger mutated = new AtomicInteger();
    int n = PropertyCheck.cases(cases).check("decoder robustness", g -> {
      byte[] input;
      int kind = g.intBetween(0, 9);
      if (kind < 6) {
        input = g.mutate(g.pick(seeds));
        mutated.incrementAndGet();
      } else if (kind < 8) {
        input = g.mutate(PacketCodec.ntpd().encode(WireGen.packet(g)));
        mutated.incrementAndGet();
      } else if (kind == 8) {
        input = g.bytes(0, 2200);
      } else {
        // structured noise: a header and random words with small length fields
        input = new byte[48 + 4 * g.intBetween(0, 40)];
        for (int i = 48; i + 4 <= input.length; i += 4) {
          int w = g.anyInt();
          if (g.bool()) {
            w = (w & 0xFFFF0000) | (4 * g.intBetween(0, 12));
          }
          input[i] = (byte) (w >>> 24);
          input[i + 1] = (byte) (w >>> 16);
          input[i + 2] = (byte) (w >>> 8);
          input[i + 3] = (byte) w;
        }
      }
      if (WireExercise.run(PacketCodec.ntpd(), input)) {
        accepted.incrementAndGet();
      }
      WireExercise.run(lowered, input);
    });
    System.out.println("[wire] robustness: " + n + " inputs (" + mutated.get() + " mutated), "
        + accepted.get() + " accepted and re-encoded identically, the rest rejected with "
        + "MalformedPacketException");
    assertEquals(Integer.getInteger("autokey.cases", cases).intValue(), n);
    assertTrue(accepted.get() > n / 20, "mutations should often stay valid: " + accepted);
    assertTrue(accepted.get() < n, "some inputs must be rejected");
  }
}
