"""The README's examples are true: the commands in its ``readme-example`` blocks run, and every
line shown under a command is in what it printed (in order)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import ROOT
from office_files import docx_bytes

EXAMPLE = re.compile(
    r"<!-- readme-example: (\w+) -->\n```\n(.*?)```\n<!-- /readme-example -->", re.S
)


def examples() -> dict[str, list[tuple[str, list[str]]]]:
    """Example name -> [(command, the lines shown under it)]."""
    found = {}
    for name, block in EXAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8")):
        steps: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        found[name] = steps
    return found


def _desk(tmp_path):
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "story.docx").write_bytes(
        docx_bytes(
            [
                "Selenskyj proposes new talks",
                "Copy the current link",
                "The President of Ukraine, Wolodymyr Selenskyj, wants to talk to Russia.",
            ]
        )
    )
    (desk / "placeholder.md").write_text("")
    (tmp_path / "wire.txt").write_text(
        "The chancellor met the secretary general in Berlin on Tuesday to talk about the "
        "crisis and how the conflict could be de-escalated.\n"
    )


def test_desk_example(tmp_path):
    _desk(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for command, shown in examples()["desk"]:
        command = command.replace("auditor ", f"{sys.executable} -m auditor ", 1)
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, env=env
        )
        printed = (done.stdout + done.stderr).splitlines()
        position = 0
        for line in shown:
            assert line in printed[position:], (command, line, printed)
            position = printed.index(line, position) + 1
