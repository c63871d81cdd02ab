#!/usr/bin/env bash
# Coverage-guided fuzzing of the protocol's input paths with AFL++ through SharpFuzz.
#   fuzz/run.sh frame|message|server [SECONDS]      (default 600 s; results under $FUZZ_OUT, default /tmp/securechat-fuzz)
# Installs afl++ (Debian) and the sharpfuzz instrumentation tool (NuGet) when missing.
set -euo pipefail
harness=${1:?usage: fuzz/run.sh frame|message|server [SECONDS]}
seconds=${2:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_OUT:-/tmp/securechat-fuzz}
export PATH="$PATH:$HOME/.dotnet/tools" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v afl-fuzz >/dev/null || { apt-get update -qq && apt-get install -y -qq afl++ >/dev/null; }
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine >/dev/null

plain="$out/plain"
rm -rf "$plain"
dotnet publish "$root/fuzz/SecureChat.Fuzz" -c Release -o "$plain" >/dev/null
bin="$out/bin-$harness"
rm -rf "$bin" && cp -r "$plain" "$bin"
# Instrumented code writes to AFL's shared memory, so only the copy that AFL runs is instrumented.
for assembly in SecureChat.Protocol.dll SecureChat.Pki.dll SecureChat.Crypto.dll; do
  sharpfuzz "$bin/$assembly" >/dev/null
done

seeds="$out/seeds"
[ -d "$seeds" ] || dotnet "$plain/SecureChat.Fuzz.dll" seeds "$seeds"
findings="$out/findings-$harness"
rm -rf "$findings"

AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 \
  afl-fuzz -V "$seconds" -i "$seeds" -o "$findings" -t 10000 -m none -- dotnet "$bin/SecureChat.Fuzz.dll" "$harness" >"$out/afl-$harness.log" 2>&1 || true

stats="$findings/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
  echo "afl-fuzz did not start; see $out/afl-$harness.log"; tail -20 "$out/afl-$harness.log"; exit 1
fi
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg)' "$stats"
crashes=$(awk -F: '/^saved_crashes/ {gsub(/ /,"",$2); print $2}' "$stats")
hangs=$(awk -F: '/^saved_hangs/ {gsub(/ /,"",$2); print $2}' "$stats")
[ "$crashes" = "0" ] && [ "$hangs" = "0" ]
