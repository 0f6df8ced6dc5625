package dev.autokey.interop;

/**
 * Writes the key folders of a server and a client for one identity scheme: who made the files
 * (the reference ntp-keygen, or our own writers) is what a case tests.
 */
public interface KeyMaterial {
  /** The scheme the files are for. */
  Scheme scheme();

  /** Short description for reports, e.g. {@code "ntp-keygen, repaired iffpar"}. */
  String description();

  /** Writes every file both daemons need into {@link KeyContext#serverKeys()} / clientKeys(). */
  void write(KeyContext ctx) throws Exception;
}
