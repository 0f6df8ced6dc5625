package dev.autokey.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference ntpd 4.2.8p15 client and server with key folders written only by this library
 * ({@code KeyFolderWriter}, ntpd-usable flavour): for TC, IFF, GQ and MV the client must reach
 * CERT VRFY PROV COOK AUTO SIGN LEAP in client/server mode. The ntp-keygen flavour is the
 * control: with it ntpd lights CERT but never VRFY, as with ntp-keygen's own files.
 */
@Tag("interop")
class JavaKeyFolderInteropTest {
  static Stream<Arguments> ntpdUsableCases() {
    return Stream.of(
        Arguments.of("tc-java-v4", Scheme.TC),
        Arguments.of("iff-java-v4", Scheme.IFF),
        Arguments.of("gq-java-v4", Scheme.GQ),
        Arguments.of("mv-java-v4", Scheme.MV));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ntpdUsableCases")
  void ntpdCompletesWithJavaWrittenFolders(String name, Scheme scheme) throws Exception {
    PairResult r = NtpdPairCase.of(name, JavaKeyFolders.ntpdUsable(scheme))
        .authenticatedSamples(NtpdPairInteropTest.SAMPLES)
        .run();
    InteropReport.add(r);
    InteropReport.assertAllFlags(r, NtpdPairInteropTest.SAMPLES);
  }

  static Stream<Arguments> ntpKeygenFlavourCases() {
    return Stream.of(
        Arguments.of("iff-java-ntpkeygen-flavour-v4", Scheme.IFF),
        Arguments.of("gq-java-ntpkeygen-flavour-v4", Scheme.GQ));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ntpKeygenFlavourCases")
  void ntpKeygenFlavourFailsLikeNtpKeygen(String name, Scheme scheme) throws Exception {
    PairResult r = NtpdPairCase.of(name, JavaKeyFolders.ntpKeygenFlavour(scheme))
        .timeout(Duration.ofSeconds(40))
        .authenticatedSamples(0)
        .run();
    InteropReport.add(r);
    assertFalse(r.complete(), r.report());
    assertEquals(0, r.flags() & AutokeyFlags.VRFY, "VRFY lit\n" + r.report());
    assertTrue((r.flags() & AutokeyFlags.CERT) != 0, "CERT expected\n" + r.report());
  }
}
