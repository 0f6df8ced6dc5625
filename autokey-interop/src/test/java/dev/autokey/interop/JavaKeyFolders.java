package dev.autokey.interop;

import dev.autokey.core.identity.IdentityScheme;
import dev.autokey.crypto.identity.IdentityFileFlavour;
import dev.autokey.crypto.identity.KeyFolderWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/**
 * Key folders written entirely by this library ({@link KeyFolderWriter}: RSA host keys,
 * certificates, identity files in the ntpd-usable flavour), nothing from ntp-keygen.
 */
final class JavaKeyFolders implements KeyMaterial {
  private final Scheme scheme;
  private final IdentityFileFlavour flavour;

  private JavaKeyFolders(Scheme scheme, IdentityFileFlavour flavour) {
    this.scheme = scheme;
    this.flavour = flavour;
  }

  /** Folders for {@code scheme} with ntpd-usable identity files. */
  static JavaKeyFolders ntpdUsable(Scheme scheme) {
    return new JavaKeyFolders(scheme, IdentityFileFlavour.NTPD_USABLE);
  }

  /** Folders for {@code scheme} with identity files exactly as ntp-keygen writes them. */
  static JavaKeyFolders ntpKeygenFlavour(Scheme scheme) {
    return new JavaKeyFolders(scheme, IdentityFileFlavour.NTP_KEYGEN);
  }

  @Override
  public Scheme scheme() {
    return scheme;
  }

  @Override
  public String description() {
    return "autokey KeyFolderWriter, " + flavour.name().toLowerCase(java.util.Locale.ROOT)
        .replace('_', '-') + " flavour";
  }

  @Override
  public void write(KeyContext c) throws Exception {
    KeyFolderWriter w = KeyFolderWriter.builder()
        .scheme(IdentityScheme.valueOf(scheme.name()))
        .group(c.group())
        .flavour(flavour)
        .random(new SecureRandom())
        .build();
    List<Path> s = w.writeServer(c.serverKeys(), c.serverHost(), c.serverPassword().toCharArray());
    List<Path> k = w.writeClient(c.clientKeys(), c.clientHost(), c.clientPassword().toCharArray());
    c.note("+ KeyFolderWriter " + scheme + " " + flavour + " filestamp " + w.filestamp());
    for (Path p : s) {
      c.note("  server/keys/" + p.getFileName());
    }
    for (Path p : k) {
      c.note("  client/keys/" + p.getFileName());
    }
  }
}
