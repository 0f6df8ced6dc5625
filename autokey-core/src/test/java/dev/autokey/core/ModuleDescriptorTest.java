package dev.autokey.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import dev.autokey.testing.ModuleDescriptorSupport;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
  private static final Class<?> MAIN_CLASS = XEvent.class;

  @Test
  void exportsOnlyApiPackages() throws Exception {
    ModuleDescriptor d;
    try (InputStream in = ModuleDescriptorSupport.open(MAIN_CLASS)) {
      d = ModuleDescriptor.read(in);
    }
    assertEquals("dev.autokey.core", d.name());
    Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet());
    assertTrue(exported.contains("dev.autokey.core"), exported.toString());
    for (String p : exported) {
      assertFalse(p.contains(".internal"), "internal package exported: " + p);
    }
    assertFalse(d.requires().stream().anyMatch(r -> r.name().startsWith("org.bouncycastle")),
        "core must not depend on Bouncy Castle");
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
