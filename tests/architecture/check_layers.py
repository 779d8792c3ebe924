#!/usr/bin/env python3
"""Fails when an #include runs against the architecture's arrows (docs/architecture.md).

    cmd -> core,  cmd -> capture -> core/wire,  cmd -> traffic,
    core: wire <- zeek <- tcp <- render, wire <- lab

core/ is pure: standard library only, so no libpcap, libtins or socket header may appear in
it. Tests under tests/core/<stage>/ obey their stage's rule. Prints one line per violation.
"""
import pathlib
import re
import sys

# What each folder may include from the project (besides itself).
ALLOWED = {
    "core/wire": {"core/wire"},
    "core/zeek": {"core/wire"},
    "core/tcp": {"core/wire", "core/zeek"},
    "core/render": {"core/wire", "core/zeek", "core/tcp"},
    "core/lab": {"core/wire"},
    # Frames in, frames and crafted segments out: of core, capture needs the wire stage only.
    # Connections, renderers and the lab's vocabulary (port lists, flags, verdicts) are for
    # the commands that use capture, in cmd/.
    "capture": {"core/wire"},
    "traffic": set(),
}
# Headers that mean I/O, sockets or the capture libraries: never in core/.
FORBIDDEN_IN_CORE = re.compile(
    r"^(pcap\.h|pcap/.*|tins/.*|sys/socket\.h|sys/ioctl\.h|netinet/.*|arpa/.*|netdb\.h|"
    r"net/.*|linux/.*|ifaddrs\.h|poll\.h|sys/epoll\.h|unistd\.h|fcntl\.h|sys/mman\.h)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
PROJECT_TOP = ("core/", "capture/", "cmd/", "traffic/", "tests/", "tools/", "bench/")


def folder_of(path: str) -> str | None:
    """The ALLOWED key that governs a file, or None for folders without a rule (cmd/...)."""
    if path.startswith("tests/core/"):
        path = path[len("tests/"):]
    for key in sorted(ALLOWED, key=len, reverse=True):
        if path.startswith(key + "/"):
            return key
    return None


def target_folder(include: str) -> str | None:
    for key in sorted(ALLOWED, key=len, reverse=True):
        if include.startswith(key + "/"):
            return key
    if include.startswith(PROJECT_TOP):
        return include.split("/", 1)[0]
    return None


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    files = [p for top in ("core", "capture", "traffic", "tests/core")
             for p in (root / top).rglob("*") if p.suffix in (".hpp", ".cpp", ".h")]
    if not any(f.relative_to(root).as_posix().startswith("core/wire/") for f in files):
        print(f"check_layers: no core/wire sources under {root}", file=sys.stderr)
        return 1
    bad = 0
    for f in files:
        rel = f.relative_to(root).as_posix()
        own = folder_of(rel)
        if own is None:
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            kind, name = m.groups()
            if own.startswith("core/") and kind == "<" and FORBIDDEN_IN_CORE.match(name):
                print(f"{rel}:{n}: core is pure, but includes <{name}>")
                bad += 1
                continue
            if kind != '"':
                continue
            target = target_folder(name)
            if target is None or target == own or name.startswith("tests/core/"):
                if name.startswith("tests/core/") and not name.startswith("tests/" + own + "/"):
                    print(f"{rel}:{n}: {own} includes another stage's test helper \"{name}\"")
                    bad += 1
                continue
            if target not in ALLOWED[own]:
                print(f"{rel}:{n}: {own} may not include \"{name}\" ({target} is not below it)")
                bad += 1
    if bad:
        print(f"check_layers: {bad} include(s) against the arrows (docs/architecture.md)")
        return 1
    print(f"check_layers: {len(files)} files follow the arrows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
