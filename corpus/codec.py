"""Frozen dataclasses <-> JSON-ready values, typed by their annotations: what an index stores without pickle.

`to_jsonable(obj)` turns dataclasses into dicts, tuples into lists and Decimals into strings (exact);
`from_jsonable(cls, data)` rebuilds `cls` from its field types (dataclasses, `X | None`, `tuple[X, ...]`,
`tuple[X, Y]`, `dict[str, X]`, Decimal, str/int/float/bool, Any). A field missing from `data` takes its default.
"""
from __future__ import annotations

import dataclasses
import functools
import types
import typing
from decimal import Decimal
from typing import Any


def to_jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, (tuple, list)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_jsonable(tp: Any, data: Any) -> Any:
    if data is None or tp is Any:
        return data
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"cannot decode a value of {tp}: only X | None unions are supported")
        return from_jsonable(options[0], data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_jsonable(args[0], v) for v in data)
        return tuple(from_jsonable(a, v) for a, v in zip(args, data))
    if origin is dict:
        _, value_type = typing.get_args(tp)
        return {k: from_jsonable(value_type, v) for k, v in data.items()}
    if origin is list:
        return [from_jsonable(typing.get_args(tp)[0], v) for v in data]
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return tp(**{f.name: from_jsonable(hints[f.name], data[f.name]) for f in dataclasses.fields(tp)
                     if f.name in data and f.init})
    if tp is Decimal:
        return Decimal(data)
    if tp is float and isinstance(data, int):
        return float(data)
    return data
