#!/usr/bin/env bash
# Regenerates kubernetes-v1.30-subset.json (see README.md here). Needs npm and the .NET SDK; the
# tests never run this: they read the JSON file it wrote.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Pinned packages, each checked against its published sha512 integrity.
fetch() { # name version sha512-integrity dir
  (cd "$work" && npm pack --silent "$1@$2" >/dev/null)
  local tgz="$work/$(echo "$1" | sed 's#^@##; s#/#-#')-$2.tgz"
  local got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  [ "$got" = "$3" ] || { echo "$1@$2: integrity $got, expected $3" >&2; exit 1; }
  mkdir -p "$work/$4" && tar -xzf "$tgz" -C "$work/$4" --strip-components=1
}
fetch kubernetes-types 1.30.0 'sha512-Dew1okvhM/SQcIa2rcgujNndZwU8VnSapDgdxlYoB84ZlpAD43U6KLAFqYo17ykSFGHNPrg0qry0bP+GJd9v7Q==' types
fetch kubernetes-models 4.5.1 'sha512-M/dxDW9hLjVQkRJkMAZbYLLbIj5ZrItgL9ZLJhla2bURUHhQ1CoLAz0+2bcfvAVgu0KFwP9x0kjypYVdWYajXw==' models

dotnet run Generate.cs -- "$work/types" "$work/models" kubernetes-v1.30-subset.json
