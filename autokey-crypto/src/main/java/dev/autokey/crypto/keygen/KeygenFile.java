package dev.autokey.crypto.keygen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One ntp-keygen file: the header lines and the content after them.
 *
 * <p>Layout (exact bytes ntp-keygen 4.2.8p15 writes):
 *
 * <pre>
 * # &lt;file name&gt;\n
 * # &lt;ctime() of the generation time, 24 characters&gt;\n
 * \n
 * -----BEGIN ...-----\n  (or, for symmetric keys, the key lines)
 * </pre>
 *
 * <p>Reading follows ntpd: only line 1 matters, the filestamp is the decimal number after its
 * last {@code .}, the name in front of it is not checked, PEM parsing skips everything before
 * {@code -----BEGIN}. {@link #toBytes()} reproduces a parsed file exactly. Text is handled as
 * ISO-8859-1 so that any byte survives a round trip.
 */
public final class KeygenFile {
  /** Largest file read. */
  public static final int MAX_FILE_SIZE = Pem.MAX_TEXT_LENGTH;
  /** Longest first line (ntpd reads it into a fixed buffer). */
  public static final int MAX_HEADER_LINE = 1024;

  private final String nameLine;
  private final String dateLine;
  private final long filestamp;
  private final String body;

  private KeygenFile(String nameLine, String dateLine, long filestamp, String body) {
    this.nameLine = nameLine;
    this.dateLine = dateLine;
    this.filestamp = filestamp;
    this.body = body;
  }

  /**
   * A new file: {@code # name}, {@code # date}, an empty line, then the PEM blocks.
   *
   * @param name the file name (line 1 text after {@code "# "}); must end in {@code .<filestamp>}
   * @param dateLine the ctime text (see {@link Filestamps#ctime})
   * @param blocks the PEM blocks, in order
   */
  public static KeygenFile of(String name, String dateLine, List<PemBlock> blocks) {
    return withBody(name, dateLine, "\n" + Pem.encodeAll(blocks));
  }

  /** A new file named {@code name}, dated at {@code time} in {@code zone}, holding the blocks. */
  public static KeygenFile create(
      KeygenFileName name, Instant time, ZoneId zone, List<PemBlock> blocks) {
    return of(name.fileName(), Filestamps.ctime(time, zone), blocks);
  }

  /**
   * A new file with arbitrary content after the two header lines (the symmetric keys file:
   * {@code body} starts with the empty line).
   */
  public static KeygenFile withBody(String name, String dateLine, String body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dateLine, "dateLine");
    Objects.requireNonNull(body, "body");
    if (name.indexOf('\n') >= 0 || dateLine.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("header text must not contain a line break");
    }
    long fs;
    try {
      fs = filestampOf(name);
    } catch (KeygenException e) {
      throw new IllegalArgumentException(e.rawMessage(), e);
    }
    return new KeygenFile("# " + name, "# " + dateLine, fs, body);
  }

  /** Reads and parses a file (following symlinks), at most {@link #MAX_FILE_SIZE} bytes. */
  public static KeygenFile read(Path path) throws KeygenException, IOException {
    return parse(readBounded(path, MAX_FILE_SIZE));
  }

  static byte[] readBounded(Path path, int max) throws IOException, KeygenException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw KeygenException.pem(path.getFileName() + " is larger than " + max + " bytes");
      }
      return b;
    }
  }

  /**
   * Parses file content.
   *
   * @throws KeygenException no first line, or no valid filestamp after its last dot
   */
  public static KeygenFile parse(byte[] content) throws KeygenException {
    Objects.requireNonNull(content, "content");
    if (content.length > MAX_FILE_SIZE) {
      throw KeygenException.header("file of " + content.length + " bytes exceeds " + MAX_FILE_SIZE);
    }
    String text = new String(content, StandardCharsets.ISO_8859_1);
    if (text.isEmpty()) {
      throw KeygenException.header("empty file");
    }
    int e1 = text.indexOf('\n');
    if (e1 < 0) {
      throw KeygenException.header("no header line (file has a single line without LF)");
    }
    if (e1 > MAX_HEADER_LINE) {
      throw KeygenException.header("first line of " + e1 + " characters exceeds " + MAX_HEADER_LINE);
    }
    String line1 = text.substring(0, e1);
    long fs = filestampOf(stripped(line1));
    String rest = text.substring(e1 + 1);
    String line2 = null;
    String body = rest;
    int e2 = rest.indexOf('\n');
    if (rest.startsWith("#") && e2 >= 0 && e2 <= MAX_HEADER_LINE) {
      line2 = rest.substring(0, e2);
      body = rest.substring(e2 + 1);
    }
    return new KeygenFile(line1, line2, fs, body);
  }

  /**
   * Splits ntp-keygen standard output holding several concatenated exports ({@code -e}, {@code
   * -q}) into files: a new file starts at each line beginning with {@code "# ntpkey_"} that
   * follows a PEM END line.
   */
  public static List<KeygenFile> parseConcatenated(byte[] content) throws KeygenException {
    String text = new String(content, StandardCharsets.ISO_8859_1);
    List<KeygenFile> out = new ArrayList<>();
    int start = 0;
    int search = 0;
    while (true) {
      int end = text.indexOf("-----\n# ntpkey_", search);
      if (end < 0 || !lineStartsWithEnd(text, end)) {
        if (end < 0) {
          break;
        }
        search = end + 1;
        continue;
      }
      int cut = end + 6;
      out.add(parse(text.substring(start, cut).getBytes(StandardCharsets.ISO_8859_1)));
      start = cut;
      search = cut;
      if (out.size() > Pem.MAX_BLOCKS) {
        throw KeygenException.pem("more than " + Pem.MAX_BLOCKS + " concatenated files");
      }
    }
    out.add(parse(text.substring(start).getBytes(StandardCharsets.ISO_8859_1)));
    return out;
  }

  private static boolean lineStartsWithEnd(String text, int dashesAt) {
    int ls = text.lastIndexOf('\n', dashesAt) + 1;
    return text.startsWith("-----END ", ls);
  }

  private static String stripped(String line1) {
    String s = line1.endsWith("\r") ? line1.substring(0, line1.length() - 1) : line1;
    return s.strip();
  }

  private static long filestampOf(String line) throws KeygenException {
    int dot = line.lastIndexOf('.');
    if (dot < 0) {
      throw KeygenException.header(
          "no filestamp: first line '" + KeygenFileName.shown(line) + "' has no '.'");
    }
    return KeygenFileName.parseFilestamp(line.substring(dot + 1).strip(), line);
  }

  /** The filestamp (decimal after the last dot of line 1), unsigned 32-bit. */
  public long filestamp() {
    return filestamp;
  }

  /** The file name of line 1 (text after {@code "# "}, or the whole line if it lacks that). */
  public String name() {
    String s = stripped(nameLine);
    return s.startsWith("# ") ? s.substring(2) : s.startsWith("#") ? s.substring(1).strip() : s;
  }

  /** Line 1 parsed as an ntp-keygen file name, if it is one. */
  public Optional<KeygenFileName> fileName() {
    try {
      return Optional.of(KeygenFileName.parse(name()));
    } catch (KeygenException e) {
      return Optional.empty();
    }
  }

  /** The date text of line 2 (after {@code "# "}), if there is a second comment line. */
  public Optional<String> date() {
    if (dateLine == null) {
      return Optional.empty();
    }
    String s = dateLine.startsWith("# ") ? dateLine.substring(2) : dateLine.substring(1);
    return Optional.of(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
  }

  /** The text after the header lines (starting with the empty line in ntp-keygen's files). */
  public String body() {
    return body;
  }

  /** Every PEM block of the body (empty for a symmetric keys file). */
  public List<PemBlock> blocks() throws KeygenException {
    return Pem.readAll(body);
  }

  /** The first PEM block, the only one ntpd reads from a key or certificate file. */
  public PemBlock firstBlock() throws KeygenException {
    return Pem.readFirst(body);
  }

  /** The exact bytes of the file. */
  public byte[] toBytes() {
    StringBuilder sb = new StringBuilder();
    sb.append(nameLine).append('\n');
    if (dateLine != null) {
      sb.append(dateLine).append('\n');
    }
    sb.append(body);
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Writes the file as {@code dir/<name>} with mode 0640 where the file system has POSIX
   * permissions (ntp-keygen's mode), replacing an existing file.
   *
   * @return the path written
   */
  public Path writeTo(Path dir) throws IOException {
    Path target = dir.resolve(name());
    if (!target.getParent().equals(dir) ) {
      throw new IllegalArgumentException("file name '" + name() + "' is not a plain name");
    }
    Path tmp = dir.resolve("." + name() + ".tmp");
    Files.write(tmp, toBytes());
    try {
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the default mode
    }
    Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /**
   * Creates (or replaces) the symbolic link {@code dir/linkName} pointing to the bare file name
   * {@code target} (relative, as ntp-keygen makes them).
   */
  public static Path link(Path dir, String linkName, String target) throws IOException {
    Path link = dir.resolve(linkName);
    if (!link.getParent().equals(dir) || Path.of(target).getNameCount() != 1) {
      throw new IllegalArgumentException("link and target must be plain names");
    }
    Files.deleteIfExists(link);
    return Files.createSymbolicLink(link, Path.of(target));
  }

  @Override
  public String toString() {
    return "KeygenFile[" + name() + "]";
  }
}
