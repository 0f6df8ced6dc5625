package dev.autokey.crypto.identity;

import dev.autokey.core.crypto.SignatureAlgorithm;
import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.crypto.NtpCertificates;
import dev.autokey.crypto.internal.keygen.Filestamps;
import dev.autokey.crypto.internal.keygen.IdentityBlocks;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.Pbes2Parameters;
import dev.autokey.crypto.internal.keygen.PemBlock;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.RsaKeyFields;
import dev.autokey.crypto.keygen.KeygenException;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.keygen.KeygenFileName;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

/**
 * Writes complete ntpd key folders ({@code keysdir}) for one identity scheme: for a server
 * host and for client hosts of one group, the files ntp-keygen would leave there, with the
 * identity files in the chosen {@link IdentityFileFlavour} (default {@link
 * IdentityFileFlavour#NTPD_USABLE}, with which ntpd 4.2.8p15 completes IFF, GQ and MV).
 *
 * <p>Server folder: {@code ntpkey_RSAhost_<host>.<fs>} (RSA host key, encrypted with the
 * password) and {@code ntpkey_RSA-MD5cert_<host>.<fs>} (self-signed, CN {@code host@group},
 * trustRoot EKU, for GQ the public value v in the subjectKeyIdentifier), links {@code
 * ntpkey_host_<host>} and {@code ntpkey_cert_<host>}; the identity server key as {@code
 * ntpkey_<IFF|GQ>key_<group>.<fs>} or {@code ntpkey_mvkey_<group>.<fs>} with the link ntpd opens
 * for {@code crypto ident <group>}: {@code ntpkey_iffkey_<group>}, {@code ntpkey_gqkey_<group>},
 * {@code ntpkey_mvkey_<group>}.
 *
 * <p>Client folder: host key and certificate the same way (CN {@code host@group}, no EKU), and the
 * parameter file {@code ntpkey_<iff|gq|mv>par_<group>.<fs>} with its link {@code
 * ntpkey_<iff|gq|mv>par_<group>}, which ntpd opens for {@code server … autokey ident <group>}.
 *
 * <p>The matching ntp.conf lines are {@code crypto pw <password> host <host> ident <group>} on
 * the server and {@code crypto pw <password> host <host>} plus {@code server <address> autokey
 * ident <group>} on the client ({@link #serverCryptoLine}, {@link #clientServerLine}).
 *
 * <p>The identity group is generated once, when the writer is built; every folder written by
 * one writer belongs to that group. Time (the filestamp: NTP seconds of {@link Builder#clock})
 * and randomness are injected.
 *
 * <p>Files are written by {@link KeygenFile#writeTo(Path, KeygenFile.Overwrite)}: certificates
 * get mode 0644, every other file (host keys, identity keys and parameters) 0600 from its
 * creation. An existing file of the same name is left alone and the write fails with a {@link
 * java.nio.file.FileAlreadyExistsException} unless {@link Builder#overwrite} asks for {@link
 * KeygenFile.Overwrite#REPLACE}; the links ({@code ntpkey_host_<host>}, …) replace existing
 * symbolic links but never a regular file of that name.
 *
 * <pre>{@code
 * KeyFolderWriter w = KeyFolderWriter.builder().scheme(IdentityScheme.IFF).group("labgroup")
 *     .random(new SecureRandom()).build();
 * w.writeServer(serverKeys, "server", "serverpw".toCharArray());
 * w.writeClient(clientKeys, "client", "clientpw".toCharArray());
 * }</pre>
 *
 * <p>Slightly over 400 lines: one builder and the writer of every file of a folder, kept
 * together so a folder is written in one place.
 */
public final class KeyFolderWriter {
  /** Largest GQ modulus whose v ntpd reads correctly from the certificate (docs/protocol.md §10.3: v shorter than 128 bytes). */
  public static final int MAX_NTPD_GQ_BITS = 1016;

  private final IdentityScheme scheme;
  private final String group;
  private final IdentityFileFlavour flavour;
  private final int hostKeyBits;
  private final int lifetimeDays;
  private final SecureRandom random;
  private final ZoneId zone;
  private final KeygenFile.Overwrite overwrite;
  private final long filestamp;
  private final IffKey iff;
  private final GqKey gq;
  private final MvGroup mv;

  private KeyFolderWriter(Builder b) {
    this.scheme = b.scheme;
    this.group = b.group;
    this.flavour = b.flavour;
    this.hostKeyBits = b.hostKeyBits;
    this.lifetimeDays = b.lifetimeDays;
    this.random = b.random;
    this.zone = b.zone;
    this.overwrite = b.overwrite;
    this.filestamp = Filestamps.ntpSeconds(b.clock.instant());
    int bits = b.identityBits;
    switch (scheme) {
      case IFF:
        iff = IffKey.generate(bits == 0 ? IffKey.DEFAULT_P_BITS : bits, random, filestamp);
        gq = null;
        mv = null;
        break;
      case GQ:
        iff = null;
        gq = GqKey.generate(bits == 0 ? GqKey.DEFAULT_N_BITS : bits, random, filestamp);
        mv = null;
        break;
      case MV:
        iff = null;
        gq = null;
        mv = flavour == IdentityFileFlavour.NTPD_USABLE
            ? MvGroup.generateForNtpd(b.mvKeys, bits == 0 ? 256 : bits, random, filestamp)
            : MvGroup.generate(b.mvKeys, bits == 0 ? MvGroup.DEFAULT_MODULUS_BITS : bits, random,
                filestamp);
        break;
      default:
        iff = null;
        gq = null;
        mv = null;
    }
  }

  /** A builder; {@link Builder#scheme} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The scheme (TC, IFF, GQ or MV). */
  public IdentityScheme scheme() {
    return scheme;
  }

  /** The group name, or null (TC without a group). */
  public String group() {
    return group;
  }

  /** The filestamp of every file this writer writes (NTP seconds at build time). */
  public long filestamp() {
    return filestamp;
  }

  /** The ntp.conf crypto line of the server. */
  public String serverCryptoLine(String host, String password) {
    return "crypto pw " + password + " host " + host + (group == null ? "" : " ident " + group);
  }

  /** The ntp.conf line a client uses for the server at {@code address}. */
  public String clientServerLine(String address) {
    return "server " + address + " autokey"
        + (scheme.hasChallenge() ? " ident " + group : "");
  }

  /**
   * Writes the server folder (created if missing).
   *
   * @return the files and links written, in order
   * @throws java.nio.file.FileAlreadyExistsException a file of the same name is already there
   *     (with {@link KeygenFile.Overwrite#REFUSE}), or a non-link has a link's name
   */
  public List<Path> writeServer(Path keysDir, String host, char[] password) throws IOException {
    List<Path> out = new ArrayList<>();
    BigInteger gqV = gq == null ? null : gq.v();
    writeHost(keysDir, host, password, NtpCertificates.Kind.TRUST_ROOT, gqV, out);
    switch (scheme) {
      case IFF:
        out.add(IdentityBlocks.file(IdentityFiles.IFF_GROUP_TYPE, group, filestamp, zone,
            List.of(IdentityBlocks.iffKeyBlock(iff, password, encryption())))
            .writeTo(keysDir, overwrite));
        out.add(link(keysDir, "iffkey", out.get(out.size() - 1)));
        break;
      case GQ:
        out.add(IdentityBlocks.file(IdentityFiles.GQ_GROUP_TYPE, group, filestamp, zone,
            List.of(IdentityBlocks.gqKeyBlock(gq, flavour, password, encryption())))
            .writeTo(keysDir, overwrite));
        out.add(link(keysDir, "gqkey", out.get(out.size() - 1)));
        break;
      case MV: {
        Path f = IdentityBlocks.file("mvkey", group, filestamp, zone, List.of(
            IdentityBlocks.mvServerKeyBlock(mv.serverKey(), flavour, password, encryption())))
            .writeTo(keysDir, overwrite); // 0600: unencrypted secret in the traditional layout
        out.add(f);
        out.add(link(keysDir, "mvkey", f));
        break;
      }
      default:
        break;
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Writes a client folder (created if missing). For MV, client {@code j} gets the group's
   * client key j (1-based; key n is revoked, as ntp-keygen does); {@link #writeClient(Path,
   * String, char[])} uses key 1 like {@code ntp-keygen -e}.
   *
   * @return the files and links written, in order
   * @throws java.nio.file.FileAlreadyExistsException a file of the same name is already there
   *     (with {@link KeygenFile.Overwrite#REFUSE}), or a non-link has a link's name
   */
  public List<Path> writeClient(Path keysDir, String host, char[] password, int mvKey)
      throws IOException {
    List<Path> out = new ArrayList<>();
    writeHost(keysDir, host, password, NtpCertificates.Kind.ORDINARY, null, out);
    PemBlock par;
    String type;
    switch (scheme) {
      case IFF:
        par = IdentityBlocks.iffParametersBlock(iff.parameters(), flavour);
        type = "iffpar";
        break;
      case GQ:
        par = IdentityBlocks.gqParametersBlock(gq.parameters(), flavour);
        type = "gqpar";
        break;
      case MV:
        par = IdentityBlocks.mvClientKeyBlock(mv.clientKey(mvKey), flavour);
        type = "mvpar";
        break;
      default:
        return Collections.unmodifiableList(out);
    }
    // 0600 (not a certificate); for MV, x̄ and x̂ are the client's secret
    Path f = IdentityBlocks.file(type, group, filestamp, zone, List.of(par))
        .writeTo(keysDir, overwrite);
    out.add(f);
    out.add(link(keysDir, type, f));
    return Collections.unmodifiableList(out);
  }

  /** {@link #writeClient(Path, String, char[], int)} with MV client key 1. */
  public List<Path> writeClient(Path keysDir, String host, char[] password) throws IOException {
    return writeClient(keysDir, host, password, 1);
  }

  private void writeHost(Path dir, String host, char[] password, NtpCertificates.Kind kind,
      BigInteger gqV, List<Path> out) throws IOException {
    Files.createDirectories(dir);
    RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
    gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), random, hostKeyBits, 80));
    AsymmetricCipherKeyPair pair = gen.generateKeyPair();
    RSAPrivateCrtKeyParameters k = (RSAPrivateCrtKeyParameters) pair.getPrivate();
    RsaKeyFields host0 = new RsaKeyFields(k.getModulus(), k.getPublicExponent(), k.getExponent(),
        k.getP(), k.getQ(), k.getDP(), k.getDQ(), k.getQInv());
    KeygenFile hostFile = KeygenFiles.create(KeygenFileName.of("RSAhost", host, filestamp),
        Filestamps.instant(filestamp), zone,
        List.of(PrivateKeyBlocks.encrypted(host0, password, encryption())));
    Path hf = hostFile.writeTo(dir, overwrite);
    out.add(hf);
    out.add(KeygenFile.link(dir, KeygenFileName.link("host", host), hf.getFileName().toString()));
    String cn = group == null ? host : host + "@" + group;
    byte[] cert;
    try {
      cert = NtpCertificates.selfSigned(
          new NtpCertificates.Spec(cn, BigInteger.valueOf(filestamp), filestamp, lifetimeDays,
              kind, gqV == null ? null : IdentityMath.magnitude(gqV), host0.toJcaPublicKey()),
          host0.toJcaPrivateKey(), SignatureAlgorithm.RSA_MD5, random);
    } catch (KeygenException e) {
      throw new IllegalStateException("generated RSA key refused: " + e.getMessage(), e);
    }
    String certType = KeygenFileName.certificateType(SignatureAlgorithm.RSA_MD5.opensslName());
    Path cf = KeygenFiles.create(KeygenFileName.of(certType, host, filestamp),
        Filestamps.instant(filestamp), zone,
        List.of(new PemBlock(PemBlock.CERTIFICATE, cert))).writeTo(dir, overwrite);
    out.add(cf);
    out.add(KeygenFile.link(dir, KeygenFileName.link("cert", host), cf.getFileName().toString()));
  }

  private Path link(Path dir, String role, Path target) throws IOException {
    return KeygenFile.link(dir, KeygenFileName.link(role, group), target.getFileName().toString());
  }

  private Pbes2Parameters encryption() {
    return Pbes2Parameters.ntpKeygenDefault(random);
  }

  /** Options of a {@link KeyFolderWriter}. */
  public static final class Builder {
    private IdentityScheme scheme;
    private String group;
    private IdentityFileFlavour flavour = IdentityFileFlavour.NTPD_USABLE;
    private int identityBits;
    private int mvKeys = MvGroup.DEFAULT_KEYS;
    private int hostKeyBits = 512;
    private int lifetimeDays = NtpCertificates.DEFAULT_LIFETIME_DAYS;
    private SecureRandom random;
    private Clock clock = Clock.systemUTC();
    private ZoneId zone = ZoneOffset.UTC;
    private KeygenFile.Overwrite overwrite = KeygenFile.Overwrite.REFUSE;

    private Builder() {}

    /** TC (no identity files), IFF, GQ or MV. PC is not supported (private certificates). */
    public Builder scheme(IdentityScheme scheme) {
      this.scheme = Objects.requireNonNull(scheme, "scheme");
      return this;
    }

    /** The group name ({@code ident}); required for IFF, GQ and MV, optional for TC. */
    public Builder group(String group) {
      this.group = group;
      return this;
    }

    /** File flavour of the identity files (default {@link IdentityFileFlavour#NTPD_USABLE}). */
    public Builder flavour(IdentityFileFlavour flavour) {
      this.flavour = Objects.requireNonNull(flavour, "flavour");
      return this;
    }

    /**
     * Identity modulus size: IFF p (default 512), GQ n (default 512; at most {@value
     * #MAX_NTPD_GQ_BITS} for the ntpd-usable flavour); MV: for the ntpd-usable flavour the size
     * of p, a multiple of 8 (default 256, see {@link MvGroup#generateForNtpd}), for the
     * ntp-keygen flavour the size of q as {@code ntp-keygen -b} (default 256, p gets 257 bits).
     */
    public Builder identityBits(int bits) {
      this.identityBits = bits;
      return this;
    }

    /** MV: number of keys (default 4; key n is revoked, so n − 1 clients). */
    public Builder mvKeys(int keys) {
      this.mvKeys = keys;
      return this;
    }

    /** RSA host key size (default 512, ntp-keygen's). */
    public Builder hostKeyBits(int bits) {
      this.hostKeyBits = bits;
      return this;
    }

    /** Certificate lifetime in days (default 365). */
    public Builder lifetimeDays(int days) {
      this.lifetimeDays = days;
      return this;
    }

    /** Source of all randomness (required). */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Clock for the filestamp (default the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Time zone of the files' date line (default UTC; ntp-keygen uses the local zone). */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * What to do when a key or certificate file of the same name is already in the folder
     * (default {@link KeygenFile.Overwrite#REFUSE}: the write fails and the file stays; {@link
     * KeygenFile.Overwrite#REPLACE} replaces it without widening its mode).
     */
    public Builder overwrite(KeygenFile.Overwrite overwrite) {
      this.overwrite = Objects.requireNonNull(overwrite, "overwrite");
      return this;
    }

    /**
     * Generates the identity group and returns the writer.
     *
     * @throws IllegalArgumentException for a missing scheme, random or group, PC, or a GQ
     *     modulus ntpd cannot use in the ntpd-usable flavour
     */
    public KeyFolderWriter build() {
      if (scheme == null || random == null) {
        throw new IllegalArgumentException("scheme and random are required");
      }
      if (scheme == IdentityScheme.PC) {
        throw new IllegalArgumentException("PC (private certificates) is not written by this tool");
      }
      if (scheme.hasChallenge() && (group == null || group.isEmpty())) {
        throw new IllegalArgumentException(scheme + " needs a group name");
      }
      if (group != null) {
        KeygenFileName.link("x", group); // validates the name
      }
      if (scheme == IdentityScheme.GQ && flavour == IdentityFileFlavour.NTPD_USABLE
          && identityBits > MAX_NTPD_GQ_BITS) {
        throw new IllegalArgumentException("GQ modulus " + identityBits + " bits: ntpd 4.2.8p15 "
            + "misreads a public value of 128 bytes or more from the certificate; use at most "
            + MAX_NTPD_GQ_BITS);
      }
      if (hostKeyBits < 512 || hostKeyBits > 4096) {
        throw new IllegalArgumentException("host key size " + hostKeyBits + ": use 512..4096");
      }
      return new KeyFolderWriter(this);
    }
  }
}
