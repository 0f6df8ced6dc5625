package dev.autokey.interop;

import dev.autokey.crypto.identity.GqKey;
import dev.autokey.crypto.identity.GqParameters;
import dev.autokey.crypto.identity.IdentityFileFlavour;
import dev.autokey.crypto.identity.IdentityFiles;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.identity.MvGroup;
import dev.autokey.crypto.internal.keygen.Filestamps;
import dev.autokey.crypto.internal.keygen.IdentityBlocks;
import dev.autokey.crypto.internal.keygen.Pbes2Parameters;
import dev.autokey.crypto.keygen.KeygenFile;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Identity key files (IFF, GQ, MV) written by our own code ({@code IdentityFiles}, ntpd-usable
 * flavour, values from {@code IffKey/GqKey/MvGroup.generate}); host keys and certificates still
 * by the reference ntp-keygen ({@code -T -i GROUP} on the server, {@code -i GROUP} on the
 * client), until our host-key and certificate writers exist.
 *
 * <p>GQ: the server certificate must carry our v in its subjectKeyIdentifier (the client takes v
 * from there), so our GQ key file is put in place before ntp-keygen makes the certificate, and
 * ntp-keygen reads it ("Using GQ keys"); the certificate's SKI is checked against v.
 *
 * <p>MV: ntpd's challenge-encoding defect (docs/protocol.md §9.6) fails about half of all MV
 * exchanges when p has 8k+1 bits, as with ntp-keygen's default 256-bit q; the group therefore
 * comes from {@code MvGroup.generateForNtpd} (p of 256 bits, under 1 % short challenges).
 */
public final class OurIdentityKeys implements KeyMaterial {
  private final Scheme scheme;

  private OurIdentityKeys(Scheme scheme) {
    if (scheme == Scheme.TC) {
      throw new IllegalArgumentException("TC has no identity files");
    }
    this.scheme = scheme;
  }

  /** Files for {@code scheme} (IFF, GQ or MV). */
  public static OurIdentityKeys of(Scheme scheme) {
    return new OurIdentityKeys(scheme);
  }

  @Override
  public Scheme scheme() {
    return scheme;
  }

  @Override
  public String description() {
    return "ours (identity, ntpd-usable); host key + cert: ntp-keygen";
  }

  @Override
  public void write(KeyContext c) throws Exception {
    ReferenceNtpd ref = ReferenceNtpd.get();
    SecureRandom rnd = new SecureRandom();
    long fs = Filestamps.ntpSeconds(Instant.now());
    char[] spw = c.serverPassword().toCharArray();
    String g = c.group();
    switch (scheme) {
      case IFF -> {
        IffKey key = IffKey.generate(IffKey.DEFAULT_P_BITS, rnd, fs);
        ref.keygen(c.serverKeys(), c.log(), "-p", c.serverPassword(), "-T", "-i", g, "-s",
            c.serverHost());
        install(c, c.serverKeys(), "iffkey", IdentityBlocks.file(IdentityFiles.IFF_GROUP_TYPE, g,
            fs, ZoneOffset.UTC, List.of(IdentityBlocks.iffKeyBlock(key, spw,
                Pbes2Parameters.ntpKeygenDefault(rnd)))));
        install(c, c.clientKeys(), "iffpar", IdentityBlocks.file("iffpar", g, fs, ZoneOffset.UTC,
            List.of(IdentityBlocks.iffParametersBlock(key.parameters(),
                IdentityFileFlavour.NTPD_USABLE))));
      }
      case GQ -> {
        GqKey key = GqKey.generate(GqKey.DEFAULT_N_BITS, rnd, fs);
        install(c, c.serverKeys(), "gqkey", IdentityBlocks.file(IdentityFiles.GQ_GROUP_TYPE, g, fs,
            ZoneOffset.UTC, List.of(IdentityBlocks.gqKeyBlock(key, IdentityFileFlavour.NTPD_USABLE,
                spw, Pbes2Parameters.ntpKeygenDefault(rnd)))));
        ref.keygen(c.serverKeys(), c.log(), "-p", c.serverPassword(), "-T", "-i", g, "-s",
            c.serverHost());
        checkGqCertificate(c.serverKeys().resolve("ntpkey_cert_" + c.serverHost()), key);
        install(c, c.clientKeys(), "gqpar", IdentityBlocks.file("gqpar", g, fs, ZoneOffset.UTC,
            List.of(IdentityBlocks.gqParametersBlock(key.parameters(),
                IdentityFileFlavour.NTPD_USABLE))));
      }
      case MV -> {
        MvGroup group = MvGroup.generateForNtpd(MvGroup.DEFAULT_KEYS, 256, rnd, fs);
        c.note("+ MV group (generateForNtpd): p of " + group.p().bitLength() + " bits; revoked key "
            + group.revokedKey());
        ref.keygen(c.serverKeys(), c.log(), "-p", c.serverPassword(), "-T", "-i", g, "-s",
            c.serverHost());
        install(c, c.serverKeys(), "mvkey", IdentityBlocks.file("mvkey", g, fs, ZoneOffset.UTC,
            List.of(IdentityBlocks.mvServerKeyBlock(group.serverKey(),
                IdentityFileFlavour.NTPD_USABLE, null, null))));
        install(c, c.clientKeys(), "mvpar", IdentityBlocks.file("mvpar", g, fs, ZoneOffset.UTC,
            List.of(IdentityBlocks.mvClientKeyBlock(group.clientKey(1),
                IdentityFileFlavour.NTPD_USABLE))));
      }
      default -> throw new IllegalStateException();
    }
    ref.keygen(c.clientKeys(), c.log(), "-p", c.clientPassword(), "-i", g, "-s", c.clientHost());
  }

  /** Writes {@code file} into {@code dir} plus the link {@code ntpkey_<kind>_<group>} to it. */
  private static void install(KeyContext c, Path dir, String kind, KeygenFile file)
      throws Exception {
    Path written = file.writeTo(dir);
    Files.copy(written, c.exported().resolve(dir.getParent().getFileName() + "-" + file.name()));
    c.link(dir, "ntpkey_" + kind + "_" + c.group(), file.name());
    c.note("+ ours: " + dir.getParent().getFileName() + "/keys/" + file.name());
  }

  private static void checkGqCertificate(Path cert, GqKey key) throws Exception {
    String pem = Files.readString(cert);
    String b64 = pem.substring(pem.indexOf("-----BEGIN CERTIFICATE-----") + 27,
        pem.indexOf("-----END CERTIFICATE-----")).replaceAll("\\s", "");
    X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(java.util.Base64.getDecoder().decode(b64)));
    byte[] ski = x.getExtensionValue("2.5.29.14");
    if (ski == null) {
      throw new IllegalStateException(cert + ": ntp-keygen did not put a GQ subjectKeyIdentifier"
          + " into the certificate (it did not read our GQ key)");
    }
    // getExtensionValue gives the DER of the extnValue OCTET STRING; its content is the SKI
    BigInteger v = GqParameters.publicValueFromSubjectKeyIdentifier(
        org.bouncycastle.asn1.ASN1OctetString.getInstance(ski).getOctets());
    if (!v.equals(key.v())) {
      throw new IllegalStateException(cert + ": subjectKeyIdentifier holds another v than ours");
    }
  }
}
