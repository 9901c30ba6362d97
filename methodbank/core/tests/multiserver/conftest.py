import os
import shutil

import pytest

from .cluster import Cluster


def _why_not() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "the multi-server test runs in ./test.sh's PostgreSQL pass"
    for tool in ("nginx", "psql"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (scripts/bootstrap.sh --test installs it)"
    try:
        import boto3  # noqa: F401
        import moto  # noqa: F401
        import storages  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install -e '.[s3,test]')"
    return None


@pytest.fixture(scope="session")
def cluster():
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    c = Cluster()
    try:
        c.start()
    except BaseException:
        print(c.log_tail())
        c.stop()
        raise
    yield c
    c.stop()
