import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request):
    """The same test on a SQLite store and on a PostgreSQL one."""
    return request.getfixturevalue("store" if request.param == "sqlite" else "pg_store")
