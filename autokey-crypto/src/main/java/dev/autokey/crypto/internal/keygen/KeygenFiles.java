package dev.autokey.crypto.internal.keygen;

import dev.autokey.crypto.keygen.KeygenException;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.keygen.KeygenFileName;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** {@link KeygenFile}s made of, and read as, PEM blocks. */
public final class KeygenFiles {
  private KeygenFiles() {}

  /**
   * A new file: {@code # name}, {@code # date}, an empty line, then the PEM blocks.
   *
   * @param name the file name (line 1 text after {@code "# "}); must end in {@code .<filestamp>}
   * @param dateLine the ctime text (see {@link Filestamps#ctime})
   * @param blocks the PEM blocks, in order
   */
  public static KeygenFile of(String name, String dateLine, List<PemBlock> blocks) {
    return KeygenFile.withBody(name, dateLine, "\n" + Pem.encodeAll(blocks));
  }

  /** A new file named {@code name}, dated at {@code time} in {@code zone}, holding the blocks. */
  public static KeygenFile create(
      KeygenFileName name, Instant time, ZoneId zone, List<PemBlock> blocks) {
    return of(name.fileName(), Filestamps.ctime(time, zone), blocks);
  }

  /** Every PEM block of the file's body (empty for a symmetric keys file). */
  public static List<PemBlock> blocks(KeygenFile file) throws KeygenException {
    return Pem.readAll(file.body());
  }

  /** The first PEM block, the only one ntpd reads from a key or certificate file. */
  public static PemBlock firstBlock(KeygenFile file) throws KeygenException {
    return Pem.readFirst(file.body());
  }
}
