package dev.autokey.crypto.keygen;

import dev.autokey.crypto.internal.keygen.KeygenErrors;
import dev.autokey.crypto.internal.keygen.Pem;
import dev.autokey.crypto.internal.keygen.PemBlock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 *
 * <p>Over 400 lines because it is both the file format (read, encode) and its safe writing
 * (exclusive 0600 temporary file, no silent replacement, links, syncs); the writing belongs in
 * a class of its own, not yet split.
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
   * A new file: line 1 {@code # name}, line 2 {@code # dateLine}, then {@code body} as it is
   * (ntp-keygen's files: an empty line, then PEM blocks or, for symmetric keys, the key lines).
   *
   * @param name the file name, ending in {@code .<filestamp>}
   * @param dateLine the date text (ntp-keygen: {@code ctime()} of the generation time)
   * @param body everything after the header lines
   * @throws IllegalArgumentException a line break in the header text, or no filestamp
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
        throw KeygenErrors.pem(path.getFileName() + " is larger than " + max + " bytes");
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
      throw KeygenErrors.header("file of " + content.length + " bytes exceeds " + MAX_FILE_SIZE);
    }
    String text = new String(content, StandardCharsets.ISO_8859_1);
    if (text.isEmpty()) {
      throw KeygenErrors.header("empty file");
    }
    int e1 = text.indexOf('\n');
    if (e1 < 0) {
      throw KeygenErrors.header("no header line (file has a single line without LF)");
    }
    if (e1 > MAX_HEADER_LINE) {
      throw KeygenErrors.header("first line of " + e1 + " characters exceeds " + MAX_HEADER_LINE);
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
        throw KeygenErrors.pem("more than " + Pem.MAX_BLOCKS + " concatenated files");
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
      throw KeygenErrors.header(
          "no filestamp: first line '" + KeygenErrors.shown(line) + "' has no '.'");
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

  /** What {@link #writeTo(Path, Overwrite)} does when a file of the same name already exists. */
  public enum Overwrite {
    /**
     * Leave the existing file alone and fail with a {@link FileAlreadyExistsException} naming it
     * (the default of {@link #writeTo(Path)}).
     */
    REFUSE,
    /**
     * Replace an existing regular file atomically; the new file never gets a wider mode than the
     * one it replaces. A symbolic link, directory or other non-regular file is still refused.
     */
    REPLACE
  }

  /** Steps of a write at which a test can look at the temporary file or make the write fail. */
  enum Step {
    /** The temporary file was just created, nothing written yet. */
    CREATED,
    /** The content is written and forced to the device, the file not yet published. */
    WRITTEN
  }

  /** Test seam: called at each {@link Step} with the temporary file. */
  @FunctionalInterface
  interface StepHook {
    /** Called at {@code step}; an exception thrown here fails the write. */
    void at(Step step, Path temp) throws IOException;
  }

  /** Mode of every file except certificate files: owner read/write only. */
  private static final Set<PosixFilePermission> PRIVATE_MODE =
      Collections.unmodifiableSet(PosixFilePermissions.fromString("rw-------"));
  /** Mode of a file holding nothing but certificates (public material). */
  private static final Set<PosixFilePermission> PUBLIC_MODE =
      Collections.unmodifiableSet(PosixFilePermissions.fromString("rw-r--r--"));
  /** Attempts at finding an unused random temporary name before giving up. */
  private static final int TEMP_ATTEMPTS = 16;
  /** Characters of the final name kept in a temporary name (keeps it under NAME_MAX). */
  private static final int TEMP_NAME_KEEP = 64;

  /**
   * {@link #writeTo(Path, Overwrite)} with {@link Overwrite#REFUSE}: an existing file is never
   * replaced.
   *
   * @return the path written
   * @throws FileAlreadyExistsException {@code dir/<name>} exists (nothing is written)
   * @throws IOException the write failed (no file is left behind)
   */
  public Path writeTo(Path dir) throws IOException {
    return writeTo(dir, Overwrite.REFUSE);
  }

  /**
   * Writes the file as {@code dir/<name>}, safely for private key material.
   *
   * <p>Mode, where the file system has POSIX permissions: a file whose content is nothing but
   * {@code CERTIFICATE} blocks is public and gets {@code 0644}; every other file (private keys,
   * encrypted or not, identity keys and parameters, symmetric keys, anything this class cannot
   * classify) gets {@code 0600}. (ntp-keygen itself writes every file {@code 0640}; ntpd reads
   * them as the user that owns them, so owner-only suffices.) The process umask can only narrow
   * the mode. When an existing file is replaced, the new mode is the intersection of that mode
   * and the existing file's mode, so replacing never widens access. On a file system without
   * POSIX permissions the file gets the system's default access.
   *
   * <p>How: the content goes to a temporary file in {@code dir} with an unpredictable name,
   * created exclusively ({@code CREATE_NEW}, never following a symbolic link) with its final mode
   * given at creation, so it is never readable by others, not even for a moment; a file or link
   * someone planted is never reused or followed. The content is forced to the device, then the
   * file is published under its name: with {@link Overwrite#REPLACE} by an {@code ATOMIC_MOVE}
   * rename; with {@link Overwrite#REFUSE} by a hard link, which fails instead of replacing a file
   * that appeared meanwhile (on a file system without hard links: a check then an {@code
   * ATOMIC_MOVE}). Then the folder is forced to the device (skipped where a directory cannot be
   * opened). If anything fails before publishing, the temporary file is removed and the final
   * name is untouched: it holds either the old file or nothing, never a partial one.
   *
   * @param dir the folder (must exist)
   * @param overwrite what to do when {@code dir/<name>} already exists
   * @return the path written
   * @throws FileAlreadyExistsException {@code dir/<name>} exists and {@code overwrite} is {@link
   *     Overwrite#REFUSE}, or it is not a regular file (the message says which)
   * @throws IOException the write failed; an exception from forcing the folder means the file is
   *     in place but may not yet be durable
   * @throws IllegalArgumentException the name of line 1 is not a plain file name
   */
  public Path writeTo(Path dir, Overwrite overwrite) throws IOException {
    return writeTo(dir, overwrite, (step, temp) -> { });
  }

  /** {@link #writeTo(Path, Overwrite)} calling {@code hook} at each {@link Step}. */
  Path writeTo(Path dir, Overwrite overwrite, StepHook hook) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(overwrite, "overwrite");
    Objects.requireNonNull(hook, "hook");
    String name = name();
    Path target = dir.resolve(name);
    if (!dir.equals(target.getParent())) {
      throw new IllegalArgumentException("file name '" + name + "' is not a plain name");
    }
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    Set<PosixFilePermission> mode = EnumSet.copyOf(holdsOnlyCertificates() ? PUBLIC_MODE
        : PRIVATE_MODE);
    BasicFileAttributes existing = attributesOf(target, posix);
    if (existing != null) {
      if (overwrite == Overwrite.REFUSE) {
        throw new FileAlreadyExistsException(target.toString(), null,
            "key file exists; not replaced (Overwrite.REPLACE replaces it)");
      }
      if (!existing.isRegularFile()) {
        throw new FileAlreadyExistsException(target.toString(), null,
            "exists and is not a regular file; not replaced");
      }
      if (posix) {
        mode.retainAll(((PosixFileAttributes) existing).permissions());
      }
    }
    Set<OpenOption> options = new HashSet<>(List.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    FileAttribute<?>[] attrs = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
        : new FileAttribute<?>[0];
    Path temp = null;
    FileChannel channel = null;
    for (int i = 0; channel == null; i++) {
      Path t = dir.resolve(tempName(name));
      try {
        channel = FileChannel.open(t, options, attrs);
        temp = t;
      } catch (FileAlreadyExistsException e) {
        if (i + 1 >= TEMP_ATTEMPTS) {
          throw e;
        }
      }
    }
    try {
      try (FileChannel c = channel) {
        hook.at(Step.CREATED, temp);
        ByteBuffer b = ByteBuffer.wrap(toBytes());
        while (b.hasRemaining()) {
          c.write(b);
        }
        c.force(true);
      }
      hook.at(Step.WRITTEN, temp);
      publish(temp, target, overwrite);
    } catch (Throwable t) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException | RuntimeException suppressed) {
        t.addSuppressed(suppressed);
      }
      throw t;
    }
    forceDirectory(dir);
    return target;
  }

  private static void publish(Path temp, Path target, Overwrite overwrite) throws IOException {
    if (overwrite == Overwrite.REPLACE) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    try {
      Files.createLink(target, temp); // link(2) fails rather than replace an existing name
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(target.toString(), null,
          "key file appeared while writing; not replaced");
    } catch (UnsupportedOperationException | FileSystemException e) {
      // no hard links on this file system: check, then rename
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(target.toString(), null,
            "key file appeared while writing; not replaced");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Files.delete(temp);
  }

  /** Attributes of {@code p} itself (not following a link), or null if nothing is there. */
  private static BasicFileAttributes attributesOf(Path p, boolean posix) throws IOException {
    try {
      return posix
          ? Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          : Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** True if the body holds at least one PEM block and every block is a certificate. */
  private boolean holdsOnlyCertificates() {
    try {
      List<PemBlock> blocks = Pem.readAll(body);
      return !blocks.isEmpty()
          && blocks.stream().allMatch(b -> PemBlock.CERTIFICATE.equals(b.label()));
    } catch (KeygenException e) {
      return false;
    }
  }

  /** {@code .<name, shortened>.<32 random hex digits>.tmp} (hidden, unpredictable). */
  private static String tempName(String name) {
    byte[] r = new byte[16];
    TempNames.RANDOM.nextBytes(r);
    StringBuilder sb = new StringBuilder(".");
    sb.append(name, 0, Math.min(name.length(), TEMP_NAME_KEEP)).append('.');
    for (byte x : r) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.append(".tmp").toString();
  }

  /** Holder of the random source of temporary names (created on first use). */
  private static final class TempNames {
    static final SecureRandom RANDOM = new SecureRandom();
  }

  /**
   * Forces the folder's entries to the device (opening the directory read-only); skipped where a
   * directory cannot be opened as a file (e.g. Windows).
   */
  static void forceDirectory(Path dir) throws IOException {
    FileChannel d;
    try {
      d = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException e) {
      return;
    }
    try (FileChannel c = d) {
      c.force(true);
    }
  }

  /**
   * Creates the symbolic link {@code dir/linkName} pointing to the bare file name {@code target}
   * (relative, as ntp-keygen makes them), or replaces an existing symbolic link of that name.
   *
   * <p>A replacement is atomic: the new link is made under an unpredictable temporary name and
   * renamed over the old one ({@code ATOMIC_MOVE}), so the name always resolves to the old or the
   * new target. Anything else under the name (a regular file such as a key copied there by hand,
   * a directory) is never deleted: the call fails. The folder is then forced to the device.
   *
   * @return the link
   * @throws FileAlreadyExistsException something other than a symbolic link has the name (the
   *     message says what), or appeared there meanwhile
   * @throws IOException the link could not be made (no temporary link is left behind)
   * @throws IllegalArgumentException link or target is not a plain name
   */
  public static Path link(Path dir, String linkName, String target) throws IOException {
    Path link = dir.resolve(linkName);
    if (!dir.equals(link.getParent()) || Path.of(target).getNameCount() != 1) {
      throw new IllegalArgumentException("link and target must be plain names");
    }
    Path to = Path.of(target);
    BasicFileAttributes existing = attributesOf(link, false);
    if (existing == null) {
      Files.createSymbolicLink(link, to); // symlink(2) fails rather than replace a name
    } else if (!existing.isSymbolicLink()) {
      throw new FileAlreadyExistsException(link.toString(), null, "is a "
          + (existing.isDirectory() ? "directory" : existing.isRegularFile() ? "regular file"
              : "special file") + ", not a symbolic link; not deleted");
    } else {
      Path temp = null;
      for (int i = 0; temp == null; i++) {
        Path t = dir.resolve(tempName(linkName));
        try {
          Files.createSymbolicLink(t, to);
          temp = t;
        } catch (FileAlreadyExistsException e) {
          if (i + 1 >= TEMP_ATTEMPTS) {
            throw e;
          }
        }
      }
      try {
        Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
      } catch (Throwable t) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException | RuntimeException suppressed) {
          t.addSuppressed(suppressed);
        }
        throw t;
      }
    }
    forceDirectory(dir);
    return link;
  }

  @Override
  public String toString() {
    return "KeygenFile[" + name() + "]";
  }
}
