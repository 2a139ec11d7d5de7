from collections import deque


# snippet: mini-sleep
class MiniSleep:
    """The request a coroutine suspends with to sleep on mini_run's loop."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __await__(self):
        yield self  # hand the request to the loop, and wait to be resumed


async def main():
    print("hello")
    await MiniSleep(1)
    print("world")
# end snippet


# snippet: mini-run
def mini_run(main):
    now = 0
    ready = deque([main])
    timers = []  # (when, coroutine), earliest first
    while ready or timers:
        if not ready:
            when, c = timers.pop(0)
            print(f"loop: nothing is ready; the clock jumps to {when}s")
            now = when
            ready.append(c)
        c = ready.popleft()
        print(f"loop: at {now}s, resuming main")
        try:
            request = c.send(None)
        except StopIteration:
            print("loop: main returned")
            continue
        if request is None:
            ready.append(c)
        else:
            print(f"loop: main sleeps until {now + request.seconds}s")
            timers.append((now + request.seconds, c))
            timers.sort(key=lambda t: t[0])
# end snippet


# snippet: mini-loop
mini_run(main())
# end snippet
