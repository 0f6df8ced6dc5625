package dev.autokey.crypto.modes;

import dev.autokey.crypto.identity.GqKey;
import dev.autokey.crypto.identity.IdentityFileFlavour;
import dev.autokey.crypto.identity.IdentityFiles;
import dev.autokey.crypto.identity.IffKey;
import dev.autokey.crypto.internal.keygen.Filestamps;
import dev.autokey.crypto.internal.keygen.IdentityBlocks;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.Pbes2Parameters;
import dev.autokey.crypto.internal.keygen.PemBlock;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.RsaKeyFields;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.keygen.KeygenFileName;
import dev.autokey.crypto.suite.EphemeralHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes keys directories as the mission's ntp-keygen commands would (file names, links,
 * PKCS#8 PBES2 encryption with the given password), through our keygen-file writers, so that
 * the scenario tests read them back with {@code BcCryptoSuite.fromKeysDirectory}.
 */
final class KeyFolders {
  private KeyFolders() {}

  private static Path write(Path dir, String type, String owner, long fs, List<PemBlock> blocks,
      String link) throws Exception {
    KeygenFile f = KeygenFiles.create(KeygenFileName.of(type, owner, fs), Filestamps.instant(fs),
        ZoneOffset.UTC, blocks);
    Path p = f.writeTo(dir);
    if (link != null) {
      KeygenFile.link(dir, link, p.getFileName().toString());
    }
    return p;
  }

  /**
   * {@code ntp-keygen [-p pw] [-T]}: the RSA host key ({@code ntpkey_RSAhost_<host>}, encrypted
   * with {@code pw}) and the certificate ({@code ntpkey_RSA-MD5cert_<host>}), with their links.
   */
  static void host(Path dir, String linkHost, EphemeralHosts.Host h, char[] pw, SecureRandom r)
      throws Exception {
    Files.createDirectories(dir);
    PemBlock key = PrivateKeyBlocks.encrypted(RsaKeyFields.of(h.hostKey()), pw,
        Pbes2Parameters.ntpKeygenDefault(r));
    write(dir, "RSAhost", linkHost, h.filestamp(), List.of(key),
        KeygenFileName.link(KeygenFileName.HOST, linkHost));
    write(dir, "RSA-MD5cert", linkHost, h.filestamp(),
        List.of(new PemBlock(PemBlock.CERTIFICATE, h.certificate())),
        KeygenFileName.link(KeygenFileName.CERT, linkHost));
  }

  /** {@code -G -i group}: the GQ server key file, encrypted with {@code pw}, and its link. */
  static Path gqKey(Path dir, String group, GqKey k, char[] pw, SecureRandom r) throws Exception {
    return write(dir, IdentityFiles.GQ_GROUP_TYPE, group, k.filestamp(),
        List.of(IdentityBlocks.gqKeyBlock(k, IdentityFileFlavour.NTPD_USABLE, pw,
            Pbes2Parameters.ntpKeygenDefault(r))),
        KeygenFileName.link(KeygenFileName.GQKEY, group));
  }

  /** {@code -I -i group}: the IFF server key file, encrypted with {@code pw}, and its link. */
  static Path iffKey(Path dir, String group, IffKey k, char[] pw, SecureRandom r)
      throws Exception {
    return write(dir, IdentityFiles.IFF_GROUP_TYPE, group, k.filestamp(),
        List.of(IdentityBlocks.iffKeyBlock(k, pw, Pbes2Parameters.ntpKeygenDefault(r))),
        KeygenFileName.link(KeygenFileName.IFFKEY, group));
  }

  /**
   * {@code -e}: the client parameters, installed "with the name from the first line, without the
   * filestamp" ({@code ntpkey_gqpar_<group>}).
   */
  static void gqPar(Path dir, String group, GqKey k) throws Exception {
    install(dir, "gqpar", group, k.filestamp(),
        IdentityBlocks.gqParametersBlock(k.parameters(), IdentityFileFlavour.NTPD_USABLE));
  }

  /** {@code -e} for IFF ({@code ntpkey_iffpar_<group>}). */
  static void iffPar(Path dir, String group, IffKey k) throws Exception {
    install(dir, "iffpar", group, k.filestamp(),
        IdentityBlocks.iffParametersBlock(k.parameters(), IdentityFileFlavour.NTPD_USABLE));
  }

  private static void install(Path dir, String type, String group, long fs, PemBlock block)
      throws Exception {
    Files.createDirectories(dir);
    KeygenFile f = KeygenFiles.create(KeygenFileName.of(type, group, fs), Filestamps.instant(fs),
        ZoneOffset.UTC, List.of(block));
    Files.write(dir.resolve(KeygenFileName.PREFIX + type + "_" + group), f.toBytes());
  }
}
