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
