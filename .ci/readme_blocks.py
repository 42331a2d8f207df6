"""Read the commands of README.md's "Running in production" section, so that `.ci/production`
runs exactly what the README tells an operator to run (stdlib only).

In that section:

- a fenced block opened with ```` ```sh TAG ```` holds shell commands; `sh TAG` prints every such
  block with that tag, in order;
- a fenced block whose first line is ``# /etc/systemd/system/NAME`` is a systemd unit;
  `unit NAME KEY` prints the value of KEY (e.g. ExecStart) in it;
- the fenced block whose first line is ``# /etc/brobyg/env`` is the environment file;
  `env-names` prints the names of the variables it sets.

Usage: python3 .ci/readme_blocks.py [--readme README.md] (sh TAG | unit NAME KEY | env-names)
A missing block is an error, so removing a step from the README fails the stage.
"""

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

SECTION = "## Running in production"
FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[^`]*)$")


@dataclass
class Block:
    language: str
    tag: str
    lines: list[str]

    @property
    def path(self) -> str:
        first = self.lines[0] if self.lines else ""
        return first[2:].strip() if first.startswith("# ") else ""


class MissingBlock(Exception):
    pass


def section(text: str) -> list[str]:
    lines = text.splitlines()
    try:
        start = lines.index(SECTION)
    except ValueError:
        raise MissingBlock(f"README has no {SECTION!r} section") from None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start + 1 : end]


def blocks(text: str) -> list[Block]:
    found, current, indent = [], None, ""
    for line in section(text):
        match = FENCE.match(line)
        if current is None and match and match["info"].strip():
            language, _, tag = match["info"].strip().partition(" ")
            current, indent = Block(language, tag.strip(), []), match["indent"]
        elif current is not None and match and not match["info"].strip():
            found.append(current)
            current = None
        elif current is not None:
            current.lines.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
    return found


def shell(text: str, tag: str) -> str:
    chosen = [b for b in blocks(text) if b.language == "sh" and b.tag == tag]
    if not chosen:
        raise MissingBlock(f"README's production section has no ```sh {tag} block")
    return "\n".join("\n".join(block.lines) for block in chosen) + "\n"


def unit_value(text: str, name: str, key: str) -> str:
    for block in blocks(text):
        if block.path == f"/etc/systemd/system/{name}":
            values = [
                line.split("=", 1)[1].strip()
                for line in block.lines
                if line.split("=", 1)[0].strip() == key and "=" in line
            ]
            if len(values) != 1:
                raise MissingBlock(f"{name} in README must have exactly one {key}=")
            return values[0]
    raise MissingBlock(f"README's production section has no unit /etc/systemd/system/{name}")


def env_names(text: str) -> list[str]:
    for block in blocks(text):
        if block.path == "/etc/brobyg/env":
            return [
                line.split("=", 1)[0].strip()
                for line in block.lines
                if "=" in line and not line.lstrip().startswith("#")
            ]
    raise MissingBlock("README's production section has no /etc/brobyg/env block")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", type=Path, default=Path(__file__).parent.parent / "README.md")
    parser.add_argument("what", choices=["sh", "unit", "env-names"])
    parser.add_argument("names", nargs="*")
    options = parser.parse_args(argv)
    text = options.readme.read_text(encoding="utf-8")
    try:
        if options.what == "sh" and len(options.names) == 1:
            sys.stdout.write(shell(text, options.names[0]))
        elif options.what == "unit" and len(options.names) == 2:
            print(unit_value(text, *options.names))
        elif options.what == "env-names" and not options.names:
            print("\n".join(env_names(text)))
        else:
            parser.error("sh TAG | unit NAME KEY | env-names")
    except MissingBlock as error:
        print(f"readme_blocks: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
