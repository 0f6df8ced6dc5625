package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.autokey.testing.ModuleDescriptorSupport;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
  @Test
  void exportsOnlyTheApiPackageAndNeedsOnlyTheJdkAndCore() throws Exception {
    ModuleDescriptor d;
    try (InputStream in = ModuleDescriptorSupport.open(UdpTransport.class)) {
      d = ModuleDescriptor.read(in);
    }
    assertEquals("dev.autokey.net", d.name());
    Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet());
    assertEquals(Set.of("dev.autokey.net"), exported);
    Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name)
        .filter(n -> !n.startsWith("java."))
        .collect(Collectors.toSet());
    assertEquals(Set.of("dev.autokey.core", "com.google.common"), requires);
    assertFalse(requires.stream().anyMatch(n -> n.contains("bouncycastle") || n.contains("netty")));
  }
}
