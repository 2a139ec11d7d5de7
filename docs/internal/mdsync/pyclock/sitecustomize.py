"""Runs every asyncio event loop of this Python process on a virtual clock.

mdsync puts this directory on PYTHONPATH when it runs the walkthrough's
Python programs, so that Python imports this module at startup, as it does
any sitecustomize. The programs sleep for seconds, as the lessons do; on
this clock they print the same lines in the same order at once, as the Go
examples do on asyncio.WithVirtualTime. Run by hand, without this module,
they sleep for real.

The clock moves only when the loop would otherwise wait for its next
timer: then it jumps straight to it. It never jumps while another thread
is alive (a to_thread call, say), since that thread may be what the loop
is waiting for; then the loop waits for real, as the Go loop waits for
outside work in flight. Each reading of the clock also moves it on by a
nanosecond, so that timers scheduled one after another never fall due at
exactly the same instant, as on a real clock, and fire in the order they
were scheduled. A jump is rounded up to whole milliseconds, as a real wait
is (epoll counts in milliseconds, and Python's selector rounds its timeout
up), so that timers that fall due less than a millisecond apart fire
together, in one pass of the loop, as they do on a real clock.
"""

import asyncio
import math
import threading

_TICK = 1e-9


class _VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        super().__init__()
        self._virtual_now = 0.0
        select = self._selector.select

        def virtual_select(timeout=None):
            if timeout is None or timeout <= 0 or threading.active_count() > 1:
                return select(timeout)
            events = select(0)
            if not events:
                self._virtual_now += math.ceil(timeout * 1e3) * 1e-3
            return events

        self._selector.select = virtual_select

    def time(self):
        self._virtual_now += _TICK
        return self._virtual_now


class _VirtualTimePolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return _VirtualTimeLoop()


asyncio.set_event_loop_policy(_VirtualTimePolicy())
