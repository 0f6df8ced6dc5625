package dev.autokey.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.ApiSurface;
import dev.autokey.testing.ModuleDescriptorSupport;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReference;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module's API tier, read from the compiled {@code module-info.class}: exactly these packages
 * are exported; every other package is internal; the API's signatures name only JDK and own
 * types. Adding or removing an exported package is an API decision: it changes {@link #EXPORTS}.
 */
class ModuleDescriptorTest {
  /** The exported packages of dev.autokey.core. */
  static final Set<String> EXPORTS = Set.of(
      "dev.autokey.core",
      "dev.autokey.core.cert",
      "dev.autokey.core.crypto",
      "dev.autokey.core.digest",
      "dev.autokey.core.identity",
      "dev.autokey.core.keys",
      "dev.autokey.core.protocol",
      "dev.autokey.core.sim",
      "dev.autokey.core.wire");

  @Test
  void exportsExactlyTheApiPackages() throws Exception {
    ModuleDescriptor d = ModuleDescriptorSupport.descriptor(XEvent.class);
    assertEquals("dev.autokey.core", d.name());
    assertEquals(new TreeSet<>(EXPORTS), ModuleDescriptorSupport.exports(d));
    for (String p : d.packages()) {
      assertTrue(EXPORTS.contains(p) || p.equals("dev.autokey.core.internal")
          || p.startsWith("dev.autokey.core.internal."), "neither exported nor internal: " + p);
    }
  }

  @Test
  void requiresNothingButTheJdk() throws Exception {
    ModuleDescriptor d = ModuleDescriptorSupport.descriptor(XEvent.class);
    Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name)
        .filter(n -> !n.startsWith("java.")).collect(Collectors.toSet());
    assertEquals(Set.of(), requires, "core needs nothing beyond the JDK");
    assertFalse(d.requires().stream().anyMatch(r -> r.name().startsWith("org.bouncycastle")),
        "core must not depend on Bouncy Castle");
  }

  @Test
  void apiSignaturesNameOnlyJdkAndCoreTypes() throws Exception {
    ModuleReference core = ModuleDescriptorSupport.module(XEvent.class);
    var api = ModuleDescriptorSupport.apiClasses(core, XEvent.class.getClassLoader());
    assertTrue(api.size() > 100, api.size() + " API classes");
    assertEquals(Map.of(), ApiSurface.foreignTypes(api, ApiSurface.jdkOr(EXPORTS)));
  }

  @Test
  void xeventCodesMatchNtpd() {
    assertEquals(0x101, XEvent.LEN.code());
    assertEquals(0x10f, XEvent.ERR.code());
    assertEquals(XEvent.CRT, XEvent.ofCode(0x10d));
    assertTrue(XEvent.ERR.restartsAssociation());
    assertFalse(XEvent.SIG.restartsAssociation());
    assertEquals("XEVNT_LEN: x", new AutokeyException(XEvent.LEN, "x").getMessage());
  }
}
