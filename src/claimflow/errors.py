"""Errors raised by library code; only the CLI turns them into messages and exit codes.
Also the one escaping of user text (paths, ids) for messages and logs."""

import re


class ClaimflowError(Exception):
    """A user-facing error: the message is one clear line."""


class SchemaError(ClaimflowError):
    """An input file is not the kind or version of table a stage expects."""


class ModelFileError(ClaimflowError):
    """A model file lacks a key, or holds a value of the wrong type, length or shape."""


_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(m: re.Match) -> str:
    c = m.group()
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def escape_controls(value: object) -> str:
    """``str(value)`` with control and bidi characters written as visible escapes (\\n, \\u202e)."""
    return _UNSAFE.sub(_escape_char, str(value))
