package dev.autokey.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autokey.core.AutokeyException;
import dev.autokey.core.cert.CertificateCache;
import dev.autokey.core.crypto.CryptoPolicy;
import dev.autokey.core.crypto.CryptoWarningListener;
import dev.autokey.crypto.internal.keygen.KeygenFiles;
import dev.autokey.crypto.internal.keygen.PemBlock;
import dev.autokey.crypto.internal.keygen.PrivateKeyBlocks;
import dev.autokey.crypto.internal.keygen.PrivateKeyEncryption;
import dev.autokey.crypto.keygen.HostCredentials;
import dev.autokey.crypto.keygen.KeygenFile;
import dev.autokey.crypto.keygen.KeysDirectory;
import dev.autokey.crypto.keygen.SymmetricKeysFile;
import dev.autokey.testing.TestData;
import java.security.SecureRandom;

/**
 * Fuzz targets for every decoder of this package and the keygen package: ntp-keygen files (header,
 * PEM, private-key blocks), PKCS#8 PBES2, symmetric keys files, certificates (cert_parse and the
 * cache), COOK request keys and COOK response ciphertexts. The only acceptable failure is an
 * {@link AutokeyException}. Seeds: the sample ntp-keygen files and the captured tc-client COOK
 * values, in {@code CryptoFuzzTestInputs/}.
 */
class CryptoFuzzTest {
  private static final char[] PW = "kiwi.shared.test".toCharArray();
  private static final CryptoPolicy LEGACY = CryptoPolicy.legacy(CryptoWarningListener.IGNORE);
  private static final BcCookieCipher SERVER = BcCookieCipher.serverOnly(LEGACY, new SecureRandom());
  private static final BcCookieCipher CLIENT;

  static {
    try {
      HostCredentials c = KeysDirectory.of(TestData.path("captures/tc-client/client/keys"), LEGACY)
          .loadHost("client", "clientpw".toCharArray());
      CLIENT = c.cookieCipher(new SecureRandom());
    } catch (AutokeyException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void keygenFile(byte[] input) {
    try {
      KeygenFile f = KeygenFile.parse(input);
      f.toBytes();
      for (PemBlock b : KeygenFiles.blocks(f)) {
        if (!b.label().equals(PemBlock.CERTIFICATE)) {
          PrivateKeyBlocks.decode(b, PW);
        }
      }
    } catch (AutokeyException expected) {
      // rejected with a typed error: fine
    }
  }

  @FuzzTest(maxDuration = "30s")
  void pkcs8Decrypt(byte[] input) {
    try {
      PrivateKeyEncryption.decrypt(input, PW);
    } catch (AutokeyException expected) {
      // rejected
    }
  }

  @FuzzTest(maxDuration = "30s")
  void symmetricKeys(byte[] input) {
    try {
      SymmetricKeysFile.parse(input, CryptoWarningListener.IGNORE);
    } catch (AutokeyException expected) {
      // rejected
    }
  }

  @FuzzTest(maxDuration = "30s")
  void certificate(byte[] input) {
    try {
      new CertificateCache(BcCertificateCodec.INSTANCE, "fuzz", 4).install(input, 0, 0);
    } catch (AutokeyException expected) {
      // rejected
    }
  }

  @FuzzTest(maxDuration = "30s")
  void cookieRequestKey(byte[] input) {
    try {
      SERVER.encrypt(0x12345678, input);
    } catch (AutokeyException expected) {
      // rejected
    }
  }

  @FuzzTest(maxDuration = "30s")
  void cookieDecrypt(byte[] input) {
    try {
      CLIENT.decrypt(input);
    } catch (AutokeyException expected) {
      // rejected
    }
  }
}
