package dev.autokey.core.keys;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * A sender's key list, generated as ntpd's {@code make_keylist} does it (docs/protocol.md §7.4) and
 * used in reverse. Immutable (its {@link Cursor} is the mutable part).
 *
 * <ol>
 *   <li>A random first key ID {@code k0 > 65535}, drawn from the injected {@link SecureRandom}, not
 *       already in use.
 *   <li>{@code list[i] = k_i}, {@code k_{i+1} = nextID(session key(local, remote, k_i, cookie))};
 *       entry {@code i} lives {@code lifetime_i + mpoll} seconds, {@code lifetime} shrinking by
 *       {@code mpoll} per entry; stop after 100 entries, when {@code k_{i+1}} is in use (here: in
 *       the list or matched by the caller's predicate), is 65535 or less, the lifetime runs out,
 *       or the clock is unsynchronised (single entry).
 *   <li>Autokey values {@code {k_{n+1}, n}} for the last index {@code n} (to be signed and
 *       published in an AUTO response).
 *   <li>Transmission order: {@code list[n]}, {@code list[n-1]}, ..., {@code list[0]}, so each
 *       transmitted key ID hashes to the one sent before it, and the first to the published key.
 * </ol>
 *
 * <p>The key IDs are public once sent; the cookie the list was made with is not kept.
 */
public final class KeyList {
  /** Most entries in a list ({@code NTP_MAXSESSION}). */
  public static final int MAX_KEYS = 100;

  /** Draws of the first key ID before giving up on a predicate that rejects everything. */
  static final int MAX_FIRST_KEY_DRAWS = 1024;

  private final int[] keys;
  private final AutokeyValues values;
  private final long pollSeconds;
  private final long lifetimeSeconds;

  private KeyList(int[] keys, AutokeyValues values, long pollSeconds, long lifetimeSeconds) {
    this.keys = keys;
    this.values = values;
    this.pollSeconds = pollSeconds;
    this.lifetimeSeconds = lifetimeSeconds;
  }

  /** {@link #generate(SessionKeyEngine, AddressPair, int, KeyListParameters, SecureRandom, IntPredicate)} with no key in use. */
  public static KeyList generate(SessionKeyEngine engine, AddressPair localToRemote, int cookie,
      KeyListParameters parameters, SecureRandom random) {
    return generate(engine, localToRemote, cookie, parameters, random, k -> false);
  }

  /**
   * Generates a key list.
   *
   * @param engine the session-key engine (its digest is the session digest)
   * @param localToRemote (local address, remote address): the direction of the packets the keys
   *     will protect (for a broadcast server: its address and the broadcast address)
   * @param cookie the list's cookie, {@link CookieRules#chainCookie}: 0 in broadcast mode, else
   *     the association's cookie (0 before it has one)
   * @param parameters poll interval, automax and synchronisation
   * @param random the source of the first key ID
   * @param keyInUse key IDs already in the local key cache (ntpd's {@code auth_havekey})
   * @throws IllegalStateException if {@code keyInUse} rejected {@value #MAX_FIRST_KEY_DRAWS}
   *     random first key IDs in a row
   */
  public static KeyList generate(SessionKeyEngine engine, AddressPair localToRemote, int cookie,
      KeyListParameters parameters, SecureRandom random, IntPredicate keyInUse) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(localToRemote, "localToRemote");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(keyInUse, "keyInUse");
    int k = firstKeyId(random, keyInUse);
    long mpoll = parameters.pollSeconds();
    long total = parameters.lifetimeSeconds();
    long lifetime = total;
    int[] list = new int[MAX_KEYS];
    int[] seen = new int[256]; // open-addressing set of the list's IDs; 0 (never an Autokey ID) = empty
    int n = 0;
    for (int i = 0; i < MAX_KEYS; i++) {
      list[i] = k;
      add(seen, k);
      n = i;
      k = engine.nextKeyId(localToRemote, k, cookie);
      lifetime -= mpoll;
      if (contains(seen, k) || keyInUse.test(k) || !KeyIds.isAutokey(k) || lifetime < 0
          || !parameters.synchronised()) {
        break;
      }
    }
    return new KeyList(Arrays.copyOf(list, n + 1), new AutokeyValues(k, n), mpoll, total);
  }

  private static int firstKeyId(SecureRandom random, IntPredicate keyInUse) {
    for (int attempt = 0; attempt < MAX_FIRST_KEY_DRAWS; attempt++) {
      int k = random.nextInt();
      if (KeyIds.isAutokey(k) && !keyInUse.test(k)) {
        return k;
      }
    }
    throw new IllegalStateException("no usable first key ID in " + MAX_FIRST_KEY_DRAWS
        + " random draws (is every key ID reported in use?)");
  }

  private static void add(int[] set, int v) {
    int mask = set.length - 1;
    int i = mix(v) & mask;
    while (set[i] != 0) {
      if (set[i] == v) {
        return;
      }
      i = (i + 1) & mask;
    }
    set[i] = v;
  }

  private static boolean contains(int[] set, int v) {
    int mask = set.length - 1;
    int i = mix(v) & mask;
    while (set[i] != 0) {
      if (set[i] == v) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  private static int mix(int v) {
    int h = v * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** Number of entries, 1..100. */
  public int size() {
    return keys.length;
  }

  /** The entry at {@code index} in generation order ({@code list[index]}). */
  public int keyId(int index) {
    Objects.checkIndex(index, keys.length);
    return keys[index];
  }

  /** The key ID of the {@code packet}-th transmission from this list (0-based): {@code list[n - packet]}. */
  public int transmitKeyId(int packet) {
    Objects.checkIndex(packet, keys.length);
    return keys[keys.length - 1 - packet];
  }

  /** All entries in generation order (a copy). */
  public int[] keyIds() {
    return keys.clone();
  }

  /** The values to sign and publish: {@code {next ID of the last entry, last index}}. */
  public AutokeyValues autokeyValues() {
    return values;
  }

  /** The lifetime in seconds with which entry {@code index} is installed ({@code lifetime_i + mpoll}). */
  public long lifetimeSeconds(int index) {
    Objects.checkIndex(index, keys.length);
    return lifetimeSeconds - index * pollSeconds + pollSeconds;
  }

  /** A new cursor over the transmission order. */
  public Cursor cursor() {
    return new Cursor();
  }

  @Override
  public String toString() {
    return "KeyList[" + keys.length + " keys, first sent " + KeyIds.hex(keys[keys.length - 1])
        + ", " + values + "]";
  }

  /** The sender's position in a key list: hands out key IDs in transmission order. Not thread-safe. */
  public final class Cursor {
    private int next = keys.length - 1;

    private Cursor() {}

    /** Whether a key is left (after {@code list[0]} the list is exhausted and must be regenerated). */
    public boolean hasNext() {
      return next >= 0;
    }

    /** Keys left. */
    public int remaining() {
      return next + 1;
    }

    /**
     * The key ID for the next transmission.
     *
     * @throws NoSuchElementException if the list is exhausted
     */
    public int nextKeyId() {
      if (next < 0) {
        throw new NoSuchElementException("key list exhausted");
      }
      return keys[next--];
    }
  }
}
