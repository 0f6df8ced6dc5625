#!/usr/bin/env bash
# tools/recite-docs.sh FILE...
#
# Rewrites citations of the notes that used to live outside the repository into citations of the
# project's own documents under docs/ (same section numbers):
#   AUTOKEY-WIRE §X, AUTOKEY-WIRE X.Y, AUTOKEY-WIRE A.n  -> docs/protocol.md §X
#   KEYGEN-FORMATS §X                                   -> docs/keyfiles.md §X
#   REFERENCE-LAB §X, REFERENCE-LAB X.Y                 -> docs/testing.md §RX  (reference captures)
#   SECURITY.md, SECURITY Tnn, SECURITY test list       -> docs/security.md ...
# Only these tokens are touched; everything else in the files stays byte for byte. Idempotent:
# a second run changes nothing. Prints each file it changed.
set -euo pipefail
if [ $# -eq 0 ]; then
    echo "usage: $0 FILE..." >&2
    exit 2
fi
for f in "$@"; do
    [ -f "$f" ] || { echo "recite-docs: not a file: $f" >&2; exit 1; }
    before=$(cksum < "$f")
    sed -i -E \
        -e 's/AUTOKEY-WIRE (§|Appendix )/docs\/protocol.md \1/g' \
        -e 's/AUTOKEY-WIRE ([0-9]|A\.[0-9])/docs\/protocol.md §\1/g' \
        -e 's/AUTOKEY-WIRE/docs\/protocol.md/g' \
        -e 's/KEYGEN-FORMATS §/docs\/keyfiles.md §/g' \
        -e 's/KEYGEN-FORMATS ([0-9])/docs\/keyfiles.md §\1/g' \
        -e 's/KEYGEN-FORMATS/docs\/keyfiles.md/g' \
        -e 's/REFERENCE-LAB §?([0-9])/docs\/testing.md §R\1/g' \
        -e 's/REFERENCE-LAB/docs\/testing.md (reference captures)/g' \
        -e 's/SECURITY\.md/docs\/security.md/g' \
        -e 's/SECURITY (T[0-9]|test list)/docs\/security.md \1/g' \
        -e '/^[[:space:]]*(\*|\/\/)/s/SECURITY$/docs\/security.md/' \
        "$f"
    if [ "$(cksum < "$f")" != "$before" ]; then
        echo "$f"
    fi
done
