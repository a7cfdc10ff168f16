#!/usr/bin/env bash
# Installs kubefedctl (binary, shell completions, man pages) under a prefix: built from this source tree, or
# taken from a release archive that scripts/dist.sh made. Also the installer inside such an archive.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./install.sh [--prefix DIR] [--from-archive FILE [--skip-checksum]] [--kubectl-plugin]
       ./install.sh [--prefix DIR] --uninstall

Installs, under PREFIX (default ~/.local):
  bin/kubefedctl
  bin/kubectl-kubefed                               with --kubectl-plugin: a link, for `kubectl kubefed`
  share/bash-completion/completions/kubefedctl
  share/zsh/site-functions/_kubefedctl
  share/fish/vendor_completions.d/kubefedctl.fish
  share/man/man1/kubefedctl*.1

The files come from, in order:
  --from-archive FILE   a release archive (kubefedctl-VERSION-TARGET.tar.gz); when a SHA256SUMS file lies
                        beside it, the archive's checksum must match the one listed there
  this directory        when install.sh runs from an unpacked release archive
  a build               cargo build --release --locked in this source tree (CARGO_TARGET_DIR is honoured)

It records what it installed, and the directories it had to create, in share/kubefedctl/. Running it again
replaces the installed files (and removes any a previous install put there that this one does not).
--uninstall removes exactly the recorded files, then the recorded directories that are left empty.

Options:
  --prefix DIR          install under DIR instead of ~/.local
  --from-archive FILE   install from a release archive instead of building
  --skip-checksum       install an archive that the SHA256SUMS beside it does not list
  --kubectl-plugin      also install bin/kubectl-kubefed, so that `kubectl kubefed ...` runs kubefedctl
  --uninstall           remove what an install under the same prefix put there
  -h, --help            print this help
USAGE
}

die() { echo "install.sh: error: $*" >&2; exit 1; }
usage_error() { echo "install.sh: error: $*" >&2; usage >&2; exit 2; }

prefix="${HOME}/.local"
uninstall=false
archive=""
skip_checksum=false
kubectl_plugin=false
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || usage_error "--prefix needs a directory"; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --from-archive) [ $# -ge 2 ] || usage_error "--from-archive needs a file"; archive="$2"; shift 2 ;;
    --from-archive=*) archive="${1#--from-archive=}"; shift ;;
    --skip-checksum) skip_checksum=true; shift ;;
    --kubectl-plugin) kubectl_plugin=true; shift ;;
    --uninstall) uninstall=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
if $uninstall && { [ -n "$archive" ] || $kubectl_plugin; }; then
  usage_error "--uninstall takes no --from-archive or --kubectl-plugin: it removes whatever was recorded"
fi
[ -n "$prefix" ] || usage_error "--prefix needs a directory"
# Recorded paths must not depend on the directory the next run starts in.
case "$prefix" in /*) ;; *) prefix="$PWD/$prefix" ;; esac
prefix="${prefix%/}"

src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin_dir="$prefix/bin"
bash_dir="$prefix/share/bash-completion/completions"
zsh_dir="$prefix/share/zsh/site-functions"
fish_dir="$prefix/share/fish/vendor_completions.d"
man_dir="$prefix/share/man/man1"
record_dir="$prefix/share/kubefedctl"
record="$record_dir/installed-files"
dirs_record="$record_dir/created-dirs"

# Removes the recorded files, except those listed in "$1" (a file of paths to keep, may be empty).
remove_recorded() {
  local keep="$1" dest
  [ -f "$record" ] || return 0
  while IFS= read -r dest; do
    [ -n "$dest" ] || continue
    grep -qxF -- "$dest" "$keep" 2>/dev/null && continue
    if [ -e "$dest" ] || [ -L "$dest" ]; then
      rm -f -- "$dest"
      echo "removed $dest"
    fi
  done < "$record"
}

if $uninstall; then
  if [ ! -f "$record" ]; then
    echo "nothing to uninstall: $record not found (was kubefedctl installed with --prefix $prefix?)"
    exit 0
  fi
  remove_recorded /dev/null
  created=()
  # Deepest first: in reverse order a directory comes before its parent.
  if [ -f "$dirs_record" ]; then mapfile -t created < <(sort -ru -- "$dirs_record"); fi
  rm -f -- "$record" "$dirs_record"
  for dir in "${created[@]}"; do
    [ -d "$dir" ] || continue
    if rmdir -- "$dir" 2>/dev/null; then
      echo "removed $dir/"
    else
      echo "kept $dir/: not empty"
    fi
  done
  # An install recorded before directories were: its record directory is still ours to remove.
  rmdir -- "$record_dir" 2>/dev/null || true
  echo "kubefedctl uninstalled from $prefix"
  exit 0
fi

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -- "$1" | awk '{ print $1 }'
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 -- "$1" | awk '{ print $1 }'
  else
    die "neither sha256sum nor shasum found to verify $1"
  fi
}

work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT

# --- what to install: $payload holds completions/ and man/, $binary the executable ---------------------------
if [ -n "$archive" ]; then
  [ -f "$archive" ] || die "$archive: no such file"
  name="$(basename -- "$archive")"
  sums="$(dirname -- "$archive")/SHA256SUMS"
  if [ -f "$sums" ]; then
    expected="$(awk -v f="$name" '$2 == f || $2 == "*" f { print $1; exit }' "$sums")"
    if [ -n "$expected" ]; then
      actual="$(sha256_of "$archive")"
      [ "$actual" = "$expected" ] \
        || die "$archive does not match its checksum in $sums (sha256 $actual, listed $expected): download it again"
      echo "verified $name against $sums"
    elif $skip_checksum; then
      echo "warning: $sums does not list $name; installing it unverified (--skip-checksum)" >&2
    else
      die "$sums does not list $name, so it cannot be verified; fetch the SHA256SUMS released with it, or pass --skip-checksum"
    fi
  else
    echo "warning: no SHA256SUMS beside $archive; its checksum is not verified" >&2
  fi
  mkdir -- "$work/archive"
  tar -xzf "$archive" -C "$work/archive"
  tops=("$work/archive"/*)
  if [ "${#tops[@]}" -ne 1 ] || [ ! -x "${tops[0]}/kubefedctl" ]; then
    die "$archive is not a kubefedctl release archive (one directory holding kubefedctl)"
  fi
  payload="${tops[0]}"
  binary="$payload/kubefedctl"
elif [ ! -f "$src/Cargo.toml" ] && [ -x "$src/kubefedctl" ]; then
  payload="$src"
  binary="$src/kubefedctl"
else
  command -v cargo >/dev/null 2>&1 || die "cargo not found; install Rust from https://rustup.rs"
  # Cargo's JSON messages name the executable wherever it was built, CARGO_TARGET_DIR and build.target-dir
  # included; diagnostics and progress still go to the terminal.
  binary="$(cd "$src" && cargo build --release --locked --bin kubefedctl --message-format=json-render-diagnostics \
    | sed -n '/"reason":"compiler-artifact"/ s/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)"
  if [ -z "$binary" ] || [ ! -x "$binary" ]; then die "cargo reported no kubefedctl executable"; fi
  echo "built $binary"
  payload="$src"
fi
# A binary built for another platform fails here, before anything is installed.
version_line="$("$binary" version 2>&1)" || die "$binary does not run on this machine: $version_line"

# Destination path <TAB> source path of every installed file; the one list both directions use.
manifest() {
  printf '%s\t%s\n' "$bin_dir/kubefedctl" "$binary"
  printf '%s\t%s\n' "$bash_dir/kubefedctl" "$payload/completions/kubefedctl.bash"
  printf '%s\t%s\n' "$zsh_dir/_kubefedctl" "$payload/completions/kubefedctl.zsh"
  printf '%s\t%s\n' "$fish_dir/kubefedctl.fish" "$payload/completions/kubefedctl.fish"
  local page
  for page in "$payload"/man/*.1; do
    [ -e "$page" ] || continue
    printf '%s\t%s\n' "$man_dir/$(basename "$page")" "$page"
  done
}

# Creates a directory and records those of its ancestors (itself included) that did not exist.
new_dirs="$work/created-dirs"
if [ -f "$dirs_record" ]; then cp -- "$dirs_record" "$new_dirs"; fi
touch -- "$new_dirs"
make_dir() {
  local dir="$1"
  while [ ! -d "$dir" ]; do
    printf '%s\n' "$dir" >> "$new_dirs"
    dir="$(dirname -- "$dir")"
  done
  install -d -- "$1"
}

new_record="$work/installed-files"
: > "$new_record"
while IFS=$'\t' read -r dest from; do
  mode=0644
  [ "$dest" = "$bin_dir/kubefedctl" ] && mode=0755
  make_dir "$(dirname -- "$dest")"
  install -m "$mode" -- "$from" "$dest"
  echo "installed $dest"
  printf '%s\n' "$dest" >> "$new_record"
done < <(manifest)
if $kubectl_plugin; then
  ln -sfn kubefedctl "$bin_dir/kubectl-kubefed"
  echo "installed $bin_dir/kubectl-kubefed -> kubefedctl"
  printf '%s\n' "$bin_dir/kubectl-kubefed" >> "$new_record"
fi
remove_recorded "$new_record"
make_dir "$record_dir"
install -m 0644 -- "$new_record" "$record"
# Only directories that still exist are worth remembering (an uninstall may have removed some before).
while IFS= read -r dir; do
  if [ -d "$dir" ]; then printf '%s\n' "$dir"; fi
done < <(sort -u -- "$new_dirs") > "$work/created-dirs.kept"
install -m 0644 -- "$work/created-dirs.kept" "$dirs_record"

echo "kubefedctl installed under $prefix: $version_line"
case ":${PATH}:" in
  *":$bin_dir:"*) ;;
  *)
    echo
    echo "$bin_dir is not on your PATH. Add this line to your shell's startup file (~/.bashrc, ~/.zshrc):"
    echo "  export PATH=\"$bin_dir:\$PATH\""
    ;;
esac
