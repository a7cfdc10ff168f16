#!/usr/bin/env bash
# Builds kubefedctl and installs the binary, shell completions and man pages under a prefix.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./install.sh [--prefix DIR] [--uninstall] [--help]

Builds kubefedctl (cargo build --release --locked) and installs, under PREFIX (default ~/.local):
  bin/kubefedctl
  share/bash-completion/completions/kubefedctl
  share/zsh/site-functions/_kubefedctl
  share/fish/vendor_completions.d/kubefedctl.fish
  share/man/man1/kubefedctl*.1

and records the list in share/kubefedctl/installed-files. Running it again replaces the installed files
(and removes any a previous version installed that this one no longer ships). --uninstall removes
exactly the recorded files, and nothing else.

Options:
  --prefix DIR   install under DIR instead of ~/.local
  --uninstall    remove what an install under the same prefix put there
  -h, --help     print this help
USAGE
}

prefix="${HOME}/.local"
uninstall=false
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "error: --prefix needs a directory" >&2; exit 2; }; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --uninstall) uninstall=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin_dir="$prefix/bin"
bash_dir="$prefix/share/bash-completion/completions"
zsh_dir="$prefix/share/zsh/site-functions"
fish_dir="$prefix/share/fish/vendor_completions.d"
man_dir="$prefix/share/man/man1"
record_dir="$prefix/share/kubefedctl"
record="$record_dir/installed-files"

# Destination path <TAB> source path of every installed file; the one list both directions use.
manifest() {
  printf '%s\t%s\n' "$bin_dir/kubefedctl" "$src/target/release/kubefedctl"
  printf '%s\t%s\n' "$bash_dir/kubefedctl" "$src/completions/kubefedctl.bash"
  printf '%s\t%s\n' "$zsh_dir/_kubefedctl" "$src/completions/kubefedctl.zsh"
  printf '%s\t%s\n' "$fish_dir/kubefedctl.fish" "$src/completions/kubefedctl.fish"
  local page
  for page in "$src"/man/*.1; do
    [ -e "$page" ] || continue
    printf '%s\t%s\n' "$man_dir/$(basename "$page")" "$page"
  done
}

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
  rm -f -- "$record"
  rmdir -- "$record_dir" 2>/dev/null || true
  echo "kubefedctl uninstalled from $prefix"
  exit 0
fi

command -v cargo >/dev/null 2>&1 || { echo "error: cargo not found; install Rust from https://rustup.rs" >&2; exit 1; }
(cd "$src" && cargo build --release --locked)

new_record="$(mktemp)"
trap 'rm -f -- "$new_record"' EXIT
while IFS=$'\t' read -r dest from; do
  mode=0644
  [ "$dest" = "$bin_dir/kubefedctl" ] && mode=0755
  install -d -- "$(dirname "$dest")"
  install -m "$mode" -- "$from" "$dest"
  echo "installed $dest"
  printf '%s\n' "$dest" >> "$new_record"
done < <(manifest)
remove_recorded "$new_record"
install -d -- "$record_dir"
install -m 0644 -- "$new_record" "$record"

echo "kubefedctl installed under $prefix"
case ":${PATH}:" in
  *":$bin_dir:"*) ;;
  *)
    echo
    echo "$bin_dir is not on your PATH. Add this line to your shell's startup file (~/.bashrc, ~/.zshrc):"
    echo "  export PATH=\"$bin_dir:\$PATH\""
    ;;
esac
