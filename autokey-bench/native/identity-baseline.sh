#!/usr/bin/env bash
# identity-baseline.sh - identity benchmarks, Java against native, in one sitting.
#
#   autokey-bench/native/identity-baseline.sh [--quick]
#
# 1. builds identity-modexp (OpenSSL BN) with gcc; installs gcc and libssl-dev with apt-get
#    when they are missing and we are root (otherwise it says what to install and stops);
# 2. runs it: ns per BN_mod_exp for each modulus/exponent size of the IFF, GQ, MV exchanges;
# 3. runs the JMH benchmarks dev.autokey.bench.identity (IdentityExchangeBench, ModexpBench)
#    from autokey-bench/target/benchmarks.jar (built with ./mvnw if missing);
# 4. prints a table: Java modPow / OpenSSL BN_mod_exp per size, and per exchange the Java time
#    against the native cost of the same exponentiations (IFF 3 x p/q, GQ 4 x n/n, MV 5 x p/p).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$ROOT/autokey-bench/target/identity-native"
mkdir -p "$OUT"
JMH_OPTS=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
NATIVE_SECONDS=2
if [[ "${1:-}" == "--quick" ]]; then
  JMH_OPTS=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
  NATIVE_SECONDS=1
fi

if ! command -v gcc >/dev/null || [[ ! -f /usr/include/openssl/bn.h ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq gcc libssl-dev >/dev/null
  else
    echo "identity-baseline: need gcc and libssl-dev (apt-get install gcc libssl-dev)" >&2
    exit 2
  fi
fi
gcc -O2 -o "$OUT/identity-modexp" "$HERE/identity-modexp.c" -lcrypto
"$OUT/identity-modexp" "$NATIVE_SECONDS" | tee "$OUT/native.txt"

JAR="$ROOT/autokey-bench/target/benchmarks.jar"
if [[ ! -f "$JAR" ]]; then
  (cd "$ROOT" && ./mvnw -B -ntp -q -pl autokey-bench -am package -DskipTests)
fi
java -jar "$JAR" 'dev.autokey.bench.identity.*' "${JMH_OPTS[@]}" -rf csv \
  -rff "$OUT/jmh.csv" > "$OUT/jmh.txt"
grep -E '^(Benchmark|Identity|Modexp)' "$OUT/jmh.txt" || true

python3 - "$OUT/native.txt" "$OUT/jmh.csv" <<'PY'
import csv, sys
native = {}
for line in open(sys.argv[1]):
    if line.startswith("modexp"):
        _, size, ns, _ = line.split()
        native[size] = float(ns) / 1000.0  # us
java_modexp, exchange = {}, {}
for row in csv.DictReader(open(sys.argv[2])):
    us = float(row["Score"])
    if row["Benchmark"].endswith("ModexpBench.modPow"):
        java_modexp[row["Param: size"]] = us
    elif row["Benchmark"].endswith("IdentityExchangeBench.exchange"):
        exchange[(row["Param: scheme"], int(row["Param: bits"]))] = us
print("\n| modulus/exponent bits | Java BigInteger.modPow (us) | OpenSSL BN_mod_exp (us) | ratio |")
print("|---|---|---|---|")
for size, n in native.items():
    j = java_modexp.get(size)
    if j:
        print(f"| {size} | {j:.1f} | {n:.1f} | {j / n:.2f} |")
plan = {"IFF": (3, {512: "512/160", 1024: "1024/160", 2048: "2048/256"}),
        "GQ": (4, {b: f"{b}/{b}" for b in (512, 1024, 2048)}),
        "MV": (5, {b: f"{b}/{b}" for b in (512, 1024, 2048)})}
print("\n| scheme | bits | Java exchange (us) | native modexps (us) | ratio |")
print("|---|---|---|---|---|")
for (scheme, bits), us in sorted(exchange.items()):
    count, sizes = plan[scheme]
    nat = count * native[sizes[bits]]
    print(f"| {scheme} | {bits} | {us:.1f} | {count} x {native[sizes[bits]]:.1f} = {nat:.1f} | {us / nat:.2f} |")
PY
