#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Sijill needs when run as root; otherwise prints the one command
# to run. Profiles: "run" (OCR and file-type detection) and "test" (adds PostgreSQL with the RUM extension,
# and Chromium).
set -euo pipefail

profile=${1:-run}
packages=(
  libmagic1
  tesseract-ocr tesseract-ocr-osd tesseract-ocr-eng tesseract-ocr-ara tesseract-ocr-fra
  tesseract-ocr-swa tesseract-ocr-tur tesseract-ocr-sqi tesseract-ocr-srp tesseract-ocr-srp-latn
  tesseract-ocr-urd
)
if [ "$profile" = test ]; then
  packages+=(postgresql chromium)
  # RUM, the extension of search's rank index, built for the server version the postgresql package brings.
  major=$(apt-cache depends postgresql 2>/dev/null | sed -n 's/.*Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -1 || true)
  if [ -n "$major" ]; then
    packages+=("postgresql-$major-rum")
  fi
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "sijill: not a Debian-based system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "sijill: these OS packages are missing; install them with:" >&2
  echo "    sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 0
fi

echo "sijill: installing OS packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
