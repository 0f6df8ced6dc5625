package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
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
 * dev.autokey.core types (core is {@code requires transitive}), never a Guava type. Adding or
 * removing an exported package is an API decision: it changes {@link #EXPORTS}.
 */
class ModuleDescriptorTest {
  /** The exported packages of dev.autokey.net. */
  static final Set<String> EXPORTS = Set.of("dev.autokey.net");

  @Test
  void exportsExactlyTheApiPackages() throws Exception {
    ModuleDescriptor d = ModuleDescriptorSupport.descriptor(UdpTransport.class);
    assertEquals("dev.autokey.net", d.name());
    assertEquals(new TreeSet<>(EXPORTS), ModuleDescriptorSupport.exports(d));
    for (String p : d.packages()) {
      assertTrue(EXPORTS.contains(p) || p.equals("dev.autokey.net.internal")
          || p.startsWith("dev.autokey.net.internal."), "neither exported nor internal: " + p);
    }
  }

  @Test
  void needsOnlyTheJdkCoreAndGuava() throws Exception {
    ModuleDescriptor d = ModuleDescriptorSupport.descriptor(UdpTransport.class);
    Set<String> requires = d.requires().stream()
        .filter(r -> !r.name().startsWith("java."))
        .map(r -> r.name() + (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)
            ? " (transitive)" : ""))
        .collect(Collectors.toSet());
    assertEquals(Set.of("dev.autokey.core (transitive)", "com.google.common"), requires);
  }

  @Test
  void apiSignaturesNameOnlyJdkOwnAndCoreTypes() throws Exception {
    ModuleReference net = ModuleDescriptorSupport.module(UdpTransport.class);
    Set<String> allowed = new HashSet<>(EXPORTS);
    allowed.addAll(ModuleDescriptorSupport.exportedPackages(
        ModuleDescriptorSupport.descriptor(XEvent.class)));
    var api = ModuleDescriptorSupport.apiClasses(net, UdpTransport.class.getClassLoader());
    assertTrue(api.size() > 20, api.size() + " API classes");
    assertEquals(Map.of(), ApiSurface.foreignTypes(api, ApiSurface.jdkOr(allowed)));
  }
}
