#!/usr/bin/env bash
# The map step on real data, from a fresh clone: five hospitals (light nodes) each hold a CSV of
# their own patients, generated here; three heavy nodes add up their secret-shared answers to a
# count, a mean and a histogram. Each revealed value is printed beside the plaintext oracle this
# script computes over the union of the CSVs (which no party of the network ever sees).
#   scripts/demo-data.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FORMIX="$ROOT/scripts/formix"
export FORMIX_HOME="$ROOT/sandbox/demo-data"
unset FORMIX_DATA_DIR
HOSPITALS=5
DATA="$FORMIX_HOME-csv"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
  say() { printf '\n== %s\n' "$*"; }
fi

if [ -d "$FORMIX_HOME" ]; then
  "$FORMIX" network down >/dev/null 2>&1 || true
  rm -rf "$FORMIX_HOME"
fi
rm -rf "$DATA"
mkdir -p "$DATA"
trap 'say "stopping the nodes"; "$FORMIX" network down || true' EXIT

say "writing one patients.csv per hospital under $DATA"
# patient,age,ward,cost: ages 0..99 with about 3 % left blank, costs 0.00..19999.99 (2 decimals).
for h in $(seq 1 "$HOSPITALS"); do
  awk -v seed="$h" -v rows=$((150 + 50 * h)) 'BEGIN {
    srand(seed); print "patient,age,ward,cost"
    split("cardiology,oncology,surgery,maternity", wards, ",")
    for (i = 1; i <= rows; i++) {
      age = (rand() < 0.03) ? "" : int(rand() * 100)
      printf "p%d-%d,%s,%s,%d.%02d\n", seed, i, age, wards[1 + int(rand() * 4)], int(rand() * 20000), int(rand() * 100)
    }
  }' > "$DATA/hospital-$h.csv"
done
wc -l "$DATA"/*.csv | sed 's/^/  /'

say "starting 3 heavy + $HOSPITALS light nodes in $FORMIX_HOME"
"$FORMIX" network up --heavy 3 --light "$HOSPITALS"
lights=$("$FORMIX" node list --role light --json | awk -F'"' '/"uid"/ { print $4 }')

say "each hospital registers its CSV and approves queries that pass its policy"
h=0
for uid in $lights; do
  h=$((h + 1))
  "$FORMIX" data add "$uid" --name patients --csv "$DATA/hospital-$h.csv" >/dev/null
  "$FORMIX" node policy "$uid" --approval policy >/dev/null
  echo "  $uid: patients = hospital-$h.csv"
done

# The top-level "value" of a computation from `comp propose --wait --json`, on one line without
# spaces (the query it carries has "value"s of its own, one level down).
value_of() {
  tr -d ' \n' | awk '{
    s = $0; n = length(s); depth = 0; instr = 0; start = 0
    for (i = 1; i <= n && !start; i++) {
      c = substr(s, i, 1)
      if (instr) { if (c == "\\") i++; else if (c == "\"") instr = 0; continue }
      if (c == "\"") { if (depth == 1 && substr(s, i, 8) == "\"value\":") start = i + 8; else instr = 1; continue }
      if (c == "{" || c == "[") depth++; else if (c == "}" || c == "]") depth--
    }
    if (!start) exit 1
    depth = 0
    for (i = start; i <= n; i++) {
      c = substr(s, i, 1)
      if (c == "{" || c == "[") depth++
      else if (c == "}" || c == "]") { if (depth == 0) break; depth--; if (depth == 0) { i++; break } }
      else if (c == "," && depth == 0) break
    }
    print substr(s, start, i - start)
  }'
}

# The plaintext oracle over the union of the CSVs: count | mean | histogram, in the same JSON form.
oracle() { # kind
  awk -F, -v kind="$1" 'FNR == 1 { next } {
    age = $2; split($4, c, "."); cents = c[1] * 100 + c[2]
    if (cents > 1500000) cents = 1500000
    if (kind == "count" && age != "" && age + 0 >= 65) n++
    if (kind == "mean") { sum += cents; n++ }
    if (kind == "histogram") {
      if (age == "") missing++
      else if (age < 18) below++
      else if (age < 40) b[1]++
      else if (age < 65) b[2]++
      else if (age < 80) b[3]++
      else b[4]++
    }
  } END {
    if (kind == "count") printf "%d\n", n
    if (kind == "mean") {
      mean = int((2 * sum + n) / (2 * n))
      printf "{\"sum\":%d.%02d,\"count\":%d,\"mean\":%d.%02d}\n", int(sum / 100), sum % 100, n, int(mean / 100), mean % 100
    }
    if (kind == "histogram")
      printf "{\"edges\":[18,40,65,80],\"counts\":[%d,%d,%d,%d],\"below\":%d,\"missing\":%d}\n", b[1], b[2], b[3], b[4], below, missing
  }' "$DATA"/*.csv
}

fail=0
ask() { # kind prompt query
  say "$2"
  echo "  query: $3"
  local out got want
  out="$("$FORMIX" comp propose --prompt "$2" --query "$3" --threshold "$HOSPITALS" --deadline 60s --wait --json)"
  got="$(printf '%s\n' "$out" | value_of)"
  want="$(oracle "$1")"
  echo "  formix (revealed total): $got"
  echo "  oracle (union of CSVs):  $want"
  if [ "$got" = "$want" ]; then echo "  OK"; else echo "  MISMATCH" >&2; fail=1; fi
}

ask count "How many of your patients are 65 or older?" \
  '{"dataset":"patients","where":[{"column":"age","op":">=","value":65}],"aggregate":{"type":"count"}}'
ask mean "What is the mean cost of a stay (clamped to 15,000.00)?" \
  '{"dataset":"patients","aggregate":{"type":"mean","column":"cost","min":0,"max":15000,"decimals":2}}'
ask histogram "How old are your patients?" \
  '{"dataset":"patients","aggregate":{"type":"histogram","column":"age","edges":[18,40,65,80]}}'

say "result"
if [ "$fail" = 0 ]; then
  echo "OK: every revealed value equals the oracle; no heavy node saw a hospital's answer."
else
  echo "MISMATCH: see above" >&2
  exit 1
fi
