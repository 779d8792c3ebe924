#!/usr/bin/env bash
# Builds the .deb with CPack from the test build, installs it with apt-get as a user would,
# checks what the package put on the machine (binary, man page, completion, docs, Depends),
# then removes it and checks that nothing is left. Root only (exit 77 otherwise).
#   package_deb.sh TCPINSPECT   (the build directory is the binary's ../)
set -uo pipefail
bin=$1
build=$(cd "$(dirname "$bin")/.." && pwd)
[[ $(id -u) == 0 ]] || { echo "SKIP: needs root (apt-get install)"; exit 77; }
if dpkg-query -W -f='${Status}' tcpinspect 2>/dev/null | grep -q "install ok installed"; then
  echo "FAIL: a tcpinspect package is already installed; this test would replace it"; exit 1
fi
work=$(mktemp -d)
installed=0
cleanup() {
  ((installed)) && apt-get -o DPkg::Lock::Timeout=300 purge -y -qq tcpinspect >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1; }
deb=$(ls "$work"/tcpinspect_*.deb 2>/dev/null | head -1)
[[ -f $deb ]] || { echo "FAIL: cpack wrote no tcpinspect_*.deb"; ls "$work"; exit 1; }
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Section) == net ]] || fail "Section is '$(field Section)', not net"
depends=$(field Depends)
for lib in libpcap0.8 libtins4.0 libstdc++6 libc6; do
  [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
[[ $(field Recommends) == *nftables* ]] || fail "Recommends lacks nftables (converse runs nft): $(field Recommends)"
[[ -n $(field Description) ]] || fail "no Description"

apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; echo "FAIL: apt-get install"; exit 1; }
installed=1
[[ $(command -v tcpinspect) == /usr/bin/tcpinspect ]] || fail "tcpinspect is not /usr/bin/tcpinspect"
[[ $(/usr/bin/tcpinspect --version) == "$("$bin" --version)" ]] || fail "installed --version differs from the build's"
[[ $(man -w tcpinspect 2>/dev/null) == /usr/share/man/man1/tcpinspect.1.gz ]] || fail "man -w tcpinspect"
# (the whole page is read first: grep -q would end the pipe early, and pipefail would see it)
page=$(MANWIDTH=100 man tcpinspect 2>/dev/null | col -b)
grep -q "tcpinspect replay" <<<"$page" || fail "man tcpinspect does not render"
comp=/usr/share/bash-completion/completions/tcpinspect
got=$(bash -c 'source "$1"; COMP_WORDS=(tcpinspect replay --format j); COMP_CWORD=3; _tcpinspect; echo "${COMPREPLY[*]}"' _ "$comp")
[[ $got == jsonl ]] || fail "installed bash completion: '$got'"
[[ -f /usr/share/zsh/vendor-completions/_tcpinspect ]] || fail "no zsh completion"
for doc in README.md LICENSE json.md architecture.md; do
  [[ -f /usr/share/doc/tcpinspect/$doc ]] || fail "no /usr/share/doc/tcpinspect/$doc"
done
# Without the capability, the error names the installed path in the setcap line.
msg=$(setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/tcpinspect trace lo -c 1 2>&1)
[[ $msg == *"setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpinspect"* ]] ||
  fail "privilege error does not name /usr/bin/tcpinspect: $msg"

apt-get -o DPkg::Lock::Timeout=300 purge -y -qq tcpinspect >/dev/null 2>&1 || fail "apt-get purge"
installed=0
left=$(ls /usr/bin/tcpinspect /usr/share/man/man1/tcpinspect.1.gz "$comp" /usr/share/doc/tcpinspect 2>/dev/null)
[[ -z $left ]] || fail "left behind after purge: $left"

if ((failures)); then echo "$failures check(s) failed"; exit 1; fi
echo "package: built, installed, checked and removed cleanly"
