package dev.autokey.core.keys;

/**
 * Outcome of {@link KeyChain#check}.
 *
 * @param accepted whether the key ID hashed back to the previous key ID or the published one
 * @param hashes session-key computations made, counting the first hash of the packet's key ID
 * @param skipped extra hashes beyond the first (lost packets skipped); 0 when the key ID directly
 *     follows the previous one
 * @param remaining the remaining-sequence counter after the check ({@code seq - skipped} if
 *     accepted, unchanged if not)
 */
public record ChainResult(boolean accepted, int hashes, int skipped, int remaining) {}
