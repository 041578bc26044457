"""Errors raised by library code; only the CLI turns them into messages and exit codes."""


class ClaimflowError(Exception):
    """A user-facing error: the message is one clear line."""


class SchemaError(ClaimflowError):
    """An input file is not the kind or version of table a stage expects."""


class ModelFileError(ClaimflowError):
    """A model file lacks a key, or holds a value of the wrong type, length or shape."""
