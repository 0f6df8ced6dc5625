/*
 * identity-modexp.c - native baseline for the identity benchmarks: the time of one OpenSSL
 * BN_mod_exp (what ntpd's crypto_bob/crypto_iff/... call) for the modulus/exponent sizes of
 * the IFF, GQ and MV exchanges. Same operand shape as ModexpBench (odd modulus with the top
 * bit set, base below it, exponent with its top bit set); operands come from RAND_bytes.
 *
 * usage: identity-modexp [seconds-per-size]   (default 2)
 * output: one line per size: "modexp <modulus>/<exponent> <ns per op> <ops>"
 */
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define OPERANDS 64

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run(int mbits, int ebits, double seconds) {
  BN_CTX *ctx = BN_CTX_new();
  BIGNUM *m = BN_new(), *r = BN_new();
  BIGNUM *base[OPERANDS], *exp[OPERANDS];
  BN_rand(m, mbits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD);
  for (int i = 0; i < OPERANDS; i++) {
    base[i] = BN_new();
    exp[i] = BN_new();
    BN_rand_range(base[i], m);
    BN_rand(exp[i], ebits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);
  }
  /* warm-up */
  for (int i = 0; i < 200; i++) {
    BN_mod_exp(r, base[i % OPERANDS], exp[i % OPERANDS], m, ctx);
  }
  long ops = 0;
  double start = now(), t;
  do {
    for (int i = 0; i < 50; i++, ops++) {
      BN_mod_exp(r, base[ops % OPERANDS], exp[ops % OPERANDS], m, ctx);
    }
    t = now() - start;
  } while (t < seconds);
  printf("modexp %d/%d %.0f %ld\n", mbits, ebits, t * 1e9 / ops, ops);
  for (int i = 0; i < OPERANDS; i++) {
    BN_free(base[i]);
    BN_free(exp[i]);
  }
  BN_free(m);
  BN_free(r);
  BN_CTX_free(ctx);
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  static const int sizes[][2] = {
      {512, 160}, {1024, 160}, {2048, 256}, {512, 512}, {1024, 1024}, {2048, 2048}};
  printf("# %s\n", OpenSSL_version(OPENSSL_VERSION));
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    run(sizes[i][0], sizes[i][1], seconds);
  }
  return 0;
}
