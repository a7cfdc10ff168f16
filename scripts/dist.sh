#!/usr/bin/env bash
# Builds kubefedctl's release archive for one target, the checksums of this version's archives and the krew
# plugin manifest that installs them (KubeFed's `make quick-release` made the same kind of client tarballs).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/dist.sh [--target TRIPLE] [--binary PATH] [--out DIR] [--uri-base URL] [--homepage URL]

Builds kubefedctl (cargo build --release --locked) and writes into DIR (default: dist/ in the source tree):

  kubefedctl-VERSION-TARGET.tar.gz   one directory kubefedctl-VERSION-TARGET/ holding
                                       kubefedctl          the binary
                                       kubectl-kubefed     a link to it: the kubectl plugin (`kubectl kubefed`)
                                       completions/ man/   shell completions and man pages
                                       LICENSE README.md install.sh
  SHA256SUMS                         sha256sum lines of every kubefedctl-VERSION-*.tar.gz in DIR
  kubefed.yaml                       krew plugin manifest, one platform per archive of VERSION in DIR

Build it once per target into the same DIR and the checksums and the manifest cover all of them. Archives
are reproducible: entries sorted, owned by 0:0, dated SOURCE_DATE_EPOCH (default: the commit's date), and
gzip stores no name or time. Prints the paths it wrote on stdout.

Options:
  --target TRIPLE  Rust target to build for (default: the host's); must be installed (rustup target add)
  --binary PATH    package this already built binary instead of building one (env KUBEFEDCTL_DIST_BINARY)
  --out DIR        write into DIR instead of dist/
  --uri-base URL   where the archives will be downloaded from: the manifest's uri is URL/ARCHIVE
                   (env KUBEFEDCTL_DIST_URI_BASE; default a placeholder that says to set it)
  --homepage URL   the manifest's homepage (env KUBEFEDCTL_DIST_HOMEPAGE; krew's index requires one)
  -h, --help       print this help

Needs cargo and rustc (unless --binary and --target are both given), GNU tar (or TAR=gtar), gzip and
sha256sum (or shasum).
USAGE
}

die() { echo "dist.sh: error: $*" >&2; exit 1; }
note() { echo "dist.sh: $*" >&2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target=""
binary="${KUBEFEDCTL_DIST_BINARY:-}"
out="$root/dist"
uri_base="${KUBEFEDCTL_DIST_URI_BASE:-}"
homepage="${KUBEFEDCTL_DIST_HOMEPAGE:-}"
need_value() { [ "$2" -ge 2 ] || { echo "dist.sh: error: $1 needs a value" >&2; usage >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --target) need_value "$1" $#; target="$2"; shift 2 ;;
    --target=*) target="${1#*=}"; shift ;;
    --binary) need_value "$1" $#; binary="$2"; shift 2 ;;
    --binary=*) binary="${1#*=}"; shift ;;
    --out) need_value "$1" $#; out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --uri-base) need_value "$1" $#; uri_base="$2"; shift 2 ;;
    --uri-base=*) uri_base="${1#*=}"; shift ;;
    --homepage) need_value "$1" $#; homepage="$2"; shift 2 ;;
    --homepage=*) homepage="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "dist.sh: error: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

export LC_ALL=C
tar="${TAR:-tar}"
"$tar" --version 2>/dev/null | grep -q 'GNU tar' \
  || die "$tar is not GNU tar, which reproducible archives need (--sort, --mtime, --owner); set TAR=gtar"
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$@"; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$@"; }
else
  die "neither sha256sum nor shasum found"
fi

# Every crate of the workspace takes its version from [workspace.package].
version="$(sed -n '/^\[workspace\.package\]/,/^\[/ s/^version *= *"\([^"]*\)".*/\1/p' "$root/Cargo.toml" | head -n 1)"
[ -n "$version" ] || die "no version in $root/Cargo.toml"
host=""
if command -v rustc >/dev/null 2>&1; then
  host="$(rustc -vV | sed -n 's/^host: //p')"
fi
[ -n "$target" ] || target="$host"
[ -n "$target" ] || die "rustc not found: give --target"

mkdir -p -- "$out"
out="$(cd "$out" && pwd)"

# --- the binary --------------------------------------------------------------------------------------------
if [ -z "$binary" ]; then
  command -v cargo >/dev/null 2>&1 || die "cargo not found; install Rust from https://rustup.rs"
  args=(build --release --locked --bin kubefedctl --message-format=json-render-diagnostics)
  # The host's own triple would build a second copy under target/TRIPLE/; without --target cargo reuses target/release.
  [ "$target" = "$host" ] || args+=(--target "$target")
  note "building: cargo ${args[*]}"
  # Cargo's JSON messages name the executable wherever the target directory is (CARGO_TARGET_DIR included).
  binary="$(cd "$root" && cargo "${args[@]}" \
    | sed -n '/"reason":"compiler-artifact"/ s/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)"
  [ -n "$binary" ] || die "cargo reported no kubefedctl executable"
fi
if [ ! -f "$binary" ] || [ ! -x "$binary" ]; then
  die "$binary is not an executable file"
fi
if [ "$target" = "$host" ]; then
  # A binary that cannot say its version is not worth shipping; this also shows which commit it names.
  line="$("$binary" version)" || die "$binary version failed"
  note "packaging $binary: $line"
else
  note "packaging $binary (built for $target, not run here)"
fi

# --- the archive -------------------------------------------------------------------------------------------
exe=""
case "$target" in *-windows-*) exe=".exe" ;; esac
name="kubefedctl-$version-$target"
archive="$name.tar.gz"
work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT
stage="$work/$name"
install -d -m 0755 -- "$stage" "$stage/completions" "$stage/man"
install -m 0755 -- "$binary" "$stage/kubefedctl$exe"
if [ -n "$exe" ]; then
  install -m 0755 -- "$binary" "$stage/kubectl-kubefed$exe"   # symbolic links are not dependable on Windows
else
  ln -s "kubefedctl" "$stage/kubectl-kubefed"
fi
install -m 0644 -- "$root/LICENSE" "$root/README.md" "$stage/"
install -m 0755 -- "$root/install.sh" "$stage/"
install -m 0644 -- "$root"/completions/* "$stage/completions/"
install -m 0644 -- "$root"/man/*.1 "$stage/man/"

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH="$(git -C "$root" log -1 --format=%ct 2>/dev/null || stat -c %Y "$root/Cargo.toml")"
fi
(cd "$work" && "$tar" --create --format=gnu --sort=name --mtime="@$SOURCE_DATE_EPOCH" \
  --owner=0 --group=0 --numeric-owner -- "$name") | gzip -9 -n > "$out/$archive.part"
mv -f -- "$out/$archive.part" "$out/$archive"

# --- checksums of this version's archives --------------------------------------------------------------------
archives=()
for file in "$out/kubefedctl-$version-"*.tar.gz; do
  archives+=("$(basename "$file")")
done
(cd "$out" && sha256 "${archives[@]}") > "$out/SHA256SUMS.part"
mv -f -- "$out/SHA256SUMS.part" "$out/SHA256SUMS"

# --- the krew manifest -------------------------------------------------------------------------------------
# Krew selects a platform by Go's os/arch names: prints e.g. linux/amd64.
platform_of() {
  local triple="$1" os arch
  case "$triple" in
    *-linux-*) os=linux ;;
    *-apple-darwin) os=darwin ;;
    *-windows-*) os=windows ;;
    *) return 1 ;;
  esac
  case "${triple%%-*}" in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    i586|i686) arch=386 ;;
    arm|armv7*) arch=arm ;;
    powerpc64le) arch=ppc64le ;;
    *) arch="${triple%%-*}" ;;
  esac
  printf '%s/%s\n' "$os" "$arch"
}

if [ -z "$uri_base" ]; then
  uri_base="https://example.invalid/kubefedctl/releases/v$version"
  note "kubefed.yaml: uri is a placeholder ($uri_base/...); pass --uri-base URL (or KUBEFEDCTL_DIST_URI_BASE) where the archives will be published"
fi
uri_base="${uri_base%/}"
description="$(sed -n '/^\[package\]/,/^\[/ s/^description *= *"\([^"]*\)".*/\1/p' "$root/Cargo.toml" | head -n 1)"
{
  cat <<EOF
apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: kubefed
spec:
  version: v$version
EOF
  [ -z "$homepage" ] || printf '  homepage: %s\n' "$homepage"
  cat <<EOF
  shortDescription: Federate clusters with KubeFed's API objects
  description: |
    $description.
    kubefedctl registers member clusters, enables federated types and propagates
    Federated<Kind> objects to the members with an embedded engine
    (kubectl kubefed reconcile --once, or --watch).
  caveats: |
    Try it on in-process sandbox clusters first: kubectl kubefed demo
  platforms:
EOF
  seen=" "
  for file in "${archives[@]}"; do
    triple="${file#"kubefedctl-$version-"}"
    triple="${triple%.tar.gz}"
    if ! platform="$(platform_of "$triple")"; then
      note "kubefed.yaml: no krew platform for $triple; $file left out"
      continue
    fi
    case "$seen" in
      *" $platform "*)
        note "kubefed.yaml: $file is a second archive for $platform; krew gets the first"
        continue ;;
    esac
    seen="$seen$platform "
    bin="kubefedctl"
    case "$triple" in *-windows-*) bin="kubefedctl.exe" ;; esac
    sum="$(awk -v f="$file" '$2 == f || $2 == "*" f { print $1 }' "$out/SHA256SUMS")"
    cat <<EOF
  - selector:
      matchLabels:
        os: ${platform%/*}
        arch: ${platform#*/}
    uri: $uri_base/$file
    sha256: $sum
    bin: $bin
    files:
    - from: kubefedctl-$version-$triple/$bin
      to: .
    - from: kubefedctl-$version-$triple/LICENSE
      to: .
EOF
  done
} > "$out/kubefed.yaml.part"
mv -f -- "$out/kubefed.yaml.part" "$out/kubefed.yaml"

note "wrote $out/$archive, SHA256SUMS and kubefed.yaml"
printf '%s\n' "$out/$archive" "$out/SHA256SUMS" "$out/kubefed.yaml"
