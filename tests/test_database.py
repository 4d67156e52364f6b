"""The suite runs on the database it was asked to run on (the PostgreSQL run cannot fall back)."""

import os

from django.db import connection


def test_runs_on_the_expected_database(db) -> None:  # type: ignore[no-untyped-def]
    expected = os.environ.get("PARKLINK_EXPECT_DATABASE", "sqlite")
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
