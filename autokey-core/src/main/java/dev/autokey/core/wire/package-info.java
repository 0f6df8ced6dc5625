/** Autokey packets on the wire: NTP header view, extension fields, MAC, crypto-NAK, host status word, in ntpd 4.2.8p15's octet order. */
package dev.autokey.core.wire;
