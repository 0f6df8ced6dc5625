/**
 * A deterministic simulated network for tests — ours and users' own: N hosts, a virtual NTP
 * clock, per-link delay, jitter, loss, duplication and reordering, and an optional on-path
 * attacker hook; everything driven by one seed, so every run is reproducible.
 *
 * <pre>{@code
 * SimNetwork net = new SimNetwork(42, NtpTime.ofSeconds(3_900_000_000L));
 * net.defaultLink(LinkProfile.lossy(0.10));
 * AutokeyNode server = net.add(new AutokeyNode("server", serverHost, serverAddr).serve()
 *     .reference());
 * AutokeyNode client = net.add(new AutokeyNode("client", clientHost, clientAddr));
 * Association a = client.addClient(serverAddr, Optional.empty(), 4);
 * net.runUntil(a::allFlags, 3600);
 * }</pre>
 *
 * <p>{@link dev.autokey.core.sim.SimNetwork} knows only datagrams and {@link
 * dev.autokey.core.sim.SimNode}s; {@link dev.autokey.core.sim.AutokeyNode} is a ready-made node
 * that runs an {@link dev.autokey.core.protocol.AutokeyHost} (server responder and client
 * associations) with a minimal NTP layer (headers and timestamps, no clock discipline).
 */
package dev.autokey.core.sim;
