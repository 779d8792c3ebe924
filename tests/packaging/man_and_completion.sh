#!/usr/bin/env bash
# The generated man page and shell completions, and --version, as a user meets them.
#   man_and_completion.sh TCPINSPECT GENERATED_DIR PROJECT_VERSION
set -uo pipefail
bin=$1 gen=$2 version=$3
man_page=$gen/man/tcpinspect.1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_eq() { [[ $2 == "$3" ]] || fail "$1: expected '$3', got '$2'"; }

# --- --version ---------------------------------------------------------------------------
v=$("$bin" --version)
[[ $v =~ ^tcpinspect\ ${version//./\\.}(\ \(git\ [0-9a-f]{7,}(-dirty)?\))?$ ]] ||
  fail "--version printed '$v', expected 'tcpinspect $version [(git REV)]'"

# --- man page ----------------------------------------------------------------------------
[[ -s $man_page && -s $man_page.gz ]] || fail "no man page at $man_page(.gz)"
warnings=$(groff -man -ww -z "$man_page" 2>&1)
[[ -z $warnings ]] || fail "groff warns about the man page: $warnings"
text=$(MANWIDTH=200 man -l "$man_page" 2>/dev/null | col -b)
for sub in replay trace craft probe reset udp-send udp-recv interfaces echo-server echo-client demo; do
  grep -q "^   tcpinspect $sub\$" <<<"$text" || fail "man page has no section for $sub"
done
grep -q -- "__generate" <<<"$text" && fail "man page lists the hidden __generate"
grep -qF -- "--format text|ladder|summary|jsonl|explain|svg|html" <<<"$text" || fail "man page lacks replay's --format choices"
grep -qF "sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpinspect" <<<"$text" ||
  fail "man page lacks the setcap line with the installed path"
grep -qF "Usage error" <<<"$text" || fail "man page lacks EXIT STATUS"
grep -qF "@" <<<"$(grep -v '^\.\\"' "$man_page")" && fail "man page has an unfilled @PLACEHOLDER@"
expect_eq "gzip'd man page" "$(gzip -dc "$man_page.gz" | md5sum)" "$(md5sum <"$man_page")"

# --- bash completion ---------------------------------------------------------------------
complete_bash() {  # prints the candidates for the words given, the last being completed
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tcpinspect
           printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$gen/completions/tcpinspect" "$@"
}
expect_eq "bash: tcpinspect re" "$(complete_bash tcpinspect re)" "replay reset "
expect_eq "bash: replay --format" "$(complete_bash tcpinspect replay --format '')" "csv explain html jsonl ladder summary svg text zeek "
expect_eq "bash: replay --col" "$(complete_bash tcpinspect replay --col)" "--color "
expect_eq "bash: replay --color a" "$(complete_bash tcpinspect replay --color a)" "always auto "
ifs=$(ls /sys/class/net | sort | tr '\n' ' ')
expect_eq "bash: trace IFACE" "$(complete_bash tcpinspect trace '')" "$ifs"
expect_eq "bash: reset -i" "$(complete_bash tcpinspect reset -i '')" "$ifs"
expect_eq "bash: trace lo FILTER (no interfaces)" "$(complete_bash tcpinspect trace lo '' | tr -d ' ')" ""
expect_eq "bash: help ec" "$(complete_bash tcpinspect help ec)" "echo-client echo-server "
grep -q "__generate" "$gen/completions/tcpinspect" && fail "bash completion offers the hidden __generate"

# --- zsh completion ----------------------------------------------------------------------
if command -v zsh >/dev/null; then
  zsh -n "$gen/completions/_tcpinspect" || fail "zsh completion does not parse"
  head -1 "$gen/completions/_tcpinspect" | grep -qx "#compdef tcpinspect" || fail "zsh: no #compdef line"
  grep -qF "(text ladder summary jsonl explain svg html zeek csv)" "$gen/completions/_tcpinspect" || fail "zsh: no --format choices"
else
  fail "zsh is not installed (scripts/install-deps.sh installs it)"
fi

if ((failures)); then echo "$failures check(s) failed"; exit 1; fi
echo "man page, completions and --version: all checks passed"
