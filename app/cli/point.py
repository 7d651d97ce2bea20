"""`liaison settings`: the point's settings."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import EXIT_OK, out, with_desk
from app.core.errors import FieldError, InputError

if TYPE_CHECKING:
    from app.cli.common import Subparsers
    from app.desk import Desk


def add_settings(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    st = sub.add_parser("settings", parents=[common], help="查看或修改联络点设置")
    st.add_argument("key", nargs="?")
    st.add_argument("value", nargs="?")
    st.set_defaults(func=with_desk(_settings))


def _settings(args: argparse.Namespace, desk: Desk) -> int:
    from app.point import settings as st

    if args.key is None:
        values = desk.settings.all()
        out(args, values, "\n".join(f"{k}\t{v}\t# {st.KEYS[k].label}" for k, v in values.items()))
    elif args.value is None:
        values = desk.settings.all()
        if args.key not in values:
            raise InputError([FieldError(args.key, f"没有名为“{args.key}”的设置项，可用：{'、'.join(values)}")])
        out(args, {args.key: values[args.key]}, values[args.key])
    else:
        values = desk.settings.put({args.key: args.value})
        out(args, {args.key: values[args.key]}, f"{args.key} = {values[args.key]}")
    return EXIT_OK
