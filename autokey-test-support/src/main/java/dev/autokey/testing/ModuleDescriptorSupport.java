package dev.autokey.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/** Opens the {@code module-info.class} of the class-path entry (folder or jar) holding a class. */
public final class ModuleDescriptorSupport {
  private ModuleDescriptorSupport() {}

  /** The module descriptor bytes next to {@code cls}; the caller closes the stream. */
  public static InputStream open(Class<?> cls) throws IOException {
    Path location;
    try {
      location = Path.of(cls.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    if (Files.isDirectory(location)) {
      return Files.newInputStream(location.resolve("module-info.class"));
    }
    JarFile jar = new JarFile(location.toFile());
    ZipEntry e = jar.getEntry("module-info.class");
    if (e == null) {
      jar.close();
      throw new IOException("no module-info.class in " + location);
    }
    return jar.getInputStream(e);
  }
}
