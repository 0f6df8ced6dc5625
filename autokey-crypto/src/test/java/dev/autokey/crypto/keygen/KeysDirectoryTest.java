package dev.autokey.crypto.keygen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.core.XEvent;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarning;
import dev.autokey.core.crypto.CryptoWarningListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Item 1 / T40: every sample host loads; clear typed errors for missing, mismatched, weak files. */
class KeysDirectoryTest {
  record Host(String dir, String host, String pw, String group, String sign) {}

  static final List<Host> HOSTS = List.of(
      new Host("default", "kiwi.shared.test", "kiwi.shared.test", null, null),
      new Host("tc-iff", "ntp1.shared.test", "Iff-Pass1", "orchard", null),
      new Host("tc-gq", "ntp2.shared.test", "Gq-Pass3", "meadow", null),
      new Host("tc-mv", "ntp3.shared.test", "Mv-Pass5", "harbor", null),
      new Host("dsa-sign", "ntp4.shared.test", "Dsa-Pass7", null, "ntpkey_DSAsign_ntp4.shared.test.4004335814"),
      new Host("private", "ntp5.shared.test", "Pc-Pass8", null, null),
      new Host("dsa-sign-sha256", "ntp6.shared.test", "Dsa-Pass9", null,
          "ntpkey_DSAsign_ntp6.shared.test.4005670589"));

  @Test
  void everySampleHostLoadsInLegacyModeWithWarnings() throws Exception {
    for (Host h : HOSTS) {
      List<CryptoWarning> w = new ArrayList<>();
      KeysDirectory d = KeysDirectory.of(KeygenSamples.dir(h.dir()), CryptoPolicy.legacy(w::add));
      HostCredentials c = d.loadHost(h.host(), h.pw().toCharArray());
      assertEquals(h.group() == null ? h.host() : h.host() + "@" + h.group(), c.hostName());
      assertEquals(java.util.Optional.ofNullable(h.group()), c.groupName());
      assertEquals(h.dir().equals("dsa-sign-sha256") ? 4005670589L
          : 4004335813L + (h.dir().equals("dsa-sign") || h.dir().equals("private") ? 1 : 0),
          c.hostKeyFilestamp());
      assertEquals(h.sign(), c.signKeyFile().map(KeysDirectory.Loaded::fileName).orElse(null));
      // the files carry JCA keys: the host key, and the sign key when there is a sign file
      assertEquals(c.hostKey(), c.hostKeyFile().value());
      assertEquals("ntpkey_host_" + h.host(), c.hostKeyFile().linkName());
      assertEquals(c.hostKeyFilestamp(), c.hostKeyFile().filestamp());
      if (h.sign() == null) {
        assertEquals(c.hostKey(), c.signKey(), h.dir());
      } else {
        assertEquals(c.signKey(), c.signKeyFile().orElseThrow().value(), h.dir());
        assertTrue(!c.signKey().equals(c.hostKey()), h.dir());
      }
      assertTrue(w.stream().anyMatch(x -> x.kind() == CryptoWarning.Kind.SHORT_KEY), h.dir());
      assertTrue(w.stream().anyMatch(x -> x.kind() == CryptoWarning.Kind.UNUSUAL_FILE), "link stubs reported");
      assertTrue(c.toString().contains(h.host()));
      if (h.group() != null) {
        Map<String, String> ids = d.identityFiles(h.host());
        assertTrue(!ids.isEmpty(), "identity links for " + h.host());
      }
    }
  }

  @Test
  void strictModeRefusesTheDefaultSet_T40() {
    KeysDirectory d = KeysDirectory.of(KeygenSamples.dir("default"),
        CryptoPolicy.strict(CryptoWarningListener.IGNORE));
    KeygenException e = assertThrows(KeygenException.class,
        () -> d.loadHost("kiwi.shared.test", "kiwi.shared.test".toCharArray()));
    assertEquals(KeygenException.Reason.POLICY, e.reason());
    assertTrue(e.getMessage().contains("512-bit"), e.getMessage());
  }

  @Test
  void wrongPasswordNamesTheFile() {
    KeysDirectory d = KeysDirectory.of(KeygenSamples.dir("tc-iff"), CryptoPolicy.legacy(CryptoWarningListener.IGNORE));
    KeygenException e = assertThrows(KeygenException.class,
        () -> d.loadHost("ntp1.shared.test", "ntp1.shared.test".toCharArray()));
    assertEquals(KeygenException.Reason.WRONG_PASSWORD, e.reason());
    assertEquals(XEvent.PUB, e.event());
    assertTrue(e.getMessage().contains("ntpkey_host_ntp1.shared.test"), e.getMessage());
  }

  @Test
  void missingAndMismatchedFiles(@TempDir Path tmp) throws Exception {
    CryptoPolicy legacy = CryptoPolicy.legacy(CryptoWarningListener.IGNORE);
    Path a = KeygenSamples.dir("default");
    Path b = KeygenSamples.dir("private");
    // host key only
    Files.copy(a.resolve("ntpkey_RSAhost_kiwi.shared.test.4004335813"), tmp.resolve("ntpkey_RSAhost_kiwi.shared.test.4004335813"));
    KeygenFile.link(tmp, "ntpkey_host_kiwi.shared.test", "ntpkey_RSAhost_kiwi.shared.test.4004335813");
    KeygenException e = assertThrows(KeygenException.class,
        () -> KeysDirectory.of(tmp, legacy).loadHost("kiwi.shared.test", "kiwi.shared.test".toCharArray()));
    assertEquals(KeygenException.Reason.MISSING_FILE, e.reason());
    assertEquals(XEvent.CRT, e.event());
    assertTrue(e.getMessage().contains("ntpkey_cert_kiwi.shared.test"), e.getMessage());
    // another host's certificate
    Files.copy(b.resolve("ntpkey_RSA-SHA256cert_ntp5.shared.test.4004335814"), tmp.resolve("ntpkey_RSA-SHA256cert_ntp5.shared.test.4004335814"));
    KeygenFile.link(tmp, "ntpkey_cert_kiwi.shared.test", "ntpkey_RSA-SHA256cert_ntp5.shared.test.4004335814");
    e = assertThrows(KeygenException.class,
        () -> KeysDirectory.of(tmp, legacy).loadHost("kiwi.shared.test", "kiwi.shared.test".toCharArray()));
    assertEquals(KeygenException.Reason.MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("certifies a different key"), e.getMessage());
    // dangling link
    KeygenFile.link(tmp, "ntpkey_cert_kiwi.shared.test", "ntpkey_nothing.1");
    e = assertThrows(KeygenException.class,
        () -> KeysDirectory.of(tmp, legacy).loadHost("kiwi.shared.test", "kiwi.shared.test".toCharArray()));
    assertEquals(KeygenException.Reason.MISSING_FILE, e.reason());
    assertTrue(e.getMessage().contains("dangling"), e.getMessage());
    // no host key at all
    e = assertThrows(KeygenException.class,
        () -> KeysDirectory.of(tmp, legacy).loadHost("other", "x".toCharArray()));
    assertEquals(KeygenException.Reason.MISSING_FILE, e.reason());
    assertTrue(e.getMessage().contains("ntpkey_host_other"), e.getMessage());
  }
}
