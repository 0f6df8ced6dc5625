package dev.autokey.crypto.internal.keygen;

import dev.autokey.crypto.identity.GqKey;
import dev.autokey.crypto.identity.GqParameters;
import dev.autokey.crypto.identity.IdentityFileFlavour;
import dev.autokey.crypto.identity.IdentityFiles;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.identity.IffParameters;
import dev.autokey.crypto.identity.MvClientKey;
import dev.autokey.crypto.identity.MvGroup;
import dev.autokey.crypto.identity.MvServerKey;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.keygen.KeygenFileName;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The PEM blocks of the IFF, GQ and MV key files in either {@link IdentityFileFlavour}, with the
 * field layouts of {@link IdentityFiles}, which reads them back; {@code KeyFolderWriter} writes
 * them into key folders.
 */
public final class IdentityBlocks {
  private IdentityBlocks() {}

  /**
   * A file of the given type for a group: line 1 {@code # ntpkey_<type>_<group>.<filestamp>},
   * line 2 the ctime of the filestamp in {@code zone} (ntp-keygen dates its files at the
   * generation time, which is also the filestamp), then the blocks.
   */
  public static KeygenFile file(
      String type, String group, long filestamp, ZoneId zone, List<PemBlock> blocks) {
    return KeygenFiles.create(
        KeygenFileName.of(type, group, filestamp), Filestamps.instant(filestamp), zone, blocks);
  }

  /**
   * The IFF server key block: PKCS#8 DSA {p, q, g, x = b}, encrypted when {@code password} is not
   * null (both flavours: ntpd's server needs only b).
   */
  public static PemBlock iffKeyBlock(IffKey key, char[] password, Pbes2Parameters encryption) {
    DsaKeyFields f = DsaKeyFields.of(key.p(), key.q(), key.g(), key.b());
    return privateBlock(f, password, encryption);
  }

  /**
   * The IFF client parameter block: ntp-keygen flavour PKCS#8 with x = 1 (v is lost, as in
   * ntp-keygen); ntpd-usable flavour traditional DSA with y = v and x = 1.
   */
  public static PemBlock iffParametersBlock(IffParameters params, IdentityFileFlavour flavour) {
    if (flavour == IdentityFileFlavour.NTP_KEYGEN) {
      return PrivateKeyBlocks.plain(
          DsaKeyFields.of(params.p(), params.q(), params.g(), BigInteger.ONE));
    }
    return PrivateKeyBlocks.traditional(
        new DsaKeyFields(params.p(), params.q(), params.g(), BigInteger.ONE, params.v()));
  }

  /**
   * The GQ server key block (RSA structure, PKCS#8, encrypted when {@code password} is not null):
   * ntp-keygen flavour {n, e = b, d = 1, p = u, q = v, 1, 1, 1}; ntpd-usable flavour {n, e = u,
   * d = b, p = u, q = v, 1, 1, 1}, where ntpd 4.2.8p9+ ({@code RSA_get0_key}) reads u and b.
   */
  public static PemBlock gqKeyBlock(GqKey key, IdentityFileFlavour flavour, char[] password,
      Pbes2Parameters encryption) {
    BigInteger one = BigInteger.ONE;
    RsaKeyFields f = flavour == IdentityFileFlavour.NTP_KEYGEN
        ? new RsaKeyFields(key.n(), key.b(), one, key.u(), key.v(), one, one, one)
        : new RsaKeyFields(key.n(), key.u(), key.b(), key.u(), key.v(), one, one, one);
    return privateBlock(f, password, encryption);
  }

  /**
   * The GQ client parameter block (unencrypted PKCS#8 RSA): ntp-keygen flavour {n, e = b, d = 1,
   * 1, 1, 1, 1, 1}; ntpd-usable flavour {n, e = b, d = b, 1, 1, 1, 1, 1}.
   */
  public static PemBlock gqParametersBlock(GqParameters params, IdentityFileFlavour flavour) {
    BigInteger one = BigInteger.ONE;
    BigInteger d = flavour == IdentityFileFlavour.NTP_KEYGEN ? one : params.b();
    return PrivateKeyBlocks.plain(
        new RsaKeyFields(params.n(), params.b(), d, one, one, one, one, one));
  }

  /**
   * The MV server key block: ntp-keygen flavour PKCS#8 DSA {p, q, g = E, x = ḡ} (ĝ lost),
   * encrypted when {@code password} is not null; ntpd-usable flavour traditional DSA
   * {0, p, q, E, y = ĝ, x = ḡ} (unencrypted: the traditional layout has no PBES2).
   */
  public static PemBlock mvServerKeyBlock(MvServerKey key, IdentityFileFlavour flavour,
      char[] password, Pbes2Parameters encryption) {
    if (flavour == IdentityFileFlavour.NTP_KEYGEN) {
      return privateBlock(DsaKeyFields.of(key.p(), key.q(), key.e(), key.gbar()), password,
          encryption);
    }
    return PrivateKeyBlocks.traditional(
        new DsaKeyFields(key.p(), key.q(), key.e(), key.gbar(), key.ghat()));
  }

  /**
   * The MV client key block (unencrypted): ntp-keygen flavour PKCS#8 DSA {p, 1, 1, x = x̄} (x̂
   * lost); ntpd-usable flavour traditional DSA {0, p, 1, 1, y = x̂, x = x̄}.
   */
  public static PemBlock mvClientKeyBlock(MvClientKey key, IdentityFileFlavour flavour) {
    BigInteger one = BigInteger.ONE;
    if (flavour == IdentityFileFlavour.NTP_KEYGEN) {
      return PrivateKeyBlocks.plain(DsaKeyFields.of(key.p(), one, one, key.xbar()));
    }
    return PrivateKeyBlocks.traditional(
        new DsaKeyFields(key.p(), one, one, key.xbar(), key.xhat()));
  }

  /**
   * The n + 2 blocks of the MV trusted-authority file: the authority {p, q, g, x = A, (y = b)},
   * the server block, then every client block. ntp-keygen flavour: PKCS#8, each encrypted with
   * fresh parameters from {@code random} when {@code password} is not null; ntpd-usable flavour:
   * traditional, unencrypted.
   */
  public static List<PemBlock> mvTrustedAuthorityBlocks(MvGroup group,
      IdentityFileFlavour flavour, char[] password, SecureRandom random) {
    List<PemBlock> out = new ArrayList<>();
    if (flavour == IdentityFileFlavour.NTP_KEYGEN) {
      out.add(privateBlock(DsaKeyFields.of(group.p(), group.q(), group.g(), group.a()), password,
          password == null ? null : Pbes2Parameters.ntpKeygenDefault(random)));
    } else {
      out.add(PrivateKeyBlocks.traditional(
          new DsaKeyFields(group.p(), group.q(), group.g(), group.a(), group.b())));
    }
    out.add(mvServerKeyBlock(group.serverKey(), flavour, password,
        password == null ? null : Pbes2Parameters.ntpKeygenDefault(random)));
    for (MvClientKey c : group.clientKeys()) {
      PemBlock b = mvClientKeyBlock(c, flavour);
      if (flavour == IdentityFileFlavour.NTP_KEYGEN && password != null) {
        b = PrivateKeyBlocks.encrypted(DsaKeyFields.of(c.p(), BigInteger.ONE, BigInteger.ONE,
            c.xbar()), password, Pbes2Parameters.ntpKeygenDefault(random));
      }
      out.add(b);
    }
    return out;
  }

  private static PemBlock privateBlock(
      PrivateKeyFields f, char[] password, Pbes2Parameters encryption) {
    if (password == null) {
      return PrivateKeyBlocks.plain(f);
    }
    return PrivateKeyBlocks.encrypted(f, password, Objects.requireNonNull(encryption,
        "encryption parameters are required with a password"));
  }
}
