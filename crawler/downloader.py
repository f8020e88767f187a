"""Scrapy's downloader with the per-host concurrency limit kept, and hosts that can be paused.

In Scrapy 2.19, ``Downloader._process_queue`` hands queued requests to download tasks while
``slot.free_transfer_slots() > 0``, but a request is counted in ``slot.transferring`` only
when its task starts running (``_download``), on a later turn of the event loop. One pass of
the loop therefore starts every queued request of the slot at once: with
``CONCURRENT_REQUESTS_PER_DOMAIN = 8`` a server saw 15 at a time. Here a request is counted as
transferring the moment it leaves the queue.

``pause(request, seconds)`` holds a host's queue (``Retry-After``), as Scrapy's own delay does.
"""

from __future__ import annotations

from time import monotonic

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class PoliteDownloader(Downloader):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._paused_until: dict[str, float] = {}  # slot key -> monotonic time

    def _process_queue(self, slot: Slot) -> None:
        if slot.latercall:
            return  # paused, or waiting for the download delay
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            # Counted now, not when the task starts: the loop's next test must see it.
            slot.transferring.add(request)
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break

    def pause(self, request: Request, seconds: float) -> None:
        """Send nothing more to ``request``'s host for ``seconds`` (in-flight requests go on);
        a pause already longer stays as it is."""
        key, slot = self._get_slot(request)
        until = monotonic() + seconds
        if self._paused_until.get(key, 0) >= until:
            return
        self._paused_until[key] = until
        if slot.latercall:
            slot.latercall.cancel()
        slot.latercall = call_later(seconds, self._latercall, slot)
