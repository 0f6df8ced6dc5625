package dev.autokey.core.internal;

/** Argument checks for configuration code (not a per-packet path). */
public final class Checks {
  private Checks() {}

  /**
   * Throws {@link IllegalArgumentException} with {@code String.format(template, args)} unless
   * {@code ok}.
   */
  public static void argument(boolean ok, String template, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, template, args));
    }
  }
}
