package dev.autokey.crypto.identity;

/**
 * The two layouts of identity key files this library writes (it reads both).
 *
 * <p>ntp-keygen 4.2.8p15 keeps the identity values in "cuckoo" OpenSSL DSA and RSA keys and
 * saves them as PKCS#8. That loses values and meets an ntpd defect:
 *
 * <ul>
 *   <li>PKCS#8 stores only the private integer of a DSA key; OpenSSL recomputes the public one as
 *       g^x when it loads the file. The IFF public value v, the MV group key b, ĝ and every x̂ⱼ
 *       are therefore lost, and ntpd's IFF and MV clients always fail with them.
 *   <li>ntpd 4.2.8p9 and later read the GQ values with {@code RSA_get0_key()}, which returns
 *       (n, e, d): the server takes u from the e field and b from the d field, the client takes b
 *       from the d field. ntp-keygen stores u in p, b in e and d = 1, so GQ never verifies.
 * </ul>
 */
public enum IdentityFileFlavour {
  /**
   * Byte-for-byte what ntp-keygen 4.2.8p15 writes (PKCS#8 everywhere, GQ: e = b, d = 1, p = u,
   * q = v). For matching existing deployments; with these files ntpd 4.2.8p15 cannot complete
   * IFF, GQ or MV.
   */
  NTP_KEYGEN,
  /**
   * Files real ntpd 4.2.8p15 can use (the default): IFF client parameters and all MV files as
   * traditional {@code DSA PRIVATE KEY} blocks, which keep the public value (v, ĝ, x̂ⱼ, b); GQ
   * server key with e = u and d = b (p = u and q = v kept), GQ client parameters with d = b.
   * IFF and GQ server keys stay encrypted PKCS#8; traditional blocks are written unencrypted
   * (mode 0600 for the secret MV server and trusted-authority files).
   */
  NTPD_USABLE
}
