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
 * known to work (docs/testing.md §R3), plus the one repair ntpd needs for IFF: ntp-keygen's exported
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

  /**
   * GQ ({@code -G -b 512}) with the server key and client parameter file rewritten so that the
   * OpenSSL-1.1 GQ code of ntpd 4.2.8p15 reads u, b where it looks for them (e = u and d = b in
   * the server key, d = b in the client file; docs/protocol.md §9.4, docs/testing.md §R7.5).
   */
  public static NtpKeygenKeys gqRepaired() {
    return new NtpKeygenKeys(Scheme.GQ, true);
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
      case GQ -> "ntp-keygen, gqkey+gqpar repaired";
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
      case GQ -> {
        ref.keygen(c.serverKeys(), c.log(), "-p", c.serverPassword(), "-T", "-G", "-b", "512",
            "-i", c.group(), "-s", c.serverHost());
        String target =
            Files.readSymbolicLink(c.serverKeys().resolve("ntpkey_gqkey_" + c.serverHost()))
                .toString();
        c.link(c.serverKeys(), "ntpkey_gqkey_" + c.group(), target);
        String stock =
            ref.keygen(c.serverKeys(), c.log(), "-p", c.serverPassword(), "-e", "-i", c.group(),
                    "-s", c.serverHost())
                .output();
        Files.writeString(c.exported().resolve("gqpar.ntp-keygen"), stock);
        String serverKey =
            repairedGqFile(Files.readString(c.serverKeys().resolve(target)), c.serverPassword(),
                true);
        Files.writeString(c.serverKeys().resolve(target + ".repaired"), serverKey);
        c.link(c.serverKeys(), "ntpkey_gqkey_" + c.group(), target + ".repaired");
        c.note("+ server/keys/" + target + ".repaired: e = u, d = b (unencrypted PKCS#8)");
        String par = repairedGqFile(stock, null, false);
        Files.writeString(c.exported().resolve("gqpar.repaired"), par);
        c.note("+ gqpar repaired: d = b");
        c.installNamed(par, c.clientKeys());
        ref.keygen(c.clientKeys(), c.log(), "-p", c.clientPassword(), "-i", c.group(), "-s",
            c.clientHost());
      }
      default -> throw new UnsupportedOperationException(scheme + " with ntp-keygen files");
    }
  }

  /**
   * A GQ file of ntp-keygen (RSA key fields n, e = b, d = 1, p = u, q = v, 1, 1, 1; encrypted
   * PKCS#8 when {@code password} is set, else plain PKCS#8) rewritten for ntpd 4.2.8p15: the
   * server key with fields (n, u, b, u, v, 1, 1, 1), the client parameters with (n, b, b, 1, 1, 1,
   * 1, 1); written as unencrypted PKCS#8 ({@code PRIVATE KEY}) under the same two header lines.
   */
  static String repairedGqFile(String text, String password, boolean server) throws Exception {
    String header = text.substring(0, text.indexOf("-----BEGIN"));
    Object pem;
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      pem = parser.readObject();
    }
    PrivateKeyInfo info;
    if (pem instanceof PKCS8EncryptedPrivateKeyInfo enc) {
      info = enc.decryptPrivateKeyInfo(
          new JceOpenSSLPKCS8DecryptorProviderBuilder()
              .setProvider(new BouncyCastleProvider())
              .build(password.toCharArray()));
    } else if (pem instanceof PrivateKeyInfo plain) {
      info = plain;
    } else {
      throw new IOException("expected a PKCS#8 key, got " + pem);
    }
    // raw fields: ntp-keygen's RSA keys are deliberately inconsistent, so no key factory here
    org.bouncycastle.asn1.ASN1Sequence seq =
        org.bouncycastle.asn1.ASN1Sequence.getInstance(info.parsePrivateKey());
    BigInteger[] f = new BigInteger[seq.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ASN1Integer.getInstance(seq.getObjectAt(i)).getValue();
    }
    if (f.length != 9) {
      throw new IOException("RSAPrivateKey with " + f.length + " fields");
    }
    BigInteger n = f[1];
    BigInteger e = f[2];
    BigInteger p = f[4];
    BigInteger q = f[5];
    BigInteger one = BigInteger.ONE;
    BigInteger[] out;
    if (server) {
      BigInteger b = e;
      BigInteger u = p;
      BigInteger v = q;
      if (!u.modInverse(n).modPow(b, n).equals(v)) {
        throw new IOException("not a GQ server key (v != (u^-1)^b mod n)");
      }
      out = new BigInteger[] {BigInteger.ZERO, n, u, b, u, v, one, one, one};
    } else {
      if (!p.equals(one) || !q.equals(one)) {
        throw new IOException("not a GQ parameter file (p, q != 1)");
      }
      out = new BigInteger[] {BigInteger.ZERO, n, e, e, one, one, one, one, one};
    }
    ASN1EncodableVector v = new ASN1EncodableVector();
    for (BigInteger x : out) {
      v.add(new ASN1Integer(x));
    }
    PrivateKeyInfo repaired =
        new PrivateKeyInfo(
            new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption,
                org.bouncycastle.asn1.DERNull.INSTANCE),
            new DERSequence(v));
    StringWriter sw = new StringWriter();
    try (PemWriter w = new PemWriter(sw)) {
      w.writeObject(new PemObject("PRIVATE KEY", repaired.getEncoded("DER")));
    }
    return header + sw;
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
