/** Certificate values, the certificate-trail cache and trust decisions (cert_install / cert_hike semantics). */
package dev.autokey.core.cert;
