package dev.autokey.interop;

import java.util.ArrayList;
import java.util.List;

/**
 * An ntp.conf for the reference ntpd in a namespace, in the shape that is known to work for
 * Autokey with 4.2.8p15: every path relative to the host folder (keys/, stats/), all statistics
 * files on, the clock discipline off ({@code disable ntp kernel}; the daemon also runs without
 * CAP_SYS_TIME), orphan mode so the host counts as synchronized without a time source (otherwise
 * ntpd signs nothing and its client never asks for SIGN/LEAP), and no rate limiting.
 */
public final class NtpConf {
  private final String host;
  private final String password;
  private String ident;
  private String digest;
  private int orphanStratum = 10;
  private boolean leapFile = true;
  private final List<String> extra = new ArrayList<>();

  private NtpConf(String host, String password) {
    this.host = host;
    this.password = password;
  }

  /** An Autokey host: {@code crypto pw PASSWORD host HOST}. */
  public static NtpConf autokey(String host, String password) {
    return new NtpConf(host, password);
  }

  /** A host without Autokey (no keysdir, no crypto line): plain NTP only. */
  public static NtpConf plain() {
    return new NtpConf(null, null);
  }

  /** Adds {@code ident GROUP} to the crypto line (server identity files are found by it). */
  public NtpConf ident(String group) {
    this.ident = group;
    return this;
  }

  /** Adds {@code digest NAME} to the crypto line (session digest; default MD5). */
  public NtpConf digest(String name) {
    this.digest = name;
    return this;
  }

  /** {@code tos orphan N orphanwait 1} (default 10; a server should use a lower stratum). */
  public NtpConf orphan(int stratum) {
    this.orphanStratum = stratum;
    return this;
  }

  /** Whether to load {@code leap-seconds.list} from the host folder (default yes). */
  public NtpConf leapFile(boolean on) {
    this.leapFile = on;
    return this;
  }

  /** {@code server ADDRESS autokey [ident G] iburst minpoll P maxpoll P}. */
  public NtpConf server(String address, String group, int poll) {
    return line("server " + address + " autokey" + (group == null ? "" : " ident " + group)
        + " iburst minpoll " + poll + " maxpoll " + poll);
  }

  /** Any further configuration line. */
  public NtpConf line(String line) {
    extra.add(line);
    return this;
  }

  /** Whether {@link #leapFile(boolean)} is on. */
  public boolean usesLeapFile() {
    return leapFile;
  }

  /** The file text. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# written by the autokey interop harness; paths are relative to this folder\n");
    if (host != null) {
      sb.append("keysdir keys\n");
      sb.append("crypto pw ").append(password).append(" host ").append(host);
      if (ident != null) {
        sb.append(" ident ").append(ident);
      }
      if (digest != null) {
        sb.append(" digest ").append(digest);
      }
      sb.append('\n');
    }
    sb.append("driftfile ntp.drift\n");
    sb.append("statsdir stats/\n");
    sb.append("statistics cryptostats protostats peerstats rawstats\n");
    for (String s : List.of("cryptostats", "protostats", "peerstats", "rawstats")) {
      sb.append("filegen ").append(s).append(" file ").append(s).append(" type none enable\n");
    }
    sb.append("disable ntp kernel\n");
    sb.append("tos orphan ").append(orphanStratum).append(" orphanwait 1\n");
    if (leapFile) {
      sb.append("leapfile leap-seconds.list\n");
    }
    sb.append("restrict default nomodify notrap\n");
    sb.append("restrict 127.0.0.1\n");
    sb.append("restrict ::1\n");
    for (String l : extra) {
      sb.append(l).append('\n');
    }
    return sb.toString();
  }
}
