package dev.autokey.crypto.keygen;

import static dev.autokey.crypto.internal.keygen.KeygenErrors.shown;

import dev.autokey.crypto.internal.keygen.KeygenErrors;
import java.util.Objects;

/**
 * An ntp-keygen file name {@code ntpkey_<type>_<owner>.<filestamp>} and the link names ntpd opens.
 *
 * <p>{@code type} is e.g. {@code RSAhost}, {@code RSAsign}, {@code DSAsign}, {@code RSA-MD5cert},
 * {@code IFFkey}, {@code GQkey}, {@code MVta}, {@code iffpar}, {@code gqkey}, {@code MD5key};
 * {@code owner} is the host name (keys, certificates) or the group name (identity and symmetric
 * key files); {@code filestamp} is NTP seconds as an unsigned 32-bit number.
 *
 * <p>Links (ntp-keygen's symlinks, which ntpd opens) carry no filestamp: {@code ntpkey_host_H},
 * {@code ntpkey_sign_H}, {@code ntpkey_cert_H}, {@code ntpkey_iffkey_I}, {@code ntpkey_gqkey_I},
 * {@code ntpkey_mvkey_I}, {@code ntpkey_iffpar_G}, {@code ntpkey_gqpar_G}, {@code ntpkey_mvpar_G},
 * {@code ntpkey_mvta_H}, and {@code ntp.keys}.
 *
 * @param type the type part, non-empty, without {@code _}
 * @param owner the host or group name, non-empty, without {@code /}, NUL or line breaks
 * @param filestamp NTP seconds, 0..2<sup>32</sup>−1
 */
public record KeygenFileName(String type, String owner, long filestamp) {
  /** Prefix of every ntp-keygen file and link. */
  public static final String PREFIX = "ntpkey_";
  /** The symmetric keys link ntp-keygen {@code -M} creates. */
  public static final String SYMMETRIC_KEYS_LINK = "ntp.keys";
  /** Link role of the host key: {@code ntpkey_host_<host>}. */
  public static final String HOST = "host";
  /** Link role of the sign key: {@code ntpkey_sign_<host>}. */
  public static final String SIGN = "sign";
  /** Link role of the certificate: {@code ntpkey_cert_<host>}. */
  public static final String CERT = "cert";
  /** Link role / export type of the IFF server keys. */
  public static final String IFFKEY = "iffkey";
  /** Link role / export type of the GQ server keys. */
  public static final String GQKEY = "gqkey";
  /** Link role / export type of the MV server keys. */
  public static final String MVKEY = "mvkey";
  /** Link role of the MV trusted-authority file (named after the host by ntp-keygen). */
  public static final String MVTA = "mvta";
  /** Link role / export type of the IFF client parameters. */
  public static final String IFFPAR = "iffpar";
  /** Link role / export type of the GQ client parameters. */
  public static final String GQPAR = "gqpar";
  /** Link role / export type of the MV client parameters. */
  public static final String MVPAR = "mvpar";

  /** Longest file name accepted (a Linux NAME_MAX). */
  public static final int MAX_NAME_LENGTH = 255;

  private static final long MAX_FILESTAMP = 0xFFFF_FFFFL;

  /** Validates the parts. */
  public KeygenFileName {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(owner, "owner");
    if (type.isEmpty() || type.indexOf('_') >= 0 || !cleanName(type)) {
      throw new IllegalArgumentException("bad ntp-keygen file type: '" + type + "'");
    }
    if (owner.isEmpty() || !cleanName(owner)) {
      throw new IllegalArgumentException("bad ntp-keygen owner name: '" + owner + "'");
    }
    if (filestamp < 0 || filestamp > MAX_FILESTAMP) {
      throw new IllegalArgumentException("filestamp out of 32-bit range: " + filestamp);
    }
  }

  /** The name of a file of the given type and owner. */
  public static KeygenFileName of(String type, String owner, long filestamp) {
    return new KeygenFileName(type, owner, filestamp);
  }

  /** The certificate file type for an OpenSSL digest short name, e.g. {@code RSA-MD5cert}. */
  public static String certificateType(String digestName) {
    return digestName + "cert";
  }

  /**
   * Parses {@code ntpkey_<type>_<owner>.<filestamp>}: type up to the second {@code _}, filestamp
   * after the last {@code .}.
   *
   * @throws KeygenException ({@link KeygenException.Reason#MALFORMED_HEADER}) naming the problem
   */
  public static KeygenFileName parse(String fileName) throws KeygenException {
    Objects.requireNonNull(fileName, "fileName");
    if (fileName.length() > MAX_NAME_LENGTH) {
      throw KeygenErrors.header(
          "file name length " + fileName.length() + " exceeds " + MAX_NAME_LENGTH);
    }
    if (!fileName.startsWith(PREFIX)) {
      throw KeygenErrors.header("'" + shown(fileName) + "' does not start with " + PREFIX);
    }
    int us = fileName.indexOf('_', PREFIX.length());
    int dot = fileName.lastIndexOf('.');
    if (us < 0 || dot < us + 2 || us == PREFIX.length()) {
      throw KeygenErrors.header(
          "'" + shown(fileName) + "' is not of the form ntpkey_<type>_<name>.<filestamp>");
    }
    long fs = parseFilestamp(fileName.substring(dot + 1), fileName);
    String type = fileName.substring(PREFIX.length(), us);
    String owner = fileName.substring(us + 1, dot);
    try {
      return new KeygenFileName(type, owner, fs);
    } catch (IllegalArgumentException e) {
      throw KeygenErrors.header(e.getMessage());
    }
  }

  /**
   * Parses a filestamp as ntpd does with {@code sscanf("%u")} after the last dot, but strictly:
   * 1 to 10 decimal digits, value at most 2<sup>32</sup>−1.
   */
  static long parseFilestamp(String digits, String context) throws KeygenException {
    if (digits.isEmpty() || digits.length() > 10) {
      throw KeygenErrors.header(
          "no filestamp (1..10 digits) after the last '.' in '" + shown(context) + "'");
    }
    long v = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw KeygenErrors.header(
            "filestamp '" + shown(digits) + "' is not decimal in '" + shown(context) + "'");
      }
      v = v * 10 + (c - '0');
    }
    if (v > MAX_FILESTAMP) {
      throw KeygenErrors.header("filestamp " + v + " exceeds 2^32-1 in '" + shown(context) + "'");
    }
    return v;
  }

  /** {@code ntpkey_<type>_<owner>.<filestamp>}. */
  public String fileName() {
    return PREFIX + type + "_" + owner + "." + filestamp;
  }

  /** {@code ntpkey_<role>_<name>}, the name ntpd opens. */
  public static String link(String role, String name) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(name, "name");
    if (role.isEmpty() || role.indexOf('_') >= 0 || !cleanName(role) || name.isEmpty()
        || !cleanName(name)) {
      throw new IllegalArgumentException("bad link role/name: '" + role + "', '" + name + "'");
    }
    return PREFIX + role + "_" + name;
  }

  @Override
  public String toString() {
    return fileName();
  }

  private static boolean cleanName(String s) {
    if (s.equals(".") || s.equals("..")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
