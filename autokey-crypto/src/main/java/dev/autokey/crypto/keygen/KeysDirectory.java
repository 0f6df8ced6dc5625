package dev.autokey.crypto.keygen;

import dev.autokey.core.AutokeyException;
import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ntpd {@code keysdir}: resolves the link names ntpd opens ({@code ntpkey_host_<name>}, {@code
 * ntpkey_sign_<name>}, {@code ntpkey_cert_<name>}, {@code ntpkey_iffkey_<ident>}, {@code
 * ntpkey_gqpar_<group>}, …) and loads what they point to with ntpd's rules, reporting missing and
 * mismatched files with the file name in the message.
 *
 * <p>A link is a symbolic link (followed) or, where links did not survive copying (git, zip), a
 * small regular file whose whole content is the bare name of a file in the same directory: such a
 * "link stub" is followed too and reported as {@link CryptoWarning.Kind#UNUSUAL_FILE}.
 *
 * <p>Identity files plug in through {@link #load(String, String, char[], XEvent, FileLoader)}
 * with the identity package's decoders.
 */
public final class KeysDirectory {
  /** Largest link stub (a file name). */
  static final int MAX_STUB = 255;

  private final Path dir;
  private final CryptoPolicy policy;

  private KeysDirectory(Path dir, CryptoPolicy policy) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * A keys directory.
   *
   * @param dir the directory ({@code keysdir})
   * @param policy strict/legacy, and where warnings go
   */
  public static KeysDirectory of(Path dir, CryptoPolicy policy) {
    return new KeysDirectory(dir, policy);
  }

  /** The directory. */
  public Path path() {
    return dir;
  }

  /** The policy. */
  public CryptoPolicy policy() {
    return policy;
  }

  /**
   * Decodes a file's content; the hook for identity-file loaders.
   *
   * @param <T> the decoded value
   */
  @FunctionalInterface
  public interface FileLoader<T> {
    /**
     * Decodes one file.
     *
     * @param file the parsed file (header and body)
     * @param password the password ({@code crypto pw}); may be ignored for unencrypted files
     */
    T load(KeygenFile file, char[] password) throws AutokeyException;
  }

  /**
   * A loaded file.
   *
   * @param <T> the decoded value
   * @param linkName the name looked up
   * @param fileName the file it resolved to
   * @param filestamp the file's filestamp
   * @param value the decoded value
   */
  public record Loaded<T>(String linkName, String fileName, long filestamp, T value) {}

  /**
   * The file a link name resolves to.
   *
   * @throws KeygenException {@link KeygenException.Reason#MISSING_FILE} when absent or dangling
   */
  public Path resolve(String linkName) throws KeygenException {
    Path p = dir.resolve(linkName);
    if (!p.normalize().getParent().equals(dir.normalize())) {
      throw new KeygenException(
          XEvent.PUB, KeygenException.Reason.MISSING_FILE, "'" + linkName + "' is not a plain name");
    }
    if (Files.isSymbolicLink(p) && !Files.exists(p)) {
      throw missing(linkName, "is a dangling link");
    }
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      throw missing(linkName, "not found");
    }
    if (!Files.isSymbolicLink(p) && Files.isRegularFile(p)) {
      Optional<Path> stub = stubTarget(p);
      if (stub.isPresent()) {
        policy.listener().warn(new CryptoWarning(CryptoWarning.Kind.UNUSUAL_FILE, linkName,
            "regular file naming " + stub.get().getFileName() + " treated as a link"));
        return stub.get();
      }
    }
    if (!Files.isRegularFile(p)) {
      throw missing(linkName, "is not a regular file");
    }
    return p;
  }

  private Optional<Path> stubTarget(Path p) {
    try {
      if (Files.size(p) > MAX_STUB || Files.size(p) == 0) {
        return Optional.empty();
      }
      String s = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).strip();
      if (s.isEmpty() || s.startsWith("#") || s.contains("/") || s.contains("\n") || s.contains(" ")
          || !s.startsWith(KeygenFileName.PREFIX)) {
        return Optional.empty();
      }
      Path t = dir.resolve(s);
      return Files.isRegularFile(t) && !t.equals(p) ? Optional.of(t) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private KeygenException missing(String linkName, String what) {
    return new KeygenException(
        XEvent.PUB, KeygenException.Reason.MISSING_FILE, linkName + " in " + dir + " " + what);
  }

  /** Whether the link name resolves to a file. */
  public boolean exists(String linkName) {
    try {
      resolve(linkName);
      return true;
    } catch (KeygenException e) {
      return false;
    }
  }

  /** Reads and parses the file a link name resolves to. */
  public KeygenFile open(String linkName) throws KeygenException {
    Path p = resolve(linkName);
    try {
      return KeygenFile.read(p);
    } catch (IOException e) {
      throw new KeygenException(
          XEvent.PUB, KeygenException.Reason.MISSING_FILE, linkName + ": " + e.getMessage(), e);
    } catch (KeygenException e) {
      throw new KeygenException(e.event(), e.reason(),
          linkName + " (" + p.getFileName() + "): " + e.rawMessage(), e.getCause());
    }
  }

  /**
   * Loads {@code ntpkey_<role>_<name>} with a decoder; errors are labelled with {@code event} and
   * name the file.
   */
  public <T> Loaded<T> load(String role, String name, char[] password, XEvent event,
      FileLoader<T> loader) throws KeygenException {
    String link = KeygenFileName.link(role, name);
    KeygenFile f;
    try {
      f = open(link);
    } catch (KeygenException e) {
      throw e.withEvent(event);
    }
    try {
      return new Loaded<>(link, resolve(link).getFileName().toString(), f.filestamp(),
          loader.load(f, password));
    } catch (KeygenException e) {
      throw new KeygenException(event, e.reason(), link + ": " + e.rawMessage(), e.getCause());
    } catch (AutokeyException e) {
      throw new KeygenException(event, KeygenException.Reason.MALFORMED_CONTENT,
          link + ": " + e.getMessage(), e);
    }
  }

  /** Like {@link #load} but empty when the link does not exist. */
  public <T> Optional<Loaded<T>> loadIfPresent(String role, String name, char[] password,
      XEvent event, FileLoader<T> loader) throws KeygenException {
    if (!exists(KeygenFileName.link(role, name))) {
      return Optional.empty();
    }
    return Optional.of(load(role, name, password, event, loader));
  }

  /**
   * Which identity files ntpd would find for a name: server keys ({@code iffkey}, {@code gqkey},
   * {@code mvkey} named after {@code crypto ident}, else the host) and client parameters ({@code
   * iffpar}, {@code gqpar}, {@code mvpar} named after a group). Role → resolved file name.
   */
  public Map<String, String> identityFiles(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String role : new String[] {KeygenFileName.IFFKEY, KeygenFileName.GQKEY,
        KeygenFileName.MVKEY, KeygenFileName.IFFPAR, KeygenFileName.GQPAR, KeygenFileName.MVPAR}) {
      try {
        out.put(role, resolve(KeygenFileName.link(role, name)).getFileName().toString());
      } catch (KeygenException | IllegalArgumentException e) {
        // absent
      }
    }
    return out;
  }

  /**
   * Loads the host's own keys and certificate the way ntpd's {@code crypto_setup} does.
   *
   * @param host {@code crypto host} (required; ntpd defaults it to the system host name)
   * @param password {@code crypto pw} (required; ntpd and ntp-keygen default it to the system
   *     host name)
   */
  public HostCredentials loadHost(String host, char[] password) throws KeygenException {
    return HostCredentials.load(this, host, password);
  }
}
