#!/usr/bin/env bash
# Fetches the model-zoo corpus: the Python sources of torchvision, timm and keras, exactly as
# published, for test/unit/corpus (the analyzer measured on real library code). Pinned versions,
# `pip download --no-deps` of the wheels into .corpus/wheels, then ONLY their .py files unpacked
# into .corpus/site-packages/<package>/... (no native code, nothing installed, no venv needed).
# Idempotent: a finished setup is detected by a marker file naming the versions.
set -euo pipefail
cd "$(dirname "$0")/.."
# the versions scripts/gen-corpus-truth.py ran (torchvision 0.28 is the one that pairs with the CPU torch 2.13)
PACKAGES=(torchvision==0.28.0 timm==1.0.29 keras==3.15.1)
DIR=.corpus
MARK="$DIR/.ready-$(echo "${PACKAGES[*]}" | tr ' =' '_-')"
if [ -f "$MARK" ]; then
  echo "corpus ready in $DIR (${PACKAGES[*]})"
  exit 0
fi
PY=${PYTHON:-python3}
rm -rf "$DIR"
mkdir -p "$DIR/wheels" "$DIR/site-packages"
echo "downloading ${PACKAGES[*]}"
# torchvision ships only platform wheels: ask for one explicitly, so the download does not depend
# on the interpreter running pip (its .py files are the same in every platform's wheel)
"$PY" -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux_2_28_x86_64 \
  --python-version 3.11 --implementation cp --abi cp311 -d "$DIR/wheels" "${PACKAGES[@]}"
"$PY" - "$DIR/wheels" "$DIR/site-packages" <<'PYEOF'
import os, sys, zipfile
wheels, out = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(wheels)):
    if not name.endswith('.whl'):
        continue
    count = 0
    with zipfile.ZipFile(os.path.join(wheels, name)) as z:
        for info in z.infolist():
            path = info.filename
            # the package's own sources only: no .dist-info, no native libraries, no data
            if not path.endswith('.py') or '.dist-info/' in path or path.startswith('/') or '..' in path.split('/'):
                continue
            target = os.path.join(out, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with z.open(info) as src, open(target, 'wb') as dst:
                dst.write(src.read())
            count += 1
    print(f'  {name}: {count} .py files')
PYEOF
touch "$MARK"
echo "corpus ready in $DIR (${PACKAGES[*]})"
