package dev.autokey.interop;

import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.core.crypto.SymmetricKey;
import dev.autokey.core.protocol.SymmetricKeyAuth;
import dev.autokey.crypto.BcSymmetricMacs;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.keygen.SymmetricKeysFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code ntp.keys} of the symmetric-key (AUTH) cases, written by our {@link
 * SymmetricKeysFile} writer: {@code ntp-keygen -M}'s set (1..10 MD5, 11..20 SHA1) plus key 21
 * AES128CMAC, all trusted; the case uses one key ID ({@link #keyId(String)}).
 */
public final class SymmetricKeyFiles {
  /** Key IDs written ({@code trustedkey} line). */
  public static final String TRUSTED = "1 11 21";

  private SymmetricKeyFiles() {}

  /** The key ID a case of key type {@code type} uses. */
  public static int keyId(String type) {
    return switch (type) {
      case "MD5" -> 1;
      case "SHA1" -> 11;
      case "AES128CMAC" -> 21;
      default -> throw new IllegalArgumentException(type);
    };
  }

  /** Fresh keys: ntp-keygen -M's set plus key 21 AES128CMAC. */
  public static List<SymmetricKey> generate(SecureRandom random) {
    List<SymmetricKey> keys = new ArrayList<>(SymmetricKeysFile.generate(random));
    byte[] aes = new byte[16];
    random.nextBytes(aes);
    keys.add(new SymmetricKey(21, BcSymmetricMacs.AES128CMAC, aes, List.of()));
    return keys;
  }

  /** {@code keys} with key {@code id} replaced by another value of the same type (controls). */
  public static List<SymmetricKey> withWrongValue(List<SymmetricKey> keys, int id,
      SecureRandom random) {
    List<SymmetricKey> out = new ArrayList<>();
    for (SymmetricKey k : keys) {
      if (k.keyId() != id) {
        out.add(k);
        continue;
      }
      byte[] s = k.secret();
      s[0] = (byte) (s[0] == '!' ? '"' : '!'); // still printable, not '#': a valid MD5 text key
      out.add(new SymmetricKey(id, k.type(), s, List.of()));
    }
    return out;
  }

  /** Writes {@code keys} as {@code dir/ntp.keys} in ntp-keygen's {@code -M} shape. */
  public static Path write(Path dir, List<SymmetricKey> keys) throws Exception {
    KeygenFile f = SymmetricKeysFile.file("server", Instant.now().getEpochSecond() + 2208988800L,
        Instant.now(), ZoneOffset.UTC, keys);
    Path p = dir.resolve("ntp.keys");
    Files.write(p, f.toBytes());
    return p;
  }

  /** Reads a keys file with our parser (ntpd's grammar) and trusts {@code trusted}. */
  public static SymmetricKeyAuth read(Path file, Set<Integer> trusted) throws Exception {
    return SymmetricKeyAuth.create(
        SymmetricKeysFile.parse(Files.readAllBytes(file), CryptoWarningListener.IGNORE), trusted,
        BcSymmetricMacs.INSTANCE);
  }
}
