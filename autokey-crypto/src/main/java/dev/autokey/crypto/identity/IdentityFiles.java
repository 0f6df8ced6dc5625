package dev.autokey.crypto.identity;

import dev.autokey.core.XEvent;
import dev.autokey.crypto.keygen.DsaKeyFields;
import dev.autokey.crypto.keygen.Filestamps;
import dev.autokey.crypto.keygen.KeygenException;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.keygen.KeygenFileName;
import dev.autokey.crypto.keygen.Pbes2Parameters;
import dev.autokey.crypto.keygen.PemBlock;
import dev.autokey.crypto.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.keygen.PrivateKeyFields;
import dev.autokey.crypto.keygen.RsaKeyFields;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reading and writing the IFF, GQ and MV key files (docs/keyfiles.md §6–§8) on top of the
 * ntp-keygen envelope of {@code dev.autokey.crypto.keygen}.
 *
 * <p>Readers accept both {@link IdentityFileFlavour flavours}. Where an ntp-keygen file lost a
 * public value, a reader recomputes it if the file holds the secret it derives from (IFF: v from
 * the group key b), and otherwise fails with a {@link KeygenException} ({@link XEvent#ID},
 * reason {@code MALFORMED_CONTENT}) naming the missing value.
 *
 * <p>Field layout:
 *
 * <table>
 *   <caption>What each file holds</caption>
 *   <tr><th>file</th><th>ntp-keygen</th><th>ntpd-usable</th></tr>
 *   <tr><td>IFF server key</td><td>PKCS#8 DSA p, q, g, x = b</td><td>same</td></tr>
 *   <tr><td>IFF client parameters</td><td>PKCS#8 DSA p, q, g, x = 1 (v lost)</td>
 *       <td>traditional DSA {0, p, q, g, y = v, x = 1}</td></tr>
 *   <tr><td>GQ server key</td><td>RSA {n, e = b, d = 1, p = u, q = v, 1, 1, 1}</td>
 *       <td>RSA {n, e = u, d = b, p = u, q = v, 1, 1, 1}</td></tr>
 *   <tr><td>GQ client parameters</td><td>RSA {n, e = b, d = 1, 1, 1, 1, 1, 1}</td>
 *       <td>RSA {n, e = b, d = b, 1, 1, 1, 1, 1}</td></tr>
 *   <tr><td>MV server key</td><td>PKCS#8 DSA p, q, g = E, x = ḡ (ĝ lost)</td>
 *       <td>traditional DSA {0, p, q, E, y = ĝ, x = ḡ}</td></tr>
 *   <tr><td>MV client key</td><td>PKCS#8 DSA p, 1, 1, x = x̄ (x̂ lost)</td>
 *       <td>traditional DSA {0, p, 1, 1, y = x̂, x = x̄}</td></tr>
 *   <tr><td>MV trusted authority</td><td>n + 2 PKCS#8 blocks (b, ĝ, x̂ lost)</td>
 *       <td>n + 2 traditional blocks: {p, q, g, y = b, x = A}, server, clients</td></tr>
 * </table>
 */
public final class IdentityFiles {
  private IdentityFiles() {}

  // ------------------------------------------------------------------ file names

  /** ntp-keygen's group-file type for IFF ({@code ntpkey_IFFkey_<group>.<fs>}). */
  public static final String IFF_GROUP_TYPE = "IFFkey";
  /** ntp-keygen's group-file type for GQ ({@code ntpkey_GQkey_<group>.<fs>}). */
  public static final String GQ_GROUP_TYPE = "GQkey";
  /** ntp-keygen's trusted-authority file type for MV ({@code ntpkey_MVta_<group>.<fs>}). */
  public static final String MV_TA_TYPE = "MVta";

  /**
   * A file of the given type for a group: line 1 {@code # ntpkey_<type>_<group>.<filestamp>},
   * line 2 the ctime of the filestamp in {@code zone} (ntp-keygen dates its files at the
   * generation time, which is also the filestamp), then the blocks.
   */
  public static KeygenFile file(
      String type, String group, long filestamp, ZoneId zone, List<PemBlock> blocks) {
    return KeygenFile.create(
        KeygenFileName.of(type, group, filestamp), Filestamps.instant(filestamp), zone, blocks);
  }

  // ------------------------------------------------------------------ IFF

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

  /** Reads an IFF server key file (either flavour). */
  public static IffKey readIffKey(KeygenFile file, char[] password) throws KeygenException {
    DsaKeyFields f = dsa(file, password, "IFF server key");
    if (f.x().equals(BigInteger.ONE)) {
      throw content(file, "IFF server key: the private field is 1, the placeholder of a client "
          + "parameter file; the group key b is not in this file");
    }
    return build(file, () -> IffKey.of(f.p(), f.q(), f.g(), f.x(), file.filestamp()));
  }

  /**
   * Reads IFF client parameters: a traditional block with the public value (ntpd-usable, or the
   * lab's repaired file), or an ntp-keygen server key file (v recomputed from b). An ntp-keygen
   * {@code -e} export (PKCS#8 with x = 1) fails: it does not contain v.
   *
   * @param password for an encrypted server key file; may be null
   */
  public static IffParameters readIffParameters(KeygenFile file, char[] password)
      throws KeygenException {
    DsaKeyFields f = dsa(file, password, "IFF parameters");
    build(file, () -> {
      IffKey.checkGroup(f.p(), f.q(), f.g());
      return f;
    });
    BigInteger v;
    if (!f.x().equals(BigInteger.ONE)) {
      // the file holds the group key b (a server key file): v is recomputed from it
      BigInteger b = f.x();
      if (b.signum() <= 0 || b.compareTo(f.q()) >= 0) {
        throw content(file, "IFF parameters: the group key b is not in [1, q)");
      }
      v = f.g().modPow(f.q().subtract(b), f.p());
      if (f.storedPublic().isPresent()) {
        BigInteger y = f.storedPublic().get();
        if (!y.equals(v) && !y.equals(f.g().modPow(b, f.p()))) {
          throw content(file, "IFF parameters: the stored public value is neither g^(q-b) nor "
              + "g^b; the file is inconsistent");
        }
      }
    } else if (f.storedPublic().isPresent() && !f.storedPublic().get().equals(f.g())) {
      v = f.storedPublic().get();
    } else {
      throw content(file, "IFF parameters: the public value v is missing (ntp-keygen's PKCS#8 "
          + "export keeps only the placeholder x = 1, and OpenSSL would use v = g); write the "
          + "parameters from the server key file with the ntpd-usable flavour");
    }
    return build(file, () -> IffParameters.of(f.p(), f.q(), f.g(), v, file.filestamp()));
  }

  // ------------------------------------------------------------------ GQ

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

  /** Reads a GQ server key file of either flavour (told apart by the d field). */
  public static GqKey readGqKey(KeygenFile file, char[] password) throws KeygenException {
    RsaKeyFields f = rsa(file, password, "GQ server key");
    BigInteger one = BigInteger.ONE;
    if (f.p().equals(one) || f.q().equals(one)) {
      throw content(file, "GQ server key: the private key u and public key v fields are 1; "
          + "this is a client parameter file");
    }
    BigInteger b;
    if (f.d().equals(one)) {
      b = f.e(); // ntp-keygen: e = b
    } else if (f.e().equals(f.p())) {
      b = f.d(); // ntpd-usable: e = u, d = b
    } else {
      throw content(file, "GQ server key: neither layout (d = 1 with e = b, or e = u with "
          + "d = b) matches");
    }
    return build(file, () -> GqKey.of(f.n(), b, f.p(), f.q(), file.filestamp()));
  }

  /**
   * Reads GQ client parameters (n, b) from a parameter file of either flavour, or from a server
   * key file.
   *
   * @param password for an encrypted server key file; may be null
   */
  public static GqParameters readGqParameters(KeygenFile file, char[] password)
      throws KeygenException {
    RsaKeyFields f = rsa(file, password, "GQ parameters");
    BigInteger one = BigInteger.ONE;
    if (!f.p().equals(one) || !f.q().equals(one)) {
      return readGqKey(file, password).parameters();
    }
    if (!f.d().equals(one) && !f.d().equals(f.e())) {
      throw content(file, "GQ parameters: d is neither 1 (ntp-keygen) nor b = e (ntpd-usable)");
    }
    return build(file, () -> GqParameters.of(f.n(), f.e(), file.filestamp()));
  }

  // ------------------------------------------------------------------ MV

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

  /** Reads an MV server key file; fails naming ĝ for ntp-keygen's PKCS#8 file. */
  public static MvServerKey readMvServerKey(KeygenFile file, char[] password)
      throws KeygenException {
    DsaKeyFields f = dsa(file, password, "MV server key");
    return mvServer(file, f);
  }

  private static MvServerKey mvServer(KeygenFile file, DsaKeyFields f) throws KeygenException {
    if (f.storedPublic().isEmpty()) {
      throw content(file, "MV server key: the partial decryption key ghat is missing (ntp-keygen "
          + "writes PKCS#8, which stores no public value, and it cannot be recomputed from E and "
          + "gbar); regenerate the group and write the ntpd-usable flavour");
    }
    BigInteger ghat = f.storedPublic().get();
    build(file, () -> {
      IdentityMath.checkModulus("MV p", f.p(), 16);
      return f;
    });
    if (ghat.equals(f.g().modPow(f.x(), f.p()))) {
      throw content(file, "MV server key: the stored public value is E^gbar, the value OpenSSL "
          + "recomputes for a PKCS#8 key, not ghat; ghat is missing");
    }
    return build(file, () -> MvServerKey.of(
        f.p(), f.q(), f.g(), f.x(), ghat, file.filestamp()));
  }

  /** Reads an MV client key file; fails naming x̂ for ntp-keygen's PKCS#8 file. */
  public static MvClientKey readMvClientKey(KeygenFile file, char[] password)
      throws KeygenException {
    return mvClient(file, dsa(file, password, "MV client key"));
  }

  private static MvClientKey mvClient(KeygenFile file, DsaKeyFields f) throws KeygenException {
    if (f.storedPublic().isEmpty() || f.storedPublic().get().equals(BigInteger.ONE)) {
      throw content(file, "MV client key: the private key xhat is missing (ntp-keygen writes "
          + "PKCS#8, which stores no public value; OpenSSL would use 1^xbar = 1); regenerate the "
          + "group and write the ntpd-usable flavour");
    }
    return build(file, () -> MvClientKey.of(
        f.p(), f.x(), f.storedPublic().get(), file.filestamp()));
  }

  /** Reads a whole MV trusted-authority file (ntpd-usable flavour; ntp-keygen's lost b). */
  public static MvGroup readMvGroup(KeygenFile file, char[] password) throws KeygenException {
    List<PemBlock> blocks = file.blocks();
    if (blocks.size() < 3 || blocks.size() > MvGroup.MAX_KEYS + 2) {
      throw content(file, "MV trusted-authority file has " + blocks.size()
          + " blocks, expected n + 2 with 1 <= n <= " + MvGroup.MAX_KEYS);
    }
    DsaKeyFields ta = dsaBlock(file, blocks.get(0), password, "MV trusted authority");
    if (ta.storedPublic().isEmpty()) {
      throw content(file, "MV trusted authority: the group key b is missing (ntp-keygen writes "
          + "PKCS#8, which stores no public value)");
    }
    MvServerKey server = mvServer(file, dsaBlock(file, blocks.get(1), password, "MV server"));
    List<MvClientKey> clients = new ArrayList<>();
    for (int i = 2; i < blocks.size(); i++) {
      clients.add(mvClient(file, dsaBlock(file, blocks.get(i), password, "MV client")));
    }
    return build(file, () -> MvGroup.of(ta.p(), ta.q(), ta.g(), ta.x(), ta.storedPublic().get(),
        server, clients));
  }

  // ------------------------------------------------------------------ helpers

  private static PemBlock privateBlock(
      PrivateKeyFields f, char[] password, Pbes2Parameters encryption) {
    if (password == null) {
      return PrivateKeyBlocks.plain(f);
    }
    return PrivateKeyBlocks.encrypted(f, password, Objects.requireNonNull(encryption,
        "encryption parameters are required with a password"));
  }

  private static DsaKeyFields dsa(KeygenFile file, char[] password, String what)
      throws KeygenException {
    return dsaBlock(file, file.firstBlock(), password, what);
  }

  private static DsaKeyFields dsaBlock(KeygenFile file, PemBlock block, char[] password,
      String what) throws KeygenException {
    PrivateKeyFields f = decode(block, password);
    if (!(f instanceof DsaKeyFields)) {
      throw content(file, what + ": expected a DSA-structured key, found RSA");
    }
    return (DsaKeyFields) f;
  }

  private static RsaKeyFields rsa(KeygenFile file, char[] password, String what)
      throws KeygenException {
    PrivateKeyFields f = decode(file.firstBlock(), password);
    if (!(f instanceof RsaKeyFields)) {
      throw content(file, what + ": expected an RSA-structured key, found DSA");
    }
    return (RsaKeyFields) f;
  }

  private static PrivateKeyFields decode(PemBlock block, char[] password)
      throws KeygenException {
    try {
      return PrivateKeyBlocks.decode(block, password);
    } catch (KeygenException e) {
      throw e.withEvent(XEvent.ID);
    }
  }

  private interface Maker<T> {
    T make();
  }

  private static <T> T build(KeygenFile file, Maker<T> m) throws KeygenException {
    try {
      return m.make();
    } catch (IllegalArgumentException e) {
      throw new KeygenException(XEvent.ID, KeygenException.Reason.MALFORMED_CONTENT,
          file.name() + ": " + e.getMessage(), e);
    }
  }

  private static KeygenException content(KeygenFile file, String message) {
    return new KeygenException(XEvent.ID, KeygenException.Reason.MALFORMED_CONTENT,
        file.name() + ": " + message);
  }
}
