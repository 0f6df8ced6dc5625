package dev.autokey.interop;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.DSAParameter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Key folders made by the reference {@code ntp-keygen} 4.2.8p15 binary itself, with the commands
 * known to work (REFERENCE-LAB §3), plus the one repair ntpd needs for IFF: ntp-keygen's exported
 * IFF client parameter file is PKCS#8, which keeps only the private integer, so OpenSSL recomputes
 * the public value as g^1 = g and every identity check fails. The repaired file carries the same
 * (p, q, g) with the public value v = g^(q-b) mod p in OpenSSL's traditional {@code DSA PRIVATE
 * KEY} layout {@code SEQUENCE{0, p, q, g, v, 1}}, computed here from the server's IFF key file.
 */
public final class NtpKeygenKeys implements KeyMaterial {
  private final Scheme scheme;
  private final boolean repairIffParameters;

  private NtpKeygenKeys(Scheme scheme, boolean repair) {
    this.scheme = scheme;
    this.repairIffParameters = repair;
  }

  /** TC: trusted server certificate ({@code -T}), untrusted client (asks for SIGN). */
  public static NtpKeygenKeys tc() {
    return new NtpKeygenKeys(Scheme.TC, false);
  }

  /** IFF with the client parameter file repaired (keeps v). */
  public static NtpKeygenKeys iffRepaired() {
    return new NtpKeygenKeys(Scheme.IFF, true);
  }

  /** IFF exactly as ntp-keygen exports it: ntpd 4.2.8p15 cannot verify with it (control). */
  public static NtpKeygenKeys iffStock() {
    return new NtpKeygenKeys(Scheme.IFF, false);
  }

  @Override
  public Scheme scheme() {
    return scheme;
  }

  @Override
  public String description() {
    return switch (scheme) {
      case TC -> "ntp-keygen";
      case IFF -> repairIffParameters ? "ntp-keygen, iffpar repaired" : "ntp-keygen as exported";
      default -> "ntp-keygen";
    };
  }

  @Override
  public void write(KeyContext c) throws Exception {
    ReferenceNtpd ref = ReferenceNtpd.get();
    switch (scheme) {
      case TC -> {
        ref.keygen(c.serverKeys(), c.log(), "-p", c.serverPassword(), "-T", "-s", c.serverHost());
        ref.keygen(c.clientKeys(), c.log(), "-p", c.clientPassword(), "-s", c.clientHost());
      }
      case IFF -> {
        ref.keygen(c.serverKeys(), c.log(), "-p", c.serverPassword(), "-T", "-I", "-i", c.group(),
            "-s", c.serverHost());
        // ntp-keygen names the link after the host; ntpd (crypto ident G) and -e look it up by group
        String target =
            Files.readSymbolicLink(c.serverKeys().resolve("ntpkey_iffkey_" + c.serverHost()))
                .toString();
        c.link(c.serverKeys(), "ntpkey_iffkey_" + c.group(), target);
        String stock =
            ref.keygen(c.serverKeys(), c.log(), "-p", c.serverPassword(), "-e", "-i", c.group(),
                    "-s", c.serverHost())
                .output();
        Files.writeString(c.exported().resolve("iffpar.ntp-keygen"), stock);
        String par = stock;
        if (repairIffParameters) {
          par = repairedIffParameters(c.serverKeys().resolve(target), c.serverPassword());
          Files.writeString(c.exported().resolve("iffpar.repaired"), par);
          c.note("+ iffpar repaired from server/keys/" + target + " (v = g^(q-b) mod p kept)");
        }
        c.installNamed(par, c.clientKeys());
        ref.keygen(c.clientKeys(), c.log(), "-p", c.clientPassword(), "-i", c.group(), "-s",
            c.clientHost());
      }
      default -> throw new UnsupportedOperationException(scheme + " with ntp-keygen files");
    }
  }

  /**
   * The IFF client parameter file ntpd 4.2.8p15 can use, made from ntp-keygen's server IFF key
   * file (encrypted PKCS#8 DSA, private value b).
   */
  static String repairedIffParameters(Path serverIffKey, String password) throws Exception {
    String text = Files.readString(serverIffKey);
    String first = text.lines().findFirst().orElseThrow().replaceFirst("^#\\s*", "").trim();
    // ntpkey_IFFkey_<group>.<fs>
    int dot = first.lastIndexOf('.');
    String fs = first.substring(dot + 1);
    String group = first.substring("ntpkey_IFFkey_".length(), dot);
    Object pem;
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      pem = parser.readObject();
    }
    if (!(pem instanceof PKCS8EncryptedPrivateKeyInfo enc)) {
      throw new IOException(serverIffKey + ": expected an encrypted PKCS#8 key, got " + pem);
    }
    PrivateKeyInfo info =
        enc.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder()
                .setProvider(new BouncyCastleProvider())
                .build(password.toCharArray()));
    DSAParameter prm = DSAParameter.getInstance(info.getPrivateKeyAlgorithm().getParameters());
    BigInteger b = ASN1Integer.getInstance(info.parsePrivateKey()).getValue();
    BigInteger p = prm.getP();
    BigInteger q = prm.getQ();
    BigInteger g = prm.getG();
    BigInteger v = g.modPow(q.subtract(b), p);
    if (!g.modPow(b, p).multiply(v).mod(p).equals(BigInteger.ONE)) {
      throw new IOException(serverIffKey + ": g^b * v != 1 mod p");
    }
    ASN1EncodableVector seq = new ASN1EncodableVector();
    for (BigInteger x : new BigInteger[] {BigInteger.ZERO, p, q, g, v, BigInteger.ONE}) {
      seq.add(new ASN1Integer(x));
    }
    StringWriter sw = new StringWriter();
    try (PemWriter w = new PemWriter(sw)) {
      w.writeObject(new PemObject("DSA PRIVATE KEY", new DERSequence(seq).getEncoded("DER")));
    }
    String when =
        DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ROOT)
            .format(
                Instant.ofEpochSecond(Long.parseLong(fs) - 2_208_988_800L).atZone(ZoneOffset.UTC));
    return "# ntpkey_iffpar_" + group + "." + fs + "\n# " + when + "\n\n" + sw;
  }
}
