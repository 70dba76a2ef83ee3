"""One throwaway PostgreSQL cluster per test session, and a fresh hub database for each test.

Needs PostgreSQL 15 or later (Debian's `postgresql`; `python3 dev.py test` installs it when run as
root). Without it these tests are skipped with one line saying so, except in CI (CI_REQUIRE_POSTGRES=1),
where a missing PostgreSQL is a failure.
"""

from __future__ import annotations

import contextlib
import os
import uuid

import pytest

from tests.hub.cluster import MISSING, Cluster, find_postgres


@pytest.fixture(scope="session")
def cluster():
    bindir = find_postgres()
    if bindir is None:
        if os.environ.get("CI_REQUIRE_POSTGRES") == "1":
            pytest.fail(MISSING, pytrace=False)
        pytest.skip(MISSING)
    found = Cluster.start(bindir)
    yield found
    found.stop()


@pytest.fixture
def hub_url(cluster):
    """A fresh hub database for this test: its admin connection string (the cluster's superuser)."""
    name = f"hub_{uuid.uuid4().hex[:12]}"
    cluster.sql(f"create database {name}")
    yield cluster.conninfo(name)
    with contextlib.suppress(Exception):
        cluster.sql(f"drop database {name} with (force)")
