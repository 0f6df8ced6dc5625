/** Implementation details of {@code dev.autokey.net}; not exported. */
package dev.autokey.net.internal;
