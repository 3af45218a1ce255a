#!/usr/bin/env bash
# Regenerates BTCUSDT-5m-sar.csv: TA-Lib's TA_SAR on the first BARS shipped BTCUSDT 5-minute bars.
# TA-Lib's C source comes from the npm package talib (which bundles it); its prebuilt objects are macOS ones,
# so they are cleaned and the library is built here. Needs npm, make and gcc.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
bars=${BARS:-5000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent talib@2.0.5 >/dev/null
tar xzf talib-2.0.5.tgz
lib=$work/package/src/lib
make -s -C "$lib/make/csr/linux/g++" clean >/dev/null
make -s -C "$lib/make/csr/linux/g++" >/dev/null
gcc -O0 -o sar_reference "$here/sar_reference.c" -I"$lib/include" "$lib/lib/libta_libc_csr.a" -lm
zcat "$repo/data/binance-usdt-2021-5m/BTCUSDT.csv.gz" > bars.csv
head -n $((bars + 1)) bars.csv | ./sar_reference > "$here/BTCUSDT-5m-sar.csv"
