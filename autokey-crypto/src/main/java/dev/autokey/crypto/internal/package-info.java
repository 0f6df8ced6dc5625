/** Internal Bouncy Castle adapters. Not exported; not API. */
package dev.autokey.crypto.internal;
