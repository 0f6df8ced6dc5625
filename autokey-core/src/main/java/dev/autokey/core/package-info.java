/** Autokey (RFC 5906) core: error codes and the exception root shared by every package. */
package dev.autokey.core;
