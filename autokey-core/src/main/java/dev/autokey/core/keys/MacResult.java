package dev.autokey.core.keys;

/** Outcome of {@link SessionKeyEngine#verifyMac}. */
public enum MacResult {
  /** The MAC verifies. */
  VALID,
  /**
   * The MAC field is not exactly {@code 4 + min(digest length, 20)} bytes (this includes the 4-byte
   * crypto-NAK, which callers recognise before verifying).
   */
  WRONG_LENGTH,
  /** The key ID is 65535 or less: a symmetric key, never Autokey. */
  NOT_AUTOKEY_KEY_ID,
  /** The digest differs from the one computed (compared in constant time). */
  MISMATCH;

  /** Whether this is {@link #VALID}. */
  public boolean isValid() {
    return this == VALID;
  }
}
