#!/usr/bin/env bash
# `make demo`: list the specs, check the bundled examples against the generated schemas,
# validate them fully, and write a conformance report (HTML, plus JSON and SARIF).
set -euo pipefail
BIN=${1:-.venv/bin}
OUT=${OUT:-out}
mkdir -p "$OUT"
echo "== Bundled specs =="
"$BIN/hegui" specs list --lang en
echo
status=0
for spec in $("$BIN/hegui" specs list --lang en | cut -f1); do
  folder=$("$BIN/python" -P -c "import sys; from hegui.validator.loader import load_spec; print(load_spec(sys.argv[1]).folder)" "$spec")
  echo "== $spec: conformant examples (expect exit 0) =="
  "$BIN/hegui" validate --spec "$spec" "$folder/examples/valid" --lang en \
    --output "json=$OUT/$spec-valid.json" --output "html=$OUT/$spec-valid.html" | tail -n 3
  echo
  echo "== $spec: invalid examples, one rule each (expect exit 1; warning and info rules leave theirs conformant) =="
  set +e
  "$BIN/hegui" validate --spec "$spec" "$folder/examples/invalid" --lang en --format text \
    --output "json=$OUT/$spec-invalid.json" --output "html=$OUT/$spec-report.html" \
    --output "sarif=$OUT/$spec-invalid.sarif" > "$OUT/$spec-invalid.txt"
  code=$?
  set -e
  tail -n 3 "$OUT/$spec-invalid.txt"
  if [ "$code" -ne 1 ]; then echo "unexpected exit code $code for invalid examples"; status=1; fi
  echo
done
echo "== eguarantee@1.1: an apply carrying only the core, under the core and each profile layer =="
folder=$("$BIN/python" -P -c "from hegui.validator.loader import load_spec; print(load_spec('eguarantee@1.1').folder)")
"$BIN/hegui" validate --spec eguarantee@1.1 "$folder/examples/valid/apply-core.json" --lang en -q \
  | sed "s/^/  core: /" || { echo "the core-only apply should be conformant under the core"; status=1; }
for profile in $("$BIN/python" -P -c "from hegui.validator.loader import load_spec; print(' '.join(load_spec('eguarantee@1.1').profiles))"); do
  set +e
  "$BIN/hegui" validate --spec eguarantee@1.1 --profile "$profile" --lang en -q \
    "$folder/examples/valid/apply-core.json" | sed "s/^/  $profile: /"
  test $? -eq 1 || { echo "  $profile: expected exit 1"; status=1; }
  set -e
done
echo
echo "== Platform profiles: real platforms' native messages (docs/platform-profiles.md) =="
"$BIN/hegui" profiles list --lang en | cut -f1,3,4,5 | sed "s/^/  /"
if "$BIN/hegui" profiles check --lang en > "$OUT/profiles-check.txt"; then
  echo "  every profile's native examples validated as their manifests record ($(wc -l < "$OUT/profiles-check.txt") examples)"
else
  echo "  a native example did not validate as recorded:"; grep -v "^ok" "$OUT/profiles-check.txt"; status=1
fi
jx=$("$BIN/python" -P -c "from hegui.validator.platform_loader import load_platform; print(load_platform('jiangxi-2.3.0').folder)")/examples
echo "-- a Jiangxi /lg/apply with a wrong USCC check character, reported at the native field:"
set +e
"$BIN/hegui" validate --profile jiangxi-2.3.0 "$jx/invalid/lg-apply-bidder-uscc-check.json" --lang en \
  --output "html=$OUT/jiangxi-native-report.html" | head -n 1 | sed "s/^/  /"
test "${PIPESTATUS[0]}" -eq 1 || { echo "  expected exit 1"; status=1; }
set -e
echo "-- the same platform's valid /jrapi/lg/lgResultPush, and it converted to the spec's JSON:"
"$BIN/hegui" validate --profile jiangxi-2.3.0 "$jx/valid/jrapi-lgResultPush.json" --lang en -q | sed "s/^/  /" \
  || { echo "  expected conformant"; status=1; }
"$BIN/hegui" convert --profile jiangxi-2.3.0 --to standard "$jx/valid/jrapi-lgResultPush.json" \
  -o "$OUT/lgResultPush-standard.json" && echo "  wrote $OUT/lgResultPush-standard.json"
echo "-- the reference corpus's 53 published example bodies through their profiles:"
if "$BIN/python" -P scripts/reference_examples.py --lang en > "$OUT/reference-examples.txt"; then
  tail -n 5 "$OUT/reference-examples.txt" | sed "s/^/  /"
else
  echo "  an example's outcome differs from its manifest:"; grep MISMATCH "$OUT/reference-examples.txt"; status=1
fi
echo

echo "== Generated conformance test pack (seed 1): 20 conformant payloads, 1 invalid per rule id =="
rm -rf "$OUT/pack"
"$BIN/hegui" generate --spec eguarantee --count 20 --invalid --seed 1 --out "$OUT/pack"
if "$BIN/hegui" validate --spec eguarantee "$OUT/pack/valid" "$OUT/pack/invalid" --lang en \
    --expect "$OUT/pack/manifest.json" --output "html=$OUT/pack-report.html" --format json \
    > "$OUT/pack-result.json"; then
  echo "the pack validated exactly as its manifest says"
else
  echo "the pack and its manifest disagree (see above)"; status=1
fi
echo
echo "Conformance reports:"
for f in "$OUT"/*report.html; do echo "  $(cd "$(dirname "$f")" && pwd)/$(basename "$f")"; done
exit $status
