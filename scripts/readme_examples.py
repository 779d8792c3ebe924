#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The README's example outputs are real output, and stay so.

A fenced block right after a comment

    <!-- output: replay samples/client_close.pcap --color never -->

must be exactly what `tcpinspect ARGS` prints (run from the repository's root). A block
after one or more comments

    <!-- excerpt: replay samples/client_close.pcap --format explain -->

is a selection: each of its lines must be a line that one of those commands prints.

    scripts/readme_examples.py BIN            check; exit 1 with a diff for any that differ
    scripts/readme_examples.py BIN --write    rewrite the `output` blocks from real output
                                              (excerpts are only checked)
"""
import difflib
import pathlib
import re
import shlex
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^<!-- (output|excerpt): (.+?) -->$")


def run(binary, args):
    done = subprocess.run([binary] + shlex.split(args), cwd=ROOT, capture_output=True,
                          timeout=120, env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"})
    return done.stdout.decode()


def blocks(lines):
    """(kind, [commands], first line index of the block's body, index of its closing fence)"""
    i = 0
    while i < len(lines):
        m = MARKER.match(lines[i])
        if not m:
            i += 1
            continue
        kind, commands = m.group(1), [m.group(2)]
        j = i + 1
        while j < len(lines) and MARKER.match(lines[j]):
            commands.append(MARKER.match(lines[j]).group(2))
            j += 1
        if j >= len(lines) or not lines[j].startswith("```"):
            sys.exit(f"README.md:{i + 1}: a marker must be followed by a fenced block")
        end = j + 1
        while end < len(lines) and lines[end] != "```":
            end += 1
        yield kind, commands, j + 1, end
        i = end + 1


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary, write = sys.argv[1], "--write" in sys.argv[2:]
    readme = ROOT / "README.md"
    lines = readme.read_text().split("\n")
    problems, checked = [], 0
    # Backwards, so that rewriting a block keeps the earlier indices valid.
    for kind, commands, body, end in reversed(list(blocks(lines))):
        checked += 1
        shown = lines[body:end]
        if kind == "output":
            real = run(binary, commands[0]).rstrip("\n").split("\n")
            if shown == real:
                continue
            if write:
                lines[body:end] = real
                continue
            diff = "\n".join(difflib.unified_diff(shown, real, "README.md", commands[0],
                                                  lineterm="", n=1))
            problems.append(f"README.md:{body}: not what `tcpinspect {commands[0]}` prints:\n"
                            + diff)
        else:
            real = set()
            for c in commands:
                real.update(run(binary, c).split("\n"))
            for k, line in enumerate(shown):
                if line not in real:
                    problems.append(f"README.md:{body + k + 1}: no command of the excerpt "
                                    f"prints this line: {line[:100]}")
    if write:
        readme.write_text("\n".join(lines))
    for p in problems:
        print(p)
    print(f"readme_examples: {checked} blocks, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
