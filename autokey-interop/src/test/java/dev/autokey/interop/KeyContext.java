package dev.autokey.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a {@link KeyMaterial} writes and what it must name things: the two key folders
 * ({@code keysdir} of each ntpd), a folder for exported/intermediate files and a log.
 *
 * @param serverKeys the server's keys/ folder
 * @param clientKeys the client's keys/ folder
 * @param exported folder for exported files kept as evidence
 * @param log keygen log (commands in order)
 * @param serverHost Autokey host name of the server ({@code crypto host}, certificate subject)
 * @param serverPassword password of the server's key files ({@code crypto pw})
 * @param clientHost Autokey host name of the client
 * @param clientPassword password of the client's key files
 * @param group identity group name ({@code ident}); null for TC
 */
public record KeyContext(
    Path serverKeys,
    Path exported,
    Path clientKeys,
    Path log,
    String serverHost,
    String serverPassword,
    String clientHost,
    String clientPassword,
    String group) {

  /** Appends a line to the keygen log. */
  public void note(String line) {
    try {
      Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stores {@code fileText} (an ntp-keygen style file whose first line is {@code # NAME.FS}) in
   * {@code dir} under NAME.FS, plus the link NAME (without filestamp) that ntpd opens.
   *
   * @return the link name
   */
  public String installNamed(String fileText, Path dir) {
    String first = fileText.lines().findFirst().orElse("").replaceFirst("^#\\s*", "").trim();
    int dot = first.lastIndexOf('.');
    if (first.isEmpty() || dot <= 0 || !first.substring(dot + 1).matches("\\d+")) {
      throw new IllegalArgumentException("not an ntp-keygen file (first line '" + first + "')");
    }
    String link = first.substring(0, dot);
    try {
      Files.writeString(dir.resolve(first), fileText, StandardCharsets.US_ASCII);
      Files.deleteIfExists(dir.resolve(link));
      Files.createSymbolicLink(dir.resolve(link), Path.of(first));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    note("+ installed " + first + " as " + dir.getParent().getFileName() + "/keys/" + link);
    return link;
  }

  /** Creates (replacing) the link {@code dir/link -> target}. */
  public void link(Path dir, String link, String target) {
    try {
      Files.deleteIfExists(dir.resolve(link));
      Files.createSymbolicLink(dir.resolve(link), Path.of(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    note("+ ln -s " + target + " " + dir.getParent().getFileName() + "/keys/" + link);
  }
}
