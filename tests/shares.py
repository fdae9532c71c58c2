"""`pytest -n N --shares` (what `make test` runs): each of N worker processes runs a fixed share of the tests.

pytest-xdist's own schedulers hand tests out as workers become free, so which worker runs which test
(and after which other test) changes from run to run. Here every worker collects the whole suite in
the same order (pytest-random-order's seed is the controller's) and keeps its own share of it, chosen
from the collection alone: the same seed and N give the same tests in the same order on each worker,
so a run repeats, and a failure that depends on the order comes back with the seed that showed it.

Shares are balanced by weight: a test that flushes the database (a live server, `transaction=True`)
or drives a browser costs several plain ones, and a test marked `cost(seconds)` (the fuzzer, axe on
every page kind) what its seconds are worth in plain tests. Tests marked `xdist_group(name)` go to one worker
together, so that a module-scoped fixture they share is made once. tests/conftest.py registers this
module as a plugin when `--shares` is given.
"""

import os

import pytest

# What a test costs against a plain one in a rolled-back transaction (roughly, from --durations).
FLUSHING_WEIGHT = 8
BROWSER_WEIGHT = 16
PLAIN_SECONDS = 0.06  # what a plain test takes, roughly: `cost(seconds)` weighs seconds / PLAIN_SECONDS
SESSION = pytest.StashKey()


def weight(item):
    """tests/conftest.py has marked every flushing test `transaction=True` and every browser test `browser`."""
    if cost := item.get_closest_marker("cost"):
        return round(cost.args[0] / PLAIN_SECONDS)
    if item.get_closest_marker("browser"):
        return BROWSER_WEIGHT
    marker = item.get_closest_marker("django_db")
    return FLUSHING_WEIGHT if marker is not None and marker.kwargs.get("transaction") else 1


def unit_of(item):
    """A test on its own, or the group it is marked with."""
    marker = item.get_closest_marker("xdist_group")
    if marker is None:
        return item.nodeid
    return "@" + str(marker.args[0] if marker.args else marker.kwargs.get("name", "default"))


def share(items, index, count):
    """Worker `index`'s items, in their order: units are dealt heaviest first (the order of collection
    among equals), each to the worker with the least weight so far (the lowest index on a tie)."""
    units = {}
    for item in items:
        units.setdefault(unit_of(item), []).append(item)
    weights = {unit: sum(weight(item) for item in members) for unit, members in units.items()}
    loads = [0] * count
    owner = {}
    for unit in sorted(units, key=lambda unit: -weights[unit]):
        owner[unit] = loads.index(min(loads))
        loads[owner[unit]] += weights[unit]
    return [item for item in items if owner[unit_of(item)] == index]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # After the other plugins: pytest-django's order and pytest-random-order's shuffle come first.
    name, count = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("PYTEST_XDIST_WORKER_COUNT")
    if name and count:
        items[:] = share(items, int(name.removeprefix("gw")), int(count))


def pytest_sessionstart(session):
    session.config.stash[SESSION] = session


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's "each" scheduling (every worker runs what it collected: its share)."""
    from xdist.scheduler import EachScheduling

    class Shares(EachScheduling):
        def add_node_collection(self, node, collection):
            super().add_node_collection(node, collection)
            # xdist takes the last worker's count for the session's; the shares add up to the suite.
            session = config.stash.get(SESSION, None)
            if session is not None:
                session.testscollected = sum(len(ids) for ids in self.node2collection.values())

    return Shares(config, log)
