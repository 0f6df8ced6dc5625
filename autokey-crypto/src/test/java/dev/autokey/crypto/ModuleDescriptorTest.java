package dev.autokey.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
import dev.autokey.crypto.suite.BcCryptoSuite;
import dev.autokey.testing.ApiSurface;
import dev.autokey.testing.ModuleDescriptorSupport;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReference;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module's API tier, read from the compiled {@code module-info.class}: exactly these packages
 * are exported; every other package is internal; the API's signatures name only JDK, own and
 * dev.autokey.core types (core is {@code requires transitive}), never a Bouncy Castle type.
 * Adding or removing an exported package is an API decision: it changes {@link #EXPORTS}.
 */
class ModuleDescriptorTest {
  private static final Class<?> MAIN_CLASS = BcCryptoSuite.class;

  /** The exported packages of dev.autokey.crypto. */
  static final Set<String> EXPORTS = Set.of(
      "dev.autokey.crypto",
      "dev.autokey.crypto.identity",
      "dev.autokey.crypto.keygen",
      "dev.autokey.crypto.suite");

  @Test
  void exportsExactlyTheApiPackages() throws Exception {
    ModuleDescriptor d = ModuleDescriptorSupport.descriptor(MAIN_CLASS);
    assertEquals("dev.autokey.crypto", d.name());
    assertEquals(new TreeSet<>(EXPORTS), ModuleDescriptorSupport.exports(d));
    for (String p : d.packages()) {
      assertTrue(EXPORTS.contains(p) || p.equals("dev.autokey.crypto.internal")
          || p.startsWith("dev.autokey.crypto.internal."), "neither exported nor internal: " + p);
    }
  }

  @Test
  void requiresCoreTransitivelyAndBouncyCastle() throws Exception {
    ModuleDescriptor d = ModuleDescriptorSupport.descriptor(MAIN_CLASS);
    Set<String> requires = d.requires().stream()
        .filter(r -> !r.name().startsWith("java."))
        .map(r -> r.name() + (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)
            ? " (transitive)" : ""))
        .collect(Collectors.toSet());
    assertEquals(Set.of("dev.autokey.core (transitive)", "org.bouncycastle.provider",
        "org.bouncycastle.pkix"), requires);
  }

  @Test
  void apiSignaturesNameOnlyJdkOwnAndCoreTypes() throws Exception {
    ModuleReference crypto = ModuleDescriptorSupport.module(MAIN_CLASS);
    Set<String> allowed = new HashSet<>(EXPORTS);
    allowed.addAll(ModuleDescriptorSupport.exportedPackages(
        ModuleDescriptorSupport.descriptor(XEvent.class)));
    var api = ModuleDescriptorSupport.apiClasses(crypto, MAIN_CLASS.getClassLoader());
    assertTrue(api.size() > 30, api.size() + " API classes");
    assertEquals(Map.of(), ApiSurface.foreignTypes(api, ApiSurface.jdkOr(allowed)));
  }
}
