package dev.autokey.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference ntpd client and server (client/server mode, poll 8 s) with key folders made by the
 * reference ntp-keygen: proves the harness on ntpd's known-good configurations, and that it
 * fails where ntpd fails (ntp-keygen's own IFF parameter file).
 */
@Tag("interop")
class NtpdPairInteropTest {
  static final int SAMPLES = 2;

  static Stream<Arguments> ntpKeygenCases() {
    return Stream.of(
        Arguments.of("tc-ntpkeygen-v4", NtpKeygenKeys.tc(), IpFamily.IPV4),
        Arguments.of("tc-ntpkeygen-v6", NtpKeygenKeys.tc(), IpFamily.IPV6),
        Arguments.of("iff-ntpkeygen-repaired-v4", NtpKeygenKeys.iffRepaired(), IpFamily.IPV4),
        Arguments.of("iff-ntpkeygen-repaired-v6", NtpKeygenKeys.iffRepaired(), IpFamily.IPV6),
        Arguments.of("gq-ntpkeygen-repaired-v4", NtpKeygenKeys.gqRepaired(), IpFamily.IPV4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ntpKeygenCases")
  void ntpdPairReachesAllFlags(String name, KeyMaterial keys, IpFamily family) throws Exception {
    PairResult r = NtpdPairCase.of(name, keys).family(family).authenticatedSamples(SAMPLES).run();
    InteropReport.add(r);
    InteropReport.assertAllFlags(r, SAMPLES);
  }

  static Stream<Arguments> ourIdentityCases() {
    return Stream.of(
        Arguments.of("iff-ouridentity-v4", OurIdentityKeys.of(Scheme.IFF), IpFamily.IPV4),
        // the counterpart of NetAutokeyInteropTest's iff-v6 cases in the run's combined table
        Arguments.of("iff-ouridentity-v6", OurIdentityKeys.of(Scheme.IFF), IpFamily.IPV6),
        Arguments.of("gq-ouridentity-v4", OurIdentityKeys.of(Scheme.GQ), IpFamily.IPV4),
        Arguments.of("gq-ouridentity-v6", OurIdentityKeys.of(Scheme.GQ), IpFamily.IPV6),
        Arguments.of("mv-ouridentity-v4", OurIdentityKeys.of(Scheme.MV), IpFamily.IPV4),
        Arguments.of("mv-ouridentity-v6", OurIdentityKeys.of(Scheme.MV), IpFamily.IPV6));
  }

  /** Key folders written entirely by our code ({@code KeyFolderWriter}) over IPv6. */
  static Stream<Arguments> javaFolderIpv6Cases() {
    return Stream.of(Scheme.values()).map(s -> Arguments.of(s.lower() + "-java-v6", s));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javaFolderIpv6Cases")
  void ntpdPairWithJavaWrittenFoldersOverIpv6(String name, Scheme scheme) throws Exception {
    PairResult r = NtpdPairCase.of(name, JavaKeyFolders.ntpdUsable(scheme))
        .family(IpFamily.IPV6).authenticatedSamples(SAMPLES).run();
    InteropReport.add(r);
    InteropReport.assertAllFlags(r, SAMPLES);
  }

  /** Identity files from our ntpd-usable writers (issue 5, point 3). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("ourIdentityCases")
  void ntpdPairWithOurIdentityFilesReachesAllFlags(String name, KeyMaterial keys,
      IpFamily family) throws Exception {
    PairResult r = NtpdPairCase.of(name, keys).family(family).authenticatedSamples(SAMPLES).run();
    InteropReport.add(r);
    InteropReport.assertAllFlags(r, SAMPLES);
  }

  /** Session digest SHA1 ({@code crypto digest SHA1} on both): 20-octet MACs on the wire. */
  @org.junit.jupiter.api.Test
  void ntpdPairWithSha1SessionDigest() throws Exception {
    PairResult r = NtpdPairCase.of("tc-ntpkeygen-sha1-v4", NtpKeygenKeys.tc()).digest("SHA1")
        .authenticatedSamples(SAMPLES).run();
    InteropReport.add(r);
    InteropReport.assertAllFlags(r, SAMPLES);
    assertEquals(java.util.Set.of(20), r.capture().digestLengths(), r.report());
  }

  /** The control: the judge must be able to say no. ntpd cannot verify IFF with these files. */
  @Test
  void stockIffParametersAreRejectedByNtpd() throws Exception {
    PairResult r =
        NtpdPairCase.of("iff-ntpkeygen-stock-v4", NtpKeygenKeys.iffStock())
            .timeout(Duration.ofSeconds(40))
            .authenticatedSamples(0)
            .run();
    InteropReport.add(r);
    assertFalse(r.complete(), r.report());
    assertEquals(0, r.flags() & AutokeyFlags.VRFY, "VRFY lit with stock files\n" + r.report());
    assertTrue((r.flags() & AutokeyFlags.CERT) != 0, "CERT expected\n" + r.report());
    assertTrue(r.clientErrors().stream().anyMatch(l -> l.contains(" 10e ")) && r.clientChallengeDefect().isEmpty(),
        "expected XEVNT_ID (10e) lines in the client's cryptostats\n" + r.report());
  }
}
