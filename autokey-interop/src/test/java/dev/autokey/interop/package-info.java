/**
 * The project's live-interop harness with the reference ntpd 4.2.8p15 (test code; the live cases
 * carry {@code @Tag("interop")} and run with {@code ./mvnw -Pinterop verify}, as root).
 *
 * <p>Building blocks, usable by any live case (ntpd-to-ntpd here, Java-to-ntpd later):
 *
 * <ul>
 *   <li>{@link dev.autokey.interop.ReferenceNtpd#get()}: the fetched binaries ({@code ntpd},
 *       {@code ntp-keygen}, {@code ntpq}, their {@code LD_LIBRARY_PATH}); {@code keygen(dir, log,
 *       args...)} runs the reference ntp-keygen.
 *   <li>{@link dev.autokey.interop.NetnsPair#open(String)}: two namespaces joined by a veth pair
 *       on a free slot; {@code server()} / {@code client()} are {@link dev.autokey.interop.Netns}
 *       with {@code ipv4()}, {@code ipv6()}, {@code ipv4Broadcast()}, {@code iface()}. A
 *       {@code Netns} runs commands ({@code run}), daemons ({@code start}), a Java main class of
 *       this class path in a new JVM inside the namespace ({@code startJava}) and a capture
 *       ({@code capture(pcap)}). Closing the pair stops everything and deletes the namespaces.
 *   <li>{@link dev.autokey.interop.Ntpd}: one ntpd host folder and daemon: {@code prepare},
 *       {@code configure(NtpConf)}, {@code start}, {@code awaitSynchronized}, {@code ntpq(...)},
 *       {@code associations()}, {@code peerVars(assid)}, {@code sysVars()},
 *       {@code cryptostatsErrors()}, {@code saveNtpqViews()}.
 *   <li>{@link dev.autokey.interop.NtpConf}: the ntp.conf shape known to work for Autokey
 *       (orphan mode, no discipline, relative paths); {@code server(addr, group, poll)} for the
 *       client line, {@code line(...)} for anything else.
 *   <li>{@link dev.autokey.interop.FlagWatch#await}: watches an ntpd's association until all
 *       flags while reachable plus N authenticated peerstats samples; returns the timeline.
 *   <li>Judges: {@link dev.autokey.interop.NtpqVars}, {@link dev.autokey.interop.NtpqAssociation},
 *       {@link dev.autokey.interop.CryptoStats} ({@code errors}, {@code challengeDefectLines},
 *       {@code steps}), {@link dev.autokey.interop.PeerStats}, {@link
 *       dev.autokey.interop.CaptureSummary} (capture decoded with our {@code PacketCodec}).
 *   <li>{@link dev.autokey.interop.NtpdPairCase}: the ready-made ntpd client + ntpd server case;
 *       {@link dev.autokey.interop.KeyMaterial} decides who writes the key folders
 *       ({@link dev.autokey.interop.NtpKeygenKeys}, {@link dev.autokey.interop.OurIdentityKeys});
 *       {@link dev.autokey.interop.InteropReport#assertAllFlags} is the pass criterion.
 * </ul>
 *
 * <p>A Java-to-ntpd case: open a pair, prepare and start an ntpd on one side, start the Java side
 * with {@code pair.client().startJava(label, MainClass.class.getName(), jvmArgs, args, dir, log)}
 * (the main class lives in this module's test code or a dependency), then judge ntpd's view with
 * {@code FlagWatch.await} (ntpd as client) or {@code cryptostatsErrors()} (ntpd as server) and the
 * Java side's own output in {@code log}.
 */
package dev.autokey.interop;
