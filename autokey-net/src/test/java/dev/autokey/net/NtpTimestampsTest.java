package dev.autokey.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.PropertyCheck;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NtpTimestampsTest {
  @Test
  void knownValues() {
    // RFC 5905: the Unix epoch is NTP second 2208988800
    assertEquals(2_208_988_800L << 32, NtpTimestamps.fromInstant(Instant.EPOCH));
    assertEquals((2_208_988_800L << 32) | 0x8000_0000L,
        NtpTimestamps.fromInstant(Instant.ofEpochSecond(0, 500_000_000)));
    // the tc-client capture's reply transmit timestamp eead58f7.9d1e9671 is 2026-11-23
    Instant t = NtpTimestamps.toInstant(0xeead58f79d1e9671L, Instant.parse("2026-12-01T00:00:00Z"));
    assertEquals("2026-11-", t.toString().substring(0, 8));
    assertEquals(1_500_000_000L, NtpTimestamps.shortToNanos(0x0001_8000L));
    assertEquals(0x0001_8000L, NtpTimestamps.nanosToShort(1_500_000_000L));
  }

  @Test
  void eraRollover2036() {
    Instant before = Instant.parse("2036-02-07T06:28:15Z");
    Instant after = Instant.parse("2036-02-07T06:28:17Z");
    long a = NtpTimestamps.fromInstant(before);
    long b = NtpTimestamps.fromInstant(after);
    assertEquals(0xFFFF_FFFFL, a >>> 32);
    assertEquals(1L, b >>> 32);
    assertEquals(2_000_000_000L, NtpTimestamps.differenceNanos(b, a));
    assertEquals(after, NtpTimestamps.toInstant(b, before));
  }

  @Test
  void instantRoundTrip() {
    PropertyCheck.forAll("instant round trip within 1 ns", g -> {
      long sec = g.longBetween(-2_208_988_800L, 4_000_000_000L);
      Instant i = Instant.ofEpochSecond(sec, g.intBetween(0, 999_999_999));
      Instant back = NtpTimestamps.toInstant(NtpTimestamps.fromInstant(i), i.plusSeconds(g.intBetween(-1 << 30, 1 << 30)));
      long diff = Math.abs(back.getEpochSecond() * 1_000_000_000L + back.getNano()
          - (i.getEpochSecond() * 1_000_000_000L + i.getNano()));
      assertTrue(diff <= 1, i + " -> " + back);
    });
  }

  @Test
  void onWireFormulas() {
    PropertyCheck.forAll("offset and delay recover a simulated exchange", g -> {
      // server clock = client clock + theta; one-way delays d1, d2; server processing p
      long base = NtpTimestamps.fromInstant(Instant.ofEpochSecond(g.longBetween(0, 2_000_000_000L)));
      long theta = g.longBetween(-1_000_000_000_000L, 1_000_000_000_000L); // ±1000 s in ns
      long d1 = g.longBetween(0, 500_000_000L);
      long d2 = g.longBetween(0, 500_000_000L);
      long p = g.longBetween(0, 10_000_000L);
      long t1 = base;
      long t2 = t1 + NtpTimestamps.fromNanos(d1 + theta);
      long t3 = t2 + NtpTimestamps.fromNanos(p);
      long t4 = t1 + NtpTimestamps.fromNanos(d1 + p + d2);
      long off = TimeSample.offsetNanos(t1, t2, t3, t4);
      long del = TimeSample.delayNanos(t1, t2, t3, t4);
      // RFC 5905: θ is exact up to half the delay asymmetry
      long expectedOff = theta + (d1 - d2) / 2;
      assertTrue(Math.abs(off - expectedOff) <= 3, off + " vs " + expectedOff);
      assertTrue(Math.abs(del - (d1 + d2)) <= 3, del + " vs " + (d1 + d2));
    });
  }
}
