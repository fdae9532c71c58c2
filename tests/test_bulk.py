"""services.bulk: the collector held back around a comparison comes back as it was."""

import gc

import pytest

from funding.services.bulk import without_cycle_collection


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_without_cycle_collection_holds_the_collector_back_inside_and_turns_it_on_after(collector_on):
    with without_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_without_cycle_collection_turns_it_on_again_when_the_block_raises(collector_on):
    with pytest.raises(ValueError, match="unknown code"), without_cycle_collection():
        raise ValueError("unknown code 'xx'")
    assert gc.isenabled()


def test_without_cycle_collection_nested_leaves_it_off_until_the_outer_block_ends(collector_on):
    with without_cycle_collection():
        with without_cycle_collection():
            pass
        assert not gc.isenabled()  # the inner block found it off and leaves it off
    assert gc.isenabled()


def test_without_cycle_collection_as_a_decorator_holds_it_back_for_the_call(collector_on):
    @without_cycle_collection()
    def inside():
        return gc.isenabled()

    assert (inside(), inside(), gc.isenabled()) == (False, False, True)


def test_without_cycle_collection_resumes_when_the_last_of_blocks_at_once_ends_even_one_that_fails(collector_on):
    first, second = without_cycle_collection(), without_cycle_collection()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the other block (a check in another thread) still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), without_cycle_collection():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()
