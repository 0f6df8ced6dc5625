package dev.autokey.crypto.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.protocol.AutokeyConfig;
import dev.autokey.core.protocol.AutokeyHost;
import dev.autokey.core.protocol.ProtocolEvent;
import dev.autokey.core.protocol.Verdict;
import dev.autokey.core.wire.AutokeyPacket;
import dev.autokey.core.wire.ExtensionField;
import dev.autokey.core.wire.HostStatus.Flag;
import dev.autokey.core.wire.Opcode;
import dev.autokey.core.wire.PacketCodec;
import dev.autokey.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Security finding 7 (DSA sign keys refused): a real {@code ntp-keygen -S DSA} key folder loads
 * with {@link BcCryptoSuite#fromKeysDirectory}, and a DSA-signing server built from it takes a
 * client through the whole exchange, every signature it sends having the one length ntpd accepts.
 */
class DsaSignKeyTest {
  static final CryptoPolicy LEGACY = CryptoPolicy.legacy(CryptoWarningListener.IGNORE);
  /** {@code ntp-keygen -S DSA -m 1024 -c RSA-SHA256 -T}: trusted, DSA key, dsa_with_SHA256. */
  static final Path DSA_SHA256 = TestData.path("keygen/dsa-sign-sha256");
  static final String DSA_SHA256_HOST = "ntp6.shared.test";
  static final char[] DSA_SHA256_PW = "Dsa-Pass9".toCharArray();
  static final long DSA_SHA256_FS = 4005670589L;
  /** {@code ntp-keygen -S DSA -c RSA-SHA1} (512 bits, ordinary certificate). */
  static final Path DSA_SHA1 = TestData.path("keygen/dsa-sign");
  static final String DSA_SHA1_HOST = "ntp4.shared.test";
  static final char[] DSA_SHA1_PW = "Dsa-Pass7".toCharArray();
  /** EVP_PKEY_size of the 160-bit-q DSA keys: the only signature length ntpd accepts. */
  static final int NTPD_LENGTH = 48;
  static final int SEEDS = 30;

  static BcCryptoSuite dsaSha256Suite(long seed) throws Exception {
    return BcCryptoSuite.fromKeysDirectory(DSA_SHA256, DSA_SHA256_HOST, null, DSA_SHA256_PW,
        List.of(), LEGACY, Scenarios.rng(seed));
  }

  @Test
  void ntpKeygenDsaFoldersLoad() throws Exception {
    for (long seed = 1; seed <= SEEDS; seed++) {
      BcCryptoSuite s = dsaSha256Suite(seed);
      assertEquals(SignatureAlgorithm.DSA_SHA256, s.signer().algorithm(), "seed " + seed);
      assertEquals(NTPD_LENGTH, s.signer().signatureLength());
      assertEquals(DSA_SHA256_HOST, s.hostCertificate().subject());
      assertTrue(s.hostCertificate().trusted());
      BcCryptoSuite old = BcCryptoSuite.fromKeysDirectory(DSA_SHA1, DSA_SHA1_HOST, null,
          DSA_SHA1_PW, List.of(), LEGACY, Scenarios.rng(1000 + seed));
      assertEquals(SignatureAlgorithm.DSA_SHA1, old.signer().algorithm(), "seed " + seed);
      assertEquals(NTPD_LENGTH, old.signer().signatureLength());
    }
  }

  @Test
  void dsaSigningServerTakesClientsToAllFlags() throws Exception {
    long start = DSA_SHA256_FS + 3600; // the certificate is valid from its filestamp on
    int signedFields = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      Scenarios.Events events = new Scenarios.Events();
      AutokeyHost server = AutokeyHost.create(AutokeyConfig.defaults(), dsaSha256Suite(seed),
          Scenarios.rng(seed + 100), events);
      // odd seeds: a generated RSA client; even seeds: the other ntp-keygen -S DSA host, so the
      // server also signs a certificate whose own signature is DSA
      BcCryptoSuite clientSuite = seed % 2 == 1
          ? EphemeralHosts.ordinary("client", start - 1000, Scenarios.rng(seed + 200))
              .tcSuite(Scenarios.rng(seed + 300))
          : BcCryptoSuite.fromKeysDirectory(DSA_SHA1, DSA_SHA1_HOST, null, DSA_SHA1_PW,
              List.of(), LEGACY, Scenarios.rng(seed + 300));
      AutokeyHost client = AutokeyHost.create(AutokeyConfig.defaults(), clientSuite,
          Scenarios.rng(seed + 400), events);
      AttackTest.Rig r = new AttackTest.Rig(server, client, Optional.empty(), start);
      Set<Opcode> signed = new TreeSet<>();
      int polls = 0;
      int afterAll = 0;
      while (afterAll < 10) {
        assertTrue(++polls <= 40, "seed " + seed + ": flags " + Long.toHexString(r.a.flags()));
        byte[] reply = r.reply(r.request());
        AutokeyPacket p = PacketCodec.ntpd().decode(reply);
        for (ExtensionField f : p.fields()) {
          if (f.isValueForm() && f.signatureLength() > 0) {
            // ntpd's crypto_verify length rule: exactly EVP_PKEY_size of the signer's key
            assertEquals(NTPD_LENGTH, f.signatureLength(), "seed " + seed + ": " + f);
            signedFields++;
            signed.add(f.opcode());
          }
        }
        Verdict v = r.deliver(reply);
        assertTrue(v.kind() != Verdict.Kind.REJECTED, "seed " + seed + ": " + v);
        if (r.a.isProventic() && !client.isSynchronised()) {
          client.setSynchronised(true, r.now);
        }
        if (r.a.allFlags()) {
          afterAll++;
        }
      }
      for (Flag f : new Flag[] {Flag.CERT, Flag.VRFY, Flag.PROV, Flag.COOK, Flag.AUTO,
          Flag.SIGN, Flag.LEAP}) {
        assertTrue(r.a.has(f), "seed " + seed + ": " + f);
      }
      // every signed response the server sends in client/server mode, each with 48 bytes
      assertEquals(Set.of(Opcode.CERT, Opcode.COOK, Opcode.SIGN, Opcode.LEAP), signed,
          "seed " + seed);
      long sd = seed;
      assertEquals(0, events.count(ProtocolEvent.Type.ERROR),
          () -> "seed " + sd + ": " + events.all);
      assertEquals(0, events.count(ProtocolEvent.Type.RESTART), "seed " + seed);
    }
    System.out.println("DSA server: " + SEEDS + " clients reached all flags; " + signedFields
        + " signed fields, all " + NTPD_LENGTH + " bytes");
    assertTrue(signedFields >= SEEDS * 4, "signed fields " + signedFields);
  }
}
