package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.protocol.Association;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.CryptostatsFormatter;
import dev.autokey.core.protocol.NtpTime;
import dev.autokey.core.protocol.ProtocolEventListener;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.NtpHeader;
import dev.autokey.testing.TestData;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs the README's engine example; the README must contain exactly these lines. */
class ReadmeExampleTest {
  @Test
  void example() throws Exception {
    // README-EXAMPLE-BEGIN
    SecureRandom random = new SecureRandom();
    long now = NtpTime.ofUnixMillis(System.currentTimeMillis());
    long fs = NtpTime.seconds(now) - 60;
    AutokeyHost server = AutokeyHost.create(AutokeyConfig.defaults(),
        EphemeralHosts.trusted("server", fs, random).tcSuite(random), random,
        e -> System.out.println(CryptostatsFormatter.format(e)));
    AutokeyHost client = AutokeyHost.create(AutokeyConfig.defaults(),
        EphemeralHosts.ordinary("client", fs, random).tcSuite(random), random, ProtocolEventListener.NONE);
    server.setSynchronised(true, now);
    InetAddress sa = InetAddress.getByName("192.0.2.1");
    InetAddress ca = InetAddress.getByName("192.0.2.2");
    Association assoc = client.client(ca, sa, Optional.empty());
    Verdict v = null;
    for (int poll = 0; poll < 12; poll++, now += 16L << 32) {
      NtpHeader q = NtpHeader.builder().version(4).mode(3).poll(4).transmitTimestamp(now).build();
      byte[] request = assoc.prepareTransmit(q, now);          // header + next field + MAC
      NtpHeader r = NtpHeader.builder().version(4).mode(4).stratum(1).poll(4)
          .originTimestamp(now).receiveTimestamp(now).transmitTimestamp(now + 1).build();
      byte[] reply = server.responder().respond(request, 0, request.length, ca, sa, now, r)
          .datagram();                                          // stateless fast path
      v = assoc.receive(reply, 0, reply.length, sa, ca, now); // ACCEPTED = usable for time
      if (v.usableForTime() && assoc.allFlags()) {
        break;                                                // all flags, time usable
      }
    }
    // README-EXAMPLE-END
    assertTrue(assoc.allFlags() && v.usableForTime(), v.toString());
  }

  @Test
  void readmeShowsThisExample() throws Exception {
    String src = Files.readString(TestData.path("../autokey-crypto/src/test/java/dev/autokey/"
        + "crypto/suite/ReadmeExampleTest.java"), StandardCharsets.UTF_8);
    String body = src.substring(src.indexOf("// README-EXAMPLE-BEGIN\n") + 24,
        src.indexOf("    // README-EXAMPLE-END"));
    StringBuilder expect = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      expect.append(line.length() >= 4 ? line.substring(4) : line.strip()).append('\n');
    }
    String readme = Files.readString(TestData.path("../README.md"), StandardCharsets.UTF_8);
    String e = expect.toString().strip();
    assertTrue(readme.contains(e), "README must contain the example:\n" + e);
    long lines = e.lines().count();
    assertTrue(lines >= 15 && lines <= 25, lines + " lines");
  }
}
