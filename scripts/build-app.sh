#!/usr/bin/env bash
# Builds the folder that Databricks Apps runs, dist/holidays-app, and checks what the platform
# needs: every file under 10 MB, and a binary whose glibc symbols are no newer than Ubuntu
# 22.04's (2.35). Usage: scripts/build-app.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist/holidays-app}"
max_bytes=$((10 * 1000 * 1000))
max_glibc="2.35"

cargo build --release --locked --bin holidays
rm -rf "$out"
mkdir -p "$out"
cp target/release/holidays app.yaml Rocket.toml deploy/start.sh "$out/"

status=0
for f in "$out"/*; do
    size=$(stat -c %s "$f")
    printf '%10d  %s\n' "$size" "$f"
    if [ "$size" -ge "$max_bytes" ]; then
        echo "error: $f is $size bytes; Databricks Apps refuses files of 10 MB or more" >&2
        status=1
    fi
done

glibc=$(objdump -T "$out/holidays" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
echo "highest glibc symbol: GLIBC_$glibc (Ubuntu 22.04 has $max_glibc)"
if [ "$(printf '%s\n%s\n' "$glibc" "$max_glibc" | sort -V | tail -1)" != "$max_glibc" ]; then
    echo "error: the binary needs glibc $glibc, newer than the $max_glibc of the Databricks Apps image" >&2
    status=1
fi
exit $status
