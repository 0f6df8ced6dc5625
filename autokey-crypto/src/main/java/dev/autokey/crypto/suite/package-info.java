/**
 * Bouncy-Castle-backed {@link dev.autokey.core.protocol.CryptoSuite}: wires a host key, sign key,
 * certificate and identity keys/parameters into what the association engine needs ({@link
 * dev.autokey.crypto.suite.BcCryptoSuite}), and {@link dev.autokey.crypto.suite.EphemeralHosts}
 * for host credentials generated in memory (demos, TC quick starts, simulations).
 */
package dev.autokey.crypto.suite;
