#!/usr/bin/env bash
# TLS 1.3 full handshakes per second with mutual certificate authentication, for comparison with
# `securechat bench` setups on the same machine (docs/PERFORMANCE.md, "TLS 1.3 on the same machine").
# Usage: bench/tls13-handshakes.sh [seconds per run, default 10]
# For each key type (RSA-2048 leaves under an RSA-3072 CA; P-256 everywhere) and key exchange (X25519, ffdhe2048),
# runs one openssl s_server with one s_time client, then two pairs at once, and prints handshakes per wall second.
set -euo pipefail
seconds=${1:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

make_pki() { # $1 = rsa|p256
  local dir="$work/$1" ca_key leaf_key
  mkdir -p "$dir"
  if [ "$1" = rsa ]; then ca_key=(-newkey rsa:3072); leaf_key=(-newkey rsa:2048)
  else ca_key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); leaf_key=("${ca_key[@]}"); fi
  openssl req -x509 "${ca_key[@]}" -nodes -keyout "$dir/ca.key" -out "$dir/ca.crt" -subj "/CN=Bench CA" -days 2 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  for name in server client; do
    local usage=serverAuth; [ "$name" = client ] && usage=clientAuth
    openssl req "${leaf_key[@]}" -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" -subj "/CN=$name.local" 2>/dev/null
    printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=DNS:%s.local\n' \
      "$usage" "$name" > "$dir/$name.ext"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -out "$dir/$name.crt" \
      -days 2 -extfile "$dir/$name.ext" 2>/dev/null
  done
}

run() { # $1 = rsa|p256, $2 = group, $3 = pairs
  local dir="$work/$1" servers=() clients=() ports=() total=0 start end
  for i in $(seq 1 "$3"); do
    local port=$((20000 + RANDOM % 20000))
    openssl s_server -quiet -accept "$port" -cert "$dir/server.crt" -key "$dir/server.key" -CAfile "$dir/ca.crt" \
      -Verify 1 -tls1_3 -groups "$2" -naccept 10000000 -www >/dev/null 2>&1 &
    servers+=($!); ports+=("$port")
  done
  sleep 1
  start=$(date +%s.%N)
  for i in $(seq 0 $(($3 - 1))); do
    openssl s_time -connect "127.0.0.1:${ports[$i]}" -new -time "$seconds" -cert "$dir/client.crt" -key "$dir/client.key" \
      -CAfile "$dir/ca.crt" > "$work/out-$i" 2>&1 &
    clients+=($!)
  done
  wait "${clients[@]}"
  end=$(date +%s.%N)
  kill "${servers[@]}" 2>/dev/null || true
  for i in $(seq 0 $(($3 - 1))); do
    total=$((total + $(grep -oE '^[0-9]+ connections in' "$work/out-$i" | head -1 | cut -d' ' -f1)))
  done
  printf '%-5s %-10s pairs=%s handshakes=%s per_second=%.1f\n' "$1" "$2" "$3" "$total" "$(awk -v n="$total" -v a="$start" -v b="$end" 'BEGIN { print n / (b - a) }')"
}

openssl version
for key in rsa p256; do
  make_pki "$key"
  for group in X25519 ffdhe2048; do
    for pairs in 1 2; do run "$key" "$group" "$pairs"; done
  done
done
