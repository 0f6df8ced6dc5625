package dev.autokey.crypto.keygen;

import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.CryptoWarning;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.crypto.SymmetricKey;
import dev.autokey.crypto.BcSymmetricMacs;
import dev.autokey.crypto.internal.keygen.Filestamps;
import dev.autokey.crypto.internal.keygen.KeygenErrors;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * ntpd's symmetric keys file ({@code ntp.keys}, {@code ntpkey_MD5key_<group>.<fs>}) with the
 * grammar of 4.2.8p15's {@code authreadkeys} (docs/keyfiles.md §10.2), and the file ntp-keygen
 * {@code -M} writes (§10.1).
 *
 * <p>Reading: tokens split at spaces/tabs, {@code #} ends a line (also inside a token); key ID
 * 1..65535; type: an OpenSSL digest short name (case-insensitive, {@code RSA-*} aliases mapped to
 * their digest), {@code AES128CMAC}, or anything else starting with {@code M}/{@code m} = MD5; an
 * unknown type skips that key (reported to the listener); key ≤ 20 characters = the characters,
 * &gt; 20 = hex, first 64 digits, an odd last digit dropped; optional comma-separated addresses
 * with {@code /prefix}. Any other error rejects the <em>whole file</em>, as ntpd does; the message
 * names the first error's line and the error count. A later line with the same key ID replaces an
 * earlier one.
 *
 * <p>Deviation: the key ID must be decimal digits only (ntpd's {@code atoi} would read
 * {@code 12x} as 12).
 */
public final class SymmetricKeysFile {
  /** Longest line read. */
  public static final int MAX_LINE = 1024;
  /** Most lines read. */
  public static final int MAX_LINES = 100_000;

  private static final Set<String> DIGESTS =
      Set.of("MD4", "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA512-224",
          "SHA512-256", "SHA3-224", "SHA3-256", "SHA3-384", "SHA3-512", "SHAKE128", "SHAKE256",
          "RIPEMD160", "SM3", "MD5-SHA1");
  private static final Map<String, String> ALIASES =
      Map.of("RSA-MD4", "MD4", "RSA-MD5", "MD5", "RSA-SHA1", "SHA1", "RSA-SHA224", "SHA224",
          "RSA-SHA256", "SHA256", "RSA-SHA384", "SHA384", "RSA-SHA512", "SHA512",
          "RSA-RIPEMD160", "RIPEMD160", "RSA-SHA1-2", "SHA1");

  private SymmetricKeysFile() {}

  /**
   * ntpd's {@code keytype_from_text}: the canonical type, or null when ntpd has no algorithm for
   * it (the key is skipped).
   */
  public static String canonicalType(String token) {
    String up = token.toUpperCase(Locale.ROOT);
    if (DIGESTS.contains(up)) {
      return up;
    }
    if (ALIASES.containsKey(up)) {
      return ALIASES.get(up);
    }
    if (up.equals(BcSymmetricMacs.AES128CMAC)) {
      return up;
    }
    if (!token.isEmpty() && (token.charAt(0) == 'm' || token.charAt(0) == 'M')) {
      return "MD5";
    }
    return null;
  }

  /**
   * Parses a keys file.
   *
   * @param content the file bytes
   * @param listener receives one warning per skipped key (unknown type)
   * @return the keys in file order (a repeated ID keeps its last definition, at its first place)
   * @throws KeygenException ({@link XEvent#LEN}, {@link KeygenException.Reason#MALFORMED_CONTENT})
   *     when ntpd would reject the file
   */
  public static List<SymmetricKey> parse(byte[] content, CryptoWarningListener listener)
      throws KeygenException {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(listener, "listener");
    if (content.length > KeygenFile.MAX_FILE_SIZE) {
      throw error("keys file of " + content.length + " bytes exceeds " + KeygenFile.MAX_FILE_SIZE);
    }
    String text = new String(content, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\n", -1);
    if (lines.length > MAX_LINES) {
      throw error("keys file has more than " + MAX_LINES + " lines");
    }
    Map<Integer, SymmetricKey> keys = new LinkedHashMap<>();
    int errors = 0;
    String first = null;
    for (int ln = 0; ln < lines.length; ln++) {
      String line = lines[ln];
      if (line.length() > MAX_LINE) {
        errors++;
        first = first == null ? "line " + (ln + 1) + ": longer than " + MAX_LINE : first;
        continue;
      }
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      String[] tok = tokens(line);
      if (tok.length == 0) {
        continue;
      }
      String err = null;
      int id = -1;
      if (!tok[0].chars().allMatch(c -> c >= '0' && c <= '9') || tok[0].length() > 9) {
        err = "key id '" + KeygenErrors.shown(tok[0]) + "' is not a decimal number";
      } else {
        id = Integer.parseInt(tok[0]);
        if (id < 1) {
          err = "cannot change key " + id;
        } else if (id > SymmetricKey.MAX_KEY_ID) {
          err = "key " + id + " > 65535 reserved for Autokey";
        } else if (tok.length < 2) {
          err = "no key type for key " + id;
        }
      }
      if (err == null) {
        String type = canonicalType(tok[1]);
        if (type == null || !BcSymmetricMacs.isSupported(type)) {
          listener.warn(new CryptoWarning(CryptoWarning.Kind.UNUSUAL_FILE, "key " + id,
              "invalid or unsupported key type '" + KeygenErrors.shown(tok[1]) + "': key skipped"));
          continue;
        }
        if (tok.length < 3) {
          err = "no key for key " + id;
        } else {
          byte[] secret = secret(tok[2]);
          if (secret == null) {
            err = "invalid hex digit for key " + id;
          } else {
            List<SymmetricKey.AddressRange> allowed = new ArrayList<>();
            if (tok.length >= 4) {
              err = addresses(tok[3], allowed, id);
            }
            if (err == null) {
              if (secret.length == 0) {
                err = "no key for key " + id;
              } else {
                keys.put(id, new SymmetricKey(id, type, secret, allowed));
              }
            }
          }
        }
      }
      if (err != null) {
        errors++;
        if (first == null) {
          first = "line " + (ln + 1) + ": " + err;
        }
      }
    }
    if (errors > 0) {
      throw error("rejecting keys file after " + errors + " error(s); first: " + first);
    }
    return List.copyOf(keys.values());
  }

  private static String[] tokens(String line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
        i++;
      }
      int s = i;
      while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
        i++;
      }
      if (i > s) {
        out.add(line.substring(s, i));
      }
    }
    return out.toArray(new String[0]);
  }

  private static byte[] secret(String t) {
    if (t.length() <= 20) {
      return t.getBytes(StandardCharsets.ISO_8859_1);
    }
    int jlim = Math.min(t.length(), 2 * SymmetricKey.MAX_SECRET_LENGTH);
    byte[] out = new byte[jlim / 2];
    for (int j = 0; j < jlim; j++) {
      int v = Character.digit(t.charAt(j), 16);
      if (v < 0 || t.charAt(j) > 0x7f) {
        return null;
      }
      if (j / 2 < out.length) {
        if ((j & 1) == 1) {
          out[j / 2] |= (byte) v;
        } else {
          out[j / 2] = (byte) (v << 4);
        }
      }
    }
    return out;
  }

  private static String addresses(String t, List<SymmetricKey.AddressRange> out, int id) {
    for (String a : t.split(",", -1)) {
      String addr = a;
      int prefix = -1;
      int slash = a.indexOf('/');
      if (slash >= 0) {
        addr = a.substring(0, slash);
        String p = a.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
          return "invalid prefix '" + KeygenErrors.shown(p) + "' for key " + id;
        }
        prefix = Integer.parseInt(p);
      }
      InetAddress ia = numericAddress(addr);
      if (ia == null) {
        return "invalid address '" + KeygenErrors.shown(addr) + "' for key " + id;
      }
      int max = ia.getAddress().length * 8;
      if (prefix > max) {
        return "prefix /" + prefix + " too long for key " + id;
      }
      out.add(new SymmetricKey.AddressRange(ia, prefix < 0 ? max : prefix));
    }
    return null;
  }

  private static InetAddress numericAddress(String s) {
    if (s.isEmpty() || s.length() > 45) {
      return null;
    }
    boolean v6 = s.indexOf(':') >= 0;
    if (v6) {
      if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return null;
      }
    } else {
      String[] parts = s.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      for (String p : parts) {
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
            || Integer.parseInt(p) > 255) {
          return null;
        }
      }
    }
    try {
      return InetAddress.getByName(s); // numeric only (checked above): no name lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static KeygenException error(String msg) {
    return new KeygenException(XEvent.LEN, KeygenException.Reason.MALFORMED_CONTENT, msg);
  }

  /**
   * One key line in ntp-keygen's shape: {@code %2d TYPE KEY  # TYPE key}. An MD5 key is written
   * as its characters (must be 1..20 printable characters without {@code #} or blanks), any other
   * type as lowercase hex.
   */
  public static String line(SymmetricKey k) {
    byte[] s = k.secret();
    String keyText;
    if (k.type().equals("MD5")) {
      for (byte b : s) {
        if (b <= 0x20 || b >= 0x7f || b == '#') {
          throw new IllegalArgumentException("MD5 key is not printable ASCII without '#'");
        }
      }
      if (s.length > 20) {
        throw new IllegalArgumentException("ASCII key longer than 20 characters");
      }
      keyText = new String(s, StandardCharsets.ISO_8859_1);
    } else {
      keyText = HexFormat.of().formatHex(s);
      if (keyText.length() <= 20) {
        throw new IllegalArgumentException("hex key of " + s.length + " bytes would be read as text");
      }
    }
    return String.format(Locale.ROOT, "%2d %s %s  # %s key\n", k.keyId(), k.type(), keyText, k.type());
  }

  /** A keys file with ntp-keygen's header and one {@link #line} per key. */
  public static KeygenFile file(String group, long filestamp, Instant time, ZoneId zone,
      List<SymmetricKey> keys) {
    StringBuilder body = new StringBuilder("\n");
    for (SymmetricKey k : keys) {
      body.append(line(k));
    }
    KeygenFileName name = KeygenFileName.of("MD5key", group, filestamp);
    return KeygenFile.withBody(name.fileName(), Filestamps.ctime(time, zone), body.toString());
  }

  /**
   * Fresh keys as {@code ntp-keygen -M} makes them: IDs 1..10 MD5 with 20 random characters in
   * 0x21..0x7e except {@code #}, IDs 11..20 SHA1 with 20 random bytes.
   */
  public static List<SymmetricKey> generate(SecureRandom random) {
    List<SymmetricKey> out = new ArrayList<>();
    for (int id = 1; id <= 10; id++) {
      byte[] k = new byte[20];
      for (int j = 0; j < 20; ) {
        int c = 0x21 + random.nextInt(0x7e - 0x21 + 1);
        if (c != '#') {
          k[j++] = (byte) c;
        }
      }
      out.add(new SymmetricKey(id, "MD5", k, List.of()));
    }
    for (int id = 11; id <= 20; id++) {
      byte[] k = new byte[20];
      random.nextBytes(k);
      out.add(new SymmetricKey(id, "SHA1", k, List.of()));
    }
    return out;
  }
}
