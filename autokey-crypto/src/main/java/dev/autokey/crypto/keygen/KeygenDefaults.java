package dev.autokey.crypto.keygen;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** ntp-keygen's and ntpd's defaults that depend on the machine. */
public final class KeygenDefaults {
  private static final Path PROC_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  private KeygenDefaults() {}

  /**
   * The system host name, as C {@code gethostname()} returns it (the kernel's node name, read from
   * {@code /proc/sys/kernel/hostname} on Linux; elsewhere {@link InetAddress#getLocalHost()}).
   * ntp-keygen uses it as the default password, host name and group name; ntpd as the default
   * {@code crypto host} and {@code crypto pw}.
   */
  public static String systemHostName() {
    try {
      if (Files.isReadable(PROC_HOSTNAME)) {
        String s = new String(Files.readAllBytes(PROC_HOSTNAME), StandardCharsets.UTF_8).strip();
        if (!s.isEmpty()) {
          return s;
        }
      }
    } catch (IOException e) {
      // fall through to the portable way
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** The default password: {@link #systemHostName()} (not the {@code -s} or {@code crypto host} name). */
  public static char[] defaultPassword() {
    return systemHostName().toCharArray();
  }
}
