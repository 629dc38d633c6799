import pytest

from lassonet_bench.devices import torch_threads


@pytest.fixture(autouse=True)
def one_torch_thread():
    """The networks in the tests are tiny: one thread is several times faster than two on a busy 2-core machine."""
    with torch_threads(1):
        yield
