package dev.autokey.core.crypto;

/** Receives {@link CryptoWarning}s. Must not throw; called on the caller's thread. */
@FunctionalInterface
public interface CryptoWarningListener {
  /** Ignores every warning. */
  CryptoWarningListener IGNORE = w -> {};

  /** Called once per weak-but-accepted item. */
  void warn(CryptoWarning warning);
}
