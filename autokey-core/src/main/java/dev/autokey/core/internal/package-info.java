/** Internal helpers. Not exported; not API. */
package dev.autokey.core.internal;
