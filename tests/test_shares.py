"""tests/shares.py: each worker's share of the suite, balanced by weight and the same from run to run."""

import pytest

from tests.shares import BROWSER_WEIGHT, FLUSHING_WEIGHT, PLAIN_SECONDS, share, weight


class Item:
    """What shares.py reads of a collected test: its id and its markers."""

    def __init__(self, nodeid, *marks):
        self.nodeid = nodeid
        self.marks = {mark.name: mark for mark in marks}

    def get_closest_marker(self, name):
        return self.marks.get(name)


def test_a_test_weighs_by_its_kind_and_a_marked_cost_by_its_seconds():
    assert weight(Item("plain")) == 1
    assert weight(Item("commits", pytest.mark.django_db(transaction=True).mark)) == FLUSHING_WEIGHT
    assert weight(Item("chromium", pytest.mark.browser.mark)) == BROWSER_WEIGHT
    assert weight(Item("fuzz", pytest.mark.cost(27).mark, pytest.mark.browser.mark)) == round(27 / PLAIN_SECONDS)


def test_the_shares_hold_every_test_once_in_collection_order_and_balance_the_weight():
    items = [Item(f"plain{n}") for n in range(900)] + [Item("fuzz", pytest.mark.cost(27).mark)]
    items += [Item(f"axe{n}", pytest.mark.cost(14).mark) for n in range(3)]
    first, second = share(items, 0, 2), share(items, 1, 2)
    assert sorted(i.nodeid for i in first + second) == sorted(i.nodeid for i in items)
    assert [items.index(i) for i in first] == sorted(items.index(i) for i in first)
    loads = [sum(weight(i) for i in part) for part in (first, second)]
    assert abs(loads[0] - loads[1]) <= round(14 / PLAIN_SECONDS)  # within the heaviest unit dealt last
    # The fuzzer and the axe runs do not all land on one worker.
    heavy = {i.nodeid for i in first if i.get_closest_marker("cost")}
    assert heavy and heavy != {"fuzz", "axe0", "axe1", "axe2"}
    assert share(items, 0, 2) == first  # the same items give the same share
