import pytest

from lassonet_bench.core.devices import torch_threads


@pytest.fixture(autouse=True)
def one_torch_thread():
    """The networks in the tests are tiny: one thread is several times faster than two on a busy 2-core machine."""
    with torch_threads(1):
        yield


# The files whose module fixtures run whole workflows (minutes): collected first, so that with several workers
# (pytest-xdist, --dist=loadfile) they start at once and the other files fill the remaining workers meanwhile.
LONG_FILES = ("test_workflow.py", "test_slurm.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name not in LONG_FILES)  # stable: the order within each group is kept
