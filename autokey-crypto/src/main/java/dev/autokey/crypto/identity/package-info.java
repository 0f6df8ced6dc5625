/** IFF, GQ and MV arithmetic, parameter generation and key files (ntp-keygen and ntpd-usable flavours). */
package dev.autokey.crypto.identity;
