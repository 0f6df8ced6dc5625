/** Identity schemes TC, PC, IFF, GQ and MV behind one small interface. */
package dev.autokey.core.identity;
