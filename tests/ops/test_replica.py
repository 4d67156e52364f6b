"""The read-replica router: report and dashboard reads to the replica, the rest to the primary.

The test settings hold a second alias, `replica`, a test mirror of the default database: a
separate connection to the same data, so a query that reaches it shows which way it was sent.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.sessions.models import Session
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from parklink.accounts.models import User
from parklink.core.replica import ReplicaRouter, reading_from_replica
from parklink.parks.models import Park
from tests.support import factories

router = ReplicaRouter()


@pytest.fixture
def replica() -> Iterator[None]:
    with override_settings(PARKLINK_READ_REPLICA="replica"):
        yield


class TestRouting:
    def test_without_a_replica_nothing_is_routed(self) -> None:
        with reading_from_replica():
            assert router.db_for_read(Park) is None
        assert router.db_for_write(Park) is None

    def test_outside_a_report_reads_use_the_primary(self, replica: None) -> None:
        assert router.db_for_read(Park) is None

    def test_inside_a_report_domain_reads_use_the_replica(self, replica: None) -> None:
        with reading_from_replica():
            assert router.db_for_read(Park) == "replica"
            # Who is signed in, their session: always fresh.
            assert router.db_for_read(User) == "default"
            assert router.db_for_read(Session) == "default"
        assert router.db_for_read(Park) is None

    def test_writes_always_go_to_the_primary(self, replica: None) -> None:
        with reading_from_replica():
            assert router.db_for_write(Park) == "default"

    def test_the_replica_is_never_migrated(self, replica: None) -> None:
        assert router.allow_migrate("replica", "parks") is False
        assert router.allow_migrate("default", "parks") is None


def world() -> User:
    from parklink.regions.models import Region
    from parklink.regions.services import load_regions

    if not Region.objects.exists():  # an earlier transactional test emptied every table
        load_regions()
    orgs = factories.nested_organizations()
    factories.park(owner=orgs["city"], name="成都高新区")
    return factories.superuser()


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
class TestQueries:
    def test_a_marked_block_reads_through_the_replica_connection(self, replica: None) -> None:
        world()
        with (
            CaptureQueriesContext(connections["replica"]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            with reading_from_replica():
                names = list(Park.objects.values_list("name", flat=True))
            Park.objects.update(name="改名")
        assert names == ["成都高新区"]
        assert len(on_replica.captured_queries) == 1
        assert "parks_park" in on_replica.captured_queries[0]["sql"]
        assert all("SELECT" not in q["sql"] for q in on_primary.captured_queries)
        assert any("UPDATE" in q["sql"] for q in on_primary.captured_queries)

    def test_the_dashboard_reads_domain_tables_from_the_replica(self, replica: None) -> None:
        browser = Client()
        browser.force_login(world())
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            response = browser.get("/")
        assert response.status_code == 200
        assert on_replica.captured_queries, "the dashboard read nothing from the replica"
        replica_sql = " ".join(q["sql"] for q in on_replica.captured_queries)
        assert "django_session" not in replica_sql
        # The signed-in user is looked up on the primary; a domain row may join its owner's name.
        lookups = [
            q["sql"] for q in on_replica.captured_queries if 'FROM "accounts_user"' in q["sql"]
        ]
        assert not lookups, lookups

    def test_other_pages_and_writes_stay_on_the_primary(self, replica: None) -> None:
        browser = Client()
        browser.force_login(world())
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            assert browser.get("/parks/").status_code == 200
            browser.post("/", {})
        assert on_replica.captured_queries == []
