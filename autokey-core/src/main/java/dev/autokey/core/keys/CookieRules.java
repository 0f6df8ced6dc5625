package dev.autokey.core.keys;

import java.util.Objects;

/**
 * Which cookie goes into a session key (docs/protocol.md §7.3), as ntpd 4.2.8p15 decides it:
 *
 * <table>
 *   <caption>cookie in the key</caption>
 *   <tr><th>packet</th><th>MAC key</th><th>key list / hash chain</th></tr>
 *   <tr><td>any packet carrying an extension field</td><td>0</td><td>the mode's cookie</td></tr>
 *   <tr><td>client/server, no extension field</td><td>the server cookie (0 before the client has
 *     one)</td><td>the server cookie</td></tr>
 *   <tr><td>symmetric, no extension field</td><td>host cookie XOR peer cookie (0 before
 *     agreement)</td><td>the same</td></tr>
 *   <tr><td>broadcast</td><td>0</td><td>0</td></tr>
 * </table>
 *
 * <p>The server's fast path judges "the request carried an extension field" by length alone
 * ({@link #requestHadExtensionFields}), and keys its reply the same way.
 */
public final class CookieRules {
  /** The cookie value meaning "no cookie". */
  public static final int NO_COOKIE = 0;

  /** Bytes of header plus the longest MAC: a request longer than this carried an EF (ntpd). */
  static final int HEADER_PLUS_MAX_MAC = 48 + 24;

  private CookieRules() {}

  /**
   * The cookie in the MAC key of a packet.
   *
   * @param mode the association's keying mode
   * @param hasExtensionFields whether the packet carries at least one extension field (for a
   *     server reply: whether the request did, see {@link #requestHadExtensionFields})
   * @param cookie the mode's cookie: the server cookie (client/server; on the server computed per
   *     packet by {@link ServerCookies}), the agreed symmetric cookie, 0 if none yet
   */
  public static int macCookie(KeyingMode mode, boolean hasExtensionFields, int cookie) {
    Objects.requireNonNull(mode, "mode");
    if (mode == KeyingMode.BROADCAST || hasExtensionFields) {
      return NO_COOKIE;
    }
    return cookie;
  }

  /**
   * The cookie of key lists ({@link KeyList#generate}) and of the receiver's hash chain ({@link
   * KeyChain#check}): 0 in broadcast mode, else the mode's cookie, whether or not the packet
   * carries an extension field.
   */
  public static int chainCookie(KeyingMode mode, int cookie) {
    Objects.requireNonNull(mode, "mode");
    return mode == KeyingMode.BROADCAST ? NO_COOKIE : cookie;
  }

  /** The symmetric-mode cookie: own host cookie XOR the cookie received from the peer. */
  public static int symmetricCookie(int ownHostCookie, int receivedCookie) {
    return ownHostCookie ^ receivedCookie;
  }

  /**
   * The server fast path's test for "the request contained an extension field": its length
   * exceeds 48 + 24 bytes (ntpd {@code fast_xmit}). The reply's MAC key then uses cookie 0.
   */
  public static boolean requestHadExtensionFields(int requestLength) {
    return requestLength > HEADER_PLUS_MAX_MAC;
  }
}
