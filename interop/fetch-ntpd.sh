#!/usr/bin/env bash
# interop/fetch-ntpd.sh [DEST]
#
# Puts the reference ntpd 4.2.8p15 (Debian bullseye build, Autokey compiled in) into DEST without
# changing the system: the bullseye packages ntp, libssl1.1 and libopts25 (the two libraries are
# gone from bookworm) are fetched by apt with a private sources file, private package lists and a
# private cache under DEST/apt, the bullseye Release file is checked against the Debian archive
# keyring, every .deb is compared with the SHA256 of the signed package index, and the packages are
# unpacked with dpkg-deb -x into DEST/root. The dpkg database of the machine is only read.
#
# Cached: when DEST already holds an unpack whose checksums (DEST/SHA256SUMS) still match and whose
# ntpd reports 4.2.8p15, nothing is downloaded. Safe to call from several processes at once (flock).
#
# Debian tools the harness needs (iproute2, dpkg, debian-archive-keyring, util-linux's setpriv and
# flock, tcpdump for the per-case capture) are installed with apt-get when missing, so a bare
# bookworm machine works.
#
# DEST defaults to .interop-cache/ntpd-4.2.8p15 at the repository root (ignored by git).
# Output: DEST/env (NTPD=, NTP_KEYGEN=, NTPQ=, LD_LIBRARY_PATH= lines, sourceable by sh and read by
# the Java harness), DEST/root/..., DEST/debs/*.deb, DEST/SHA256SUMS, DEST/VERSIONS.
#
# Environment: MIRROR (Debian mirror URL; default: the first one in this machine's apt sources),
# SUITE (default bullseye), KEYRING (default /usr/share/keyrings/debian-archive-keyring.gpg).
set -euo pipefail

log() { printf 'fetch-ntpd: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEST=${1:-$REPO/.interop-cache/ntpd-4.2.8p15}
SUITE=${SUITE:-bullseye}
KEYRING=${KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
NTP_VERSION='1:4.2.8p15+dfsg-1'
PKGS=(ntp libssl1.1 libopts25)

[ "$(id -u)" -eq 0 ] || die "must run as root (apt's lock files; the harness needs root for namespaces anyway)"

# ------------------------------------------------------------------ Debian tools of the harness
need=()
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v dpkg-deb >/dev/null 2>&1 || need+=(dpkg)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
command -v flock >/dev/null 2>&1 || need+=(util-linux)
command -v sha256sum >/dev/null 2>&1 || need+=(coreutils)
command -v tcpdump >/dev/null 2>&1 || need+=(tcpdump)
[ -r "$KEYRING" ] || need+=(debian-archive-keyring)
if [ ${#need[@]} -gt 0 ]; then
    log "installing missing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${need[@]}" >&2 \
        || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${need[@]}" >&2; } \
        || die "apt-get install ${need[*]} failed"
fi
[ -r "$KEYRING" ] || die "$KEYRING still missing"

mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
exec 9>"$DEST/.lock"
flock 9

# ------------------------------------------------------------------ cached?
verified() {
    [ -s "$DEST/SHA256SUMS" ] && [ -s "$DEST/env" ] || return 1
    (cd "$DEST" && sha256sum --quiet --strict -c SHA256SUMS) >/dev/null 2>&1 || return 1
    # shellcheck disable=SC1091
    ( . "$DEST/env" && export LD_LIBRARY_PATH && "$NTPD" --version 2>&1 | grep -q 'ntpd 4\.2\.8p15' ) || return 1
}
if verified; then
    log "cached: $DEST (checksums match, ntpd 4.2.8p15)"
    echo "$DEST"
    exit 0
fi

# ------------------------------------------------------------------ private apt
if [ -z "${MIRROR:-}" ]; then
    MIRROR=$(awk '/^URIs:/ {for (i = 2; i <= NF; i++) print $i}
                  /^deb[ \t]/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; break}}' \
                 /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
             | grep -v -e security -e updates | head -n 1 || true)
    [ -n "$MIRROR" ] || die "no Debian mirror in the apt sources of this machine; set MIRROR"
fi
APT=$DEST/apt
rm -rf "$APT" "$DEST/root.new"
mkdir -p "$APT/sources.list.d" "$APT/lists/partial" "$APT/cache/archives/partial" "$DEST/debs"
printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
    "$MIRROR" "$SUITE" "$KEYRING" > "$APT/sources.list.d/reference.sources"
aptopts=(
    -o "Dir::Etc::SourceList=/dev/null"
    -o "Dir::Etc::SourceParts=$APT/sources.list.d"
    -o "Dir::Etc::Preferences=/dev/null"
    -o "Dir::Etc::PreferencesParts=/dev/null"
    -o "Dir::State::Lists=$APT/lists"
    -o "Dir::Cache=$APT/cache"
    -o "Dir::Cache::pkgcache="
    -o "Dir::Cache::srcpkgcache="
    -o "APT::Get::List-Cleanup=false"
    -o "APT::Sandbox::User=root"
    -o "Acquire::Languages=none"
)
log "apt-get update ($SUITE from $MIRROR, lists in $APT)"
apt-get "${aptopts[@]}" -q update >&2 || die "apt-get update of the private $SUITE sources failed"

versions=()
for p in "${PKGS[@]}"; do
    v=$(apt-cache "${aptopts[@]}" policy "$p" | awk '/Candidate:/ {print $2}')
    [ -n "$v" ] && [ "$v" != "(none)" ] || die "package $p not found in $SUITE"
    versions+=("$p=$v")
done
case " ${versions[*]} " in *" ntp=$NTP_VERSION "*) ;; *) die "expected ntp $NTP_VERSION, index has ${versions[0]}";; esac

log "apt-get download ${versions[*]}"
rm -f "$DEST"/debs/*.deb
(cd "$DEST/debs" && apt-get "${aptopts[@]}" -q download "${versions[@]}") >&2 || die "apt-get download failed"

# every .deb against the SHA256 of the signed index (apt checks it too; this makes it visible)
: > "$DEST/VERSIONS"
for pv in "${versions[@]}"; do
    p=${pv%%=*}
    deb=$(ls "$DEST"/debs/"${p}"_*.deb)
    want=$(apt-cache "${aptopts[@]}" show "$pv" | awk '/^SHA256:/ {print $2; exit}')
    have=$(sha256sum "$deb" | awk '{print $1}')
    [ -n "$want" ] && [ "$want" = "$have" ] || die "$deb: SHA256 $have, signed index says ${want:-nothing}"
    printf '%s %s sha256:%s\n' "$p" "$(dpkg-deb -f "$deb" Version)" "$have" >> "$DEST/VERSIONS"
done

log "unpacking into $DEST/root"
mkdir -p "$DEST/root.new"
for deb in "$DEST"/debs/*.deb; do dpkg-deb -x "$deb" "$DEST/root.new"; done
rm -rf "$DEST/root"
mv "$DEST/root.new" "$DEST/root"

libssl=$(find "$DEST/root/usr/lib" -name 'libssl.so.1.1' | head -n 1)
[ -n "$libssl" ] || die "libssl.so.1.1 not in the unpacked packages"
libdir=$(dirname "$libssl")
cat > "$DEST/env" <<EOF
NTPD=$DEST/root/usr/sbin/ntpd
NTP_KEYGEN=$DEST/root/usr/sbin/ntp-keygen
NTPQ=$DEST/root/usr/bin/ntpq
LD_LIBRARY_PATH=$libdir
EOF
(cd "$DEST" && find root -type f \( -path '*/sbin/*' -o -path '*/bin/*' -o -name '*.so*' \) -print0 \
    | sort -z | xargs -0 sha256sum > SHA256SUMS.new && sha256sum debs/*.deb >> SHA256SUMS.new \
    && mv SHA256SUMS.new SHA256SUMS)

verified || die "the fresh unpack does not start as ntpd 4.2.8p15"
# shellcheck disable=SC1091
( . "$DEST/env" && export LD_LIBRARY_PATH && "$NTPD" --version && "$NTP_KEYGEN" --version && "$NTPQ" --version ) >&2
log "ready: $DEST"
echo "$DEST"
