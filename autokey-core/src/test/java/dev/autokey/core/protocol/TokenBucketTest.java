package dev.autokey.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autokey.testing.PropertyCheck;
import org.junit.jupiter.api.Test;

/** The work budget's buckets: cost units, per-source shares, debt, and the global bound. */
class TokenBucketTest {
  static final long SECOND = 1L << 32;
  static final long T0 = NtpTime.ofSeconds(3_900_000_000L);

  @Test
  void unitIsOneRsa2048PrivateOperation() {
    assertEquals(1.0, WorkBudget.rsaPrivate(2048), 1e-9);
    assertEquals(8.0, WorkBudget.rsaPrivate(4096), 1e-9, "cubic in the modulus size");
    assertEquals(WorkBudget.MIN_OPERATION, WorkBudget.rsaPrivate(512), 1e-12, "floored");
    // e = 65537: 16 squarings and 1 multiplication
    assertEquals(17 * WorkBudget.modMul(4096), WorkBudget.rsaPublic(4096, 17, 2), 1e-12);
    assertTrue(WorkBudget.rsaPublic(4096, 64, 64) > 7 * WorkBudget.rsaPublic(4096, 17, 2),
        "a 64-bit all-ones exponent costs about 7.4 times e = 65537");
    assertTrue(WorkBudget.dsaVerify(2048, 256) > WorkBudget.dsaSign(2048, 256));
    WorkBudget d = WorkBudget.defaults();
    assertEquals(200, d.perSecond());
    assertEquals(50, d.burst());
    assertEquals(25.0, d.perSourcePerSecond(), 1e-12);
    assertEquals(6.25, d.perSourceBurst(), 1e-12);
    assertEquals(WorkBudget.DEFAULT_SHARES, new WorkBudget(7, 9).shares());
  }

  @Test
  void oneFlooderCannotStarveANewSource() {
    TokenBucket b = new TokenBucket(WorkBudget.defaults());
    long flooder = 0x1234_5678L;
    long honest = 0x9abc_def0L;
    long now = T0;
    double flooderUnits = 0;
    int honestGranted = 0;
    for (int second = 0; second < 600; second++) {
      // the flooder asks for 10,000 units per second (1000 requests of 10 units)
      for (int i = 0; i < 1000; i++) {
        now += SECOND / 1000;
        if (b.tryTake(now, 10.0, flooder) == TokenBucket.Grant.GRANTED) {
          flooderUnits += 10.0;
        }
      }
      // a client asking every 16 s for 2 units is always served
      if (second % 16 == 0) {
        assertEquals(TokenBucket.Grant.GRANTED, b.tryTake(now, 2.0, honest), "second " + second);
        honestGranted++;
      }
    }
    assertEquals(38, honestGranted);
    // at most its share: 6.25 burst + 25 units/s + one operation of debt
    assertTrue(flooderUnits <= 6.25 + 25.0 * 600 + 10, "flooder got " + flooderUnits);
    assertTrue(flooderUnits >= 25.0 * 600 * 0.9, "flooder got its share: " + flooderUnits);
  }

  @Test
  void withoutSharesOneSourceMayUseTheWholeBudget() {
    TokenBucket b = new TokenBucket(new WorkBudget(200, 50, 1));
    long now = T0;
    double units = 0;
    for (int i = 0; i < 100_000; i++) {
      now += SECOND / 1000;
      if (b.tryTake(now, 1.0, 42) == TokenBucket.Grant.GRANTED) {
        units += 1.0;
      }
    }
    assertEquals(50 + 200 * 100, units, 1.0);
  }

  @Test
  void costAboveTheBucketSizeIsGrantedFromAFullBucketAndRepaid() {
    TokenBucket b = new TokenBucket(new WorkBudget(1, 5, 1));
    assertEquals(TokenBucket.Grant.GRANTED, b.tryTake(T0, 12.0, TokenBucket.NO_SOURCE));
    assertEquals(-7.0, b.tokens(), 1e-9);
    // 11 s later: 4 units, not enough for 5 (a full bucket is needed above the size)
    assertEquals(TokenBucket.Grant.EXHAUSTED,
        b.tryTake(T0 + 11 * SECOND, 12.0, TokenBucket.NO_SOURCE));
    assertEquals(TokenBucket.Grant.GRANTED,
        b.tryTake(T0 + 12 * SECOND, 12.0, TokenBucket.NO_SOURCE));
    assertEquals(2, b.granted());
    assertEquals(1, b.refused());
    assertEquals(24.0, b.spent(), 1e-9);
  }

  @Test
  void sourceShareRefusalTakesNothingFromTheGlobalBucket() {
    TokenBucket b = new TokenBucket(new WorkBudget(80, 80, 8));
    assertEquals(TokenBucket.Grant.GRANTED, b.tryTake(T0, 10.0, 7));
    assertEquals(TokenBucket.Grant.SOURCE_EXHAUSTED, b.tryTake(T0, 1.0, 7));
    assertEquals(70.0, b.tokens(), 1e-9);
    assertEquals(TokenBucket.Grant.GRANTED, b.tryTake(T0, 1.0, TokenBucket.NO_SOURCE));
    assertEquals(TokenBucket.Grant.GRANTED, b.tryTake(T0, 1.0, 0x0102_0304L));
    // a clock going backwards refills nothing
    assertEquals(TokenBucket.Grant.SOURCE_EXHAUSTED, b.tryTake(T0 - SECOND, 1.0, 7));
  }

  /**
   * Whatever the sources, costs and clock steps: the work granted over an interval never exceeds
   * the burst plus the refill plus one operation, globally and for each source.
   */
  @Test
  void grantedWorkIsBoundedGloballyAndPerSource() {
    PropertyCheck.forAll("work budget bounds", g -> {
      int rate = g.intBetween(1, 500);
      int burst = g.intBetween(1, 200);
      int shares = g.pickInt(1, 2, 8, 64);
      TokenBucket b = new TokenBucket(new WorkBudget(rate, burst, shares));
      long[] sources = new long[g.intBetween(1, 6)];
      for (int i = 0; i < sources.length; i++) {
        sources[i] = g.u32();
      }
      double[] perSource = new double[sources.length];
      double total = 0;
      double maxCost = 0;
      long now = T0;
      int n = g.intBetween(1, 400);
      for (int i = 0; i < n; i++) {
        now += g.longBetween(0, SECOND / 4);
        double cost = g.chance(0.1) ? g.intBetween(0, 3 * burst) : g.intBetween(0, 1000) / 100.0;
        maxCost = Math.max(maxCost, cost);
        int s = g.intBetween(0, sources.length - 1);
        if (b.tryTake(now, cost, sources[s]) == TokenBucket.Grant.GRANTED) {
          total += cost;
          perSource[s] += cost;
        }
      }
      double seconds = (double) (now - T0) / SECOND;
      assertTrue(total <= burst + rate * seconds + maxCost + 1e-6,
          "global: " + total + " > " + burst + " + " + rate + " * " + seconds);
      if (shares > 1) {
        // a source's grants debit both its slots (shared with colliding sources or not)
        double bound = (double) burst / shares + (double) rate / shares * seconds + maxCost;
        for (int s = 0; s < sources.length; s++) {
          assertTrue(perSource[s] <= bound + 1e-6, "source " + s + ": " + perSource[s] + " > "
              + bound);
        }
      }
      assertEquals(b.spent(), total, 1e-6);
    });
  }
}
