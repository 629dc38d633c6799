"""Peak memory of a step: the process's peak resident set size, in MB, and the peak CUDA memory.

On Linux the kernel's own high-water mark (VmHWM) is reset before the step (`/proc/self/clear_refs`) and read after
it, so no short spike is missed; elsewhere RSS is sampled every 5 ms. The resident size of child processes (joblib
workers) is sampled too and added. It is the whole process (interpreter, libraries, the loaded data): what a
cluster job must request. On CUDA the peak of `torch.cuda.max_memory_allocated` is reported separately.
"""

import threading
from pathlib import Path

import psutil


class PeakMemory:
    """Context manager measuring peak RSS (MB) of this process plus its children, and peak CUDA memory."""

    def __init__(self, device=None, interval=0.005):
        self.device = device
        self.on_cuda = getattr(device, "type", None) == "cuda"  # a torch.device; None or "cpu": no GPU to watch
        self.interval = interval
        self.peak_mb = self.start_mb = self.children_peak_mb = 0.0
        self.gpu_peak_mb = None
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._hwm_reset = False

    def __enter__(self):
        self.start_mb = self._process.memory_info().rss / 2**20
        self._hwm_reset = _reset_peak_rss()
        if self.on_cuda:
            _cuda().reset_peak_memory_stats(self.device)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._take_sample()
        if self._hwm_reset:
            self.peak_mb = max(self.peak_mb, _read_peak_rss_mb())
        self.peak_mb += self.children_peak_mb
        if self.on_cuda:
            self.gpu_peak_mb = _cuda().max_memory_allocated(self.device) / 2**20
        return False

    def _sample(self):
        while not self._stop.wait(self.interval):
            self._take_sample()

    def _take_sample(self):
        try:
            own = self._process.memory_info().rss / 2**20
            children = sum(child.memory_info().rss for child in self._process.children(recursive=True)) / 2**20
        except psutil.Error:  # a child may exit between listing and reading
            return
        self.peak_mb = max(self.peak_mb, own)
        self.children_peak_mb = max(self.children_peak_mb, children)


def _cuda():
    import torch  # loaded already wherever a CUDA device was resolved

    return torch.cuda


def _reset_peak_rss():
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _read_peak_rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
