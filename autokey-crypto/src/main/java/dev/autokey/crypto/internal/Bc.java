package dev.autokey.crypto.internal;

import java.security.SecureRandom;

/** Shared Bouncy Castle helpers. Never registers a JCA provider globally. */
public final class Bc {
  private Bc() {}

  /** The Bouncy Castle version this module runs with, from the provider jar's manifest. */
  public static String version() {
    Package p = org.bouncycastle.crypto.Digest.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  /** A SecureRandom for callers that did not inject one. */
  public static SecureRandom defaultRandom() {
    return new SecureRandom();
  }
}
