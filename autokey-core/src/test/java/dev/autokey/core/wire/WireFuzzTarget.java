package dev.autokey.core.wire;

/**
 * The decoder fuzz target, also usable by Jazzer's standalone driver ({@code
 * com.code_intelligence.jazzer.Jazzer --target_class=dev.autokey.core.wire.WireFuzzTarget}).
 */
public final class WireFuzzTarget {
  private static final PacketCodec LOWERED = PacketCodec.withLimits(DecodeLimits.builder()
      .maxDatagramLength(1000).maxFieldLength(512).maxFields(3).maxValueLength(200)
      .maxSignatureLength(64).build());

  private WireFuzzTarget() {}

  /** One fuzz input: anything but {@link MalformedPacketException} escaping is a finding. */
  public static void fuzzerTestOneInput(byte[] input) {
    WireExercise.run(PacketCodec.ntpd(), input);
    WireExercise.run(LOWERED, input);
  }
}
