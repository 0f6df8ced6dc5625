package dev.autokey.testing;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The built module a class belongs to, read the way the JDK reads it: {@link ModuleFinder#of} on
 * the class-path entry holding the class ({@code target/classes} or the module's jar), so tests
 * check the real {@code module-info.class} the compiler wrote, not the source.
 */
public final class ModuleDescriptorSupport {
  private ModuleDescriptorSupport() {}

  /** The module in the folder or jar that holds {@code cls}. */
  public static ModuleReference module(Class<?> cls) throws IOException {
    Path location;
    try {
      location = Path.of(cls.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Set<ModuleReference> found = ModuleFinder.of(location).findAll();
    if (found.size() != 1) {
      throw new IOException(location + " holds " + found.size() + " modules, not one");
    }
    ModuleReference ref = found.iterator().next();
    if (ref.descriptor().isAutomatic()) {
      throw new IOException(location + " has no module-info.class");
    }
    return ref;
  }

  /** The descriptor of the module that holds {@code cls}. */
  public static ModuleDescriptor descriptor(Class<?> cls) throws IOException {
    return module(cls).descriptor();
  }

  /**
   * Every {@code exports} of a descriptor: the package name, followed by {@code " to " + targets}
   * for a qualified export.
   */
  public static Set<String> exports(ModuleDescriptor d) {
    return d.exports().stream()
        .map(e -> e.isQualified() ? e.source() + " to " + new TreeSet<>(e.targets()) : e.source())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The packages a descriptor exports to everyone (its API), without the qualified exports.
   */
  public static Set<String> exportedPackages(ModuleDescriptor d) {
    return d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The module's API classes: every class of an exported package that code outside the module
   * can name (public top-level classes and the public or protected member classes of API
   * classes), loaded without initialisation through {@code loader}.
   */
  public static List<Class<?>> apiClasses(ModuleReference module, ClassLoader loader)
      throws IOException {
    Set<String> api = exportedPackages(module.descriptor());
    List<String> names;
    try (ModuleReader r = module.open(); Stream<String> all = r.list()) {
      names = all.filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class")
              && !n.endsWith("package-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .filter(n -> api.contains(n.substring(0, Math.max(0, n.lastIndexOf('.')))))
          .sorted()
          .collect(Collectors.toList());
    }
    List<Class<?>> out = new ArrayList<>();
    for (String n : names) {
      Class<?> c;
      try {
        c = Class.forName(n, false, loader);
      } catch (ClassNotFoundException e) {
        throw new IOException("cannot load " + n + " of " + module.descriptor().name(), e);
      }
      if (ApiSurface.isApi(c)) {
        out.add(c);
      }
    }
    return out;
  }
}
