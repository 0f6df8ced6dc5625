package dev.autokey.core.crypto;

import dev.autokey.core.AutokeyException;

/** Builds the {@link SymmetricMac} for a key of a keys file. */
@FunctionalInterface
public interface SymmetricMacFactory {
  /**
   * The MAC for a key.
   *
   * @throws AutokeyException ({@code XEVNT_MD}) when the key type has no implementation
   */
  SymmetricMac forKey(SymmetricKey key) throws AutokeyException;
}
