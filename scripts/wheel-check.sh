#!/usr/bin/env bash
# Build the wheel, install it in a clean venv, and check it from outside the source tree:
# only hegui/ at the top level, every subpackage imports, every bundled spec loads.
set -euo pipefail
BIN=${1:-.venv/bin}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BIN/pip" wheel --quiet --no-deps --no-build-isolation -w "$WORK/dist" . >/dev/null 2>&1 \
  || "$BIN/pip" wheel --no-deps --no-build-isolation -w "$WORK/dist" .
WHEEL=$(ls "$WORK"/dist/hegui-*.whl)
"$BIN/python" - "$WHEEL" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
assert tops == {"hegui"}, f"wheel top level must be only hegui/, got {sorted(tops)}"
assert any(n.endswith("spec-meta.schema.yaml") for n in names), "meta-schema missing"
print(f"wheel ok: {len(names)} files, top level {sorted(tops)}")
PY
python3 -m venv --system-site-packages "$WORK/venv" 2>/dev/null || python3 -m venv "$WORK/venv"
# Reuse the dev venv's already-installed dependencies (no network needed), then the wheel.
SITE=$("$BIN/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "$SITE" > "$("$WORK/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")/dev-deps.pth"
"$WORK/venv/bin/pip" install --quiet --no-deps --no-index "$WHEEL" 2>/dev/null
cd "$WORK"
"$WORK/venv/bin/python" - <<'PY'
import importlib, pkgutil
import hegui
mods = [m.name for m in pkgutil.walk_packages(hegui.__path__, "hegui.")]
for name in mods:
    if ".specs." in name or name.endswith("__main__"):
        continue
    importlib.import_module(name)
from hegui.validator.loader import bundled_spec_ids, load_spec
import hegui.validator.loader as loader
assert "site-packages" in loader.__file__ and "__editable__" not in loader.__file__, loader.__file__
from hegui.validator.versions import bundled_names
from hegui.validator.structure import schema_files
ids = bundled_spec_ids()
assert ids, "no bundled spec in the wheel"
names, layers = bundled_names(), []
for name in names:  # every version, and every profile layer of it
    spec = load_spec(name)
    for f in schema_files(spec):
        assert f.is_file(), f"{f} missing from the wheel"
    layers += [f"{name}+{p}" for p in spec.profiles if load_spec(name, p).profile == p]
assert layers, "no profile layer in the wheel"
from hegui.validator.platform_examples import check_examples
from hegui.validator.platform_loader import bundled_platform_ids, load_platform
platforms = bundled_platform_ids()
assert len(platforms) >= 6, f"platform profiles missing from the wheel: {platforms}"
wrong = [(p, o.file) for p in platforms for o in check_examples(load_platform(p)) if not o.ok]
assert not wrong, f"native examples not as recorded from the wheel: {wrong}"
print(f"installed wheel ok: {len(mods)} modules import, specs {names} load, "
      f"{len(layers)} profile layers, platform profiles {platforms} load and their examples "
      "validate as recorded")
PY
"$WORK/venv/bin/hegui" --version
