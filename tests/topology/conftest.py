"""Fixtures: the topology of tests/topology/stack.py, started once per module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.topology.stack import Topology, start_topology


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers it too; without xdist (-p no:xdist) --strict-markers needs this.
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker")


@pytest.fixture(scope="module")
def topology() -> Iterator[Topology]:
    with ExitStack() as cleanup:
        yield start_topology(cleanup)


@pytest.fixture
def stack(topology: Topology) -> Topology:
    """The module's topology with fresh rate-limit counters."""
    topology.flush_limits()
    return topology

