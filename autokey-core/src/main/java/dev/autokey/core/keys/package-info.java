/** Session keys, key IDs, key lists, autokey values, server cookies and the per-packet MAC. */
package dev.autokey.core.keys;
