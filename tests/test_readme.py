"""The README's quick start stays true: two commands, and CI runs the second."""

from __future__ import annotations

import re

from conftest import REPO


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_quick_start_is_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert "handover build kb" in commands[0]
    script = (REPO / commands[1].removeprefix("./")).read_text(encoding="utf-8")
    assert "apt-get install" in script and "chromium" in script and "python -m pytest" in script


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci


def test_readme_lists_every_command_and_only_those():
    """The README's "Using it" block names the same commands as `handover --help`
    (groups with their subcommands), so a new command cannot land undocumented."""
    import click

    from handover.cli import cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using it", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's Using it section has lost its command block"
    documented = {" ".join(line.split()[1:3]) if line.split()[1] in cli.commands and isinstance(cli.commands[line.split()[1]], click.Group)
                  else line.split()[1] for line in block.group(1).splitlines() if line.startswith("handover ")}
    actual: set[str] = set()
    for name, command in cli.commands.items():
        if isinstance(command, click.Group):
            actual |= {f"{name} {sub}" for sub in command.commands}
        else:
            actual.add(name)
    assert documented == actual
