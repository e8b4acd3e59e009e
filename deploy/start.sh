#!/bin/sh
# How Databricks Apps starts holidays (app.yaml runs this through `sh`, because the executable
# bit of an uploaded file may not survive). Configuration comes from the environment.
set -eu
cd "$(dirname "$0")"
bin=./holidays
if ! chmod +x "$bin" 2>/dev/null || [ ! -x "$bin" ]; then
    # A read-only or noexec app folder: run a copy instead.
    bin="${TMPDIR:-/tmp}/holidays-$$"
    cp ./holidays "$bin"
    chmod +x "$bin"
fi
exec "$bin" "$@"
