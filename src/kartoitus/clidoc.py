"""The README's command reference, generated from the CLI itself so that it cannot drift.

    python -m kartoitus.clidoc     # prints the Markdown that README.md holds between its markers
"""

from __future__ import annotations

import click

from .cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def format_command_reference() -> str:
    """Markdown: one entry per command with its usage line, first help paragraph and options."""
    lines = []
    for path, command in _commands(cli):
        ctx = click.Context(command, info_name=" ".join(("kartoitus", *path)))
        usage = command.get_usage(ctx).removeprefix("Usage: ")
        summary = (command.help or "").split("\n\n")[0].replace("\n", " ").strip()
        lines += [f"### `kartoitus {' '.join(path)}`", "", f"`{usage}`", "", summary, ""]
        options = [p for p in command.get_params(ctx) if isinstance(p, click.Option) and "--help" not in p.opts]
        for option in options:
            record = option.get_help_record(ctx)
            if record:
                flags, text = record
                lines.append(f"- `{flags}`: {text}")
        lines += ["- `-h, --help`: show the help and exit.", ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(format_command_reference(), end="")
