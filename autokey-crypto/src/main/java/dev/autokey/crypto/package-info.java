/** Bouncy Castle implementations of the core crypto interfaces, digests and the crypto policy (strict / legacy). */
package dev.autokey.crypto;
