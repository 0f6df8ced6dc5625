package dev.autokey.crypto.identity;

import dev.autokey.core.XEvent;
import dev.autokey.crypto.internal.keygen.DsaKeyFields;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.PemBlock;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.PrivateKeyFields;
import dev.autokey.crypto.internal.keygen.RsaKeyFields;
import dev.autokey.crypto.keygen.KeygenException;
import dev.autokey.crypto.keygen.KeygenFile;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the IFF, GQ and MV key files (docs/keyfiles.md §6–§8) in the ntp-keygen envelope of
 * {@link KeygenFile}; the readers fit {@link dev.autokey.crypto.keygen.KeysDirectory.FileLoader},
 * as {@code BcCryptoSuite.fromKeysDirectory} uses them. {@link KeyFolderWriter} writes these files
 * (with the host keys and certificates around them) in either flavour.
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

  // ------------------------------------------------------------------ IFF

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
    List<PemBlock> blocks = KeygenFiles.blocks(file);
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

  private static DsaKeyFields dsa(KeygenFile file, char[] password, String what)
      throws KeygenException {
    return dsaBlock(file, KeygenFiles.firstBlock(file), password, what);
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
    PrivateKeyFields f = decode(KeygenFiles.firstBlock(file), password);
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
