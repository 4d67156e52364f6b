"""Small helpers every API router shares: bounded integers, ISO dates, decimals, errors.

The current user and owners are `accounts.apitools`; region filters `regions.apitools`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema

# Bounds of integers the API passes on to the database, declared in the OpenAPI document so that
# a number too large for a database column is a 422 rather than an overflow (500) in the driver.
MAX_OFFSET = 2**31 - 1  # list offsets; far beyond any real list, and offset + limit still fits
MAX_ID = 2**63 - 1  # record ids (BigAutoField)

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: Any) -> Any:
    """Only an ISO `YYYY-MM-DD` string is a date: pydantic would also read numbers (Unix time),
    `2024-01-19T00:00` and bytes, so `"submitted_on": 0` would have been 1970-01-01."""
    if isinstance(value, date):  # built in Python (tests, services), not from JSON
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("a date is an ISO string YYYY-MM-DD")
    return value


# The type of every date field of every input schema. The bounds of each kind of date
# (core.dates) depend on today and on the record, so the services check those (400).
IsoDate = Annotated[
    date,
    BeforeValidator(_iso_day),
    WithJsonSchema(
        {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    ),
]


class ApiError(Schema):
    """The body of every error response (docs/api.md, "Errors")."""

    error: str = Field(description="code: invalid, forbidden, not_found, validation_error, …")
    message: str | None = Field(None, description="human-readable, in the request's language")
    detail: Any = Field(description="the fields at fault, the malformed inputs, or the record")


def _decimal_input(pattern: re.Pattern[str]) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise ValueError("a number or a decimal string")
        if isinstance(value, str) and not pattern.fullmatch(value):
            raise ValueError("a decimal string such as 1234.56")
        return value

    return check


def decimal_type(*, digits: int, places: int, positive: bool = False, signed: bool = False) -> Any:
    """A decimal input as a number or a plain decimal string, declared with its real bounds.

    `digits` is the number of digits before the point that the column holds, `places` those
    after it; zero or more unless `positive` (more than zero) or `signed`. Strings are plain
    decimals (no exponent, sign or spaces), so that the OpenAPI pattern says what is accepted.
    """
    below = 10**digits
    sign = "-?" if signed else ""
    nonzero = "(?=.*[1-9])" if positive else ""
    text = rf"^{nonzero}{sign}[0-9]{{1,{digits}}}(\.[0-9]{{1,{places}}})?$"
    number: dict[str, Any] = {"type": "number", "exclusiveMaximum": below}
    bound: dict[str, Any] = {"lt": below, "decimal_places": places}
    if signed:
        number["exclusiveMinimum"] = -below
        bound["gt"] = -below
    elif positive:
        number["exclusiveMinimum"] = 0
        bound["gt"] = 0
    else:
        number["minimum"] = 0
        bound["ge"] = 0
    number["multipleOf"] = float(Decimal(1).scaleb(-places))
    return Annotated[
        Decimal,
        BeforeValidator(_decimal_input(re.compile(text))),
        Field(**bound),
        WithJsonSchema({"anyOf": [number, {"type": "string", "pattern": text}]}),
    ]


# Amounts in 元 (columns of 18 digits, 2 places; below 10**15 they read back from SQLite) and
# in 万元 (the same amounts; 元 are rounded to the fen).
Yuan = decimal_type(digits=15, places=2)
Wan = decimal_type(digits=11, places=6)
PositiveYuan = decimal_type(digits=15, places=2, positive=True)
PositiveWan = decimal_type(digits=11, places=6, positive=True)
# Areas: 亩 in columns of 12 digits, square metres in columns of 14 (2 places each).
Mu = decimal_type(digits=10, places=2)
SquareMetres = decimal_type(digits=12, places=2)
# A park's resource figures and yearly indicators, signed; kept below what SQLite reads back
# exactly (about 15 significant digits), as parks.services.details checks.
ResourceValue = decimal_type(digits=13, places=2, signed=True)
IndicatorValue = decimal_type(digits=15, places=2, signed=True)


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):  # JSON true/false is no number, though pydantic reads it as 1/0
        raise ValueError("a whole number, not true or false")
    return value


def whole_number(minimum: int, maximum: int) -> Any:
    """A whole number of a request body between `minimum` and `maximum`, booleans refused.

    The bounds sit inside the type so that the OpenAPI document states them as
    minimum/maximum (given on a field of an optional custom type, pydantic would not).
    """
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(_not_bool)]


RecordId = whole_number(1, MAX_ID)  # a record's id (BigAutoField)
Position = whole_number(0, 32767)  # an order in a list (PositiveSmallIntegerField)
Headcount = whole_number(0, 2**31 - 1)  # people (PositiveIntegerField)
Year = whole_number(1949, 9999)  # a statistical year; the service also refuses beyond next year

# Text a record cannot do without: at least one character that is not white space.
NOT_BLANK = r"\S"


def _given(name: str) -> dict[str, Any]:
    return {"required": [name], "properties": {name: {"not": {"type": "null"}}}}


def one_unit_only(*names: str) -> dict[str, Any]:
    """JSON Schema (for `json_schema_extra`): each amount in 元 or in 万元 (`_wan`), not both."""
    return {"allOf": [{"not": {"allOf": [_given(n), _given(f"{n}_wan")]}} for n in names]}


def one_unit_required(name: str) -> dict[str, Any]:
    """JSON Schema: the amount in 元 or in 万元, exactly one of them."""
    return {"oneOf": [_given(name), _given(f"{name}_wan")]}
