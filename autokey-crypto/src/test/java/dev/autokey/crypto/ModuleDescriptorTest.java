package dev.autokey.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import dev.autokey.testing.ModuleDescriptorSupport;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
  private static final Class<?> MAIN_CLASS = dev.autokey.crypto.internal.Bc.class;

  @Test
  void exportsOnlyApiPackages() throws Exception {
    ModuleDescriptor d;
    try (InputStream in = ModuleDescriptorSupport.open(MAIN_CLASS)) {
      d = ModuleDescriptor.read(in);
    }
    assertEquals("dev.autokey.crypto", d.name());
    for (ModuleDescriptor.Exports e : d.exports()) {
      assertFalse(e.source().contains(".internal"), "internal package exported: " + e.source());
    }
  }
}
