# The Python twin of TestFormsLikeCPython (forms_test.go): each idiom of
# issue 14 as Python writes it. The Go test prints the same transcript and,
# where python3 is installed, compares it with this program's, which it runs
# on the virtual clock of docs/internal/mdsync/pyclock (run by hand, the
# program sleeps for real, some twenty seconds).
import asyncio

U = 1  # a second, of virtual time under docs/internal/mdsync/pyclock as in the Go test


async def child(d, r, cancel_self=False):
    await asyncio.sleep(d * U)
    if cancel_self:
        raise asyncio.CancelledError()
    return r


def msg(e):
    return e.args[0] if e.args else ""


async def main():
    # A gather is a future: cancelling it cancels its children.
    g = asyncio.gather(child(1, "a"), child(2, "b"))
    await asyncio.sleep(0)
    print("gather cancel:", g.cancel("stop"))
    try:
        await g
    except asyncio.CancelledError as e:
        print("gather awaited: cancelled", msg(e))
    print("gather done", g.done(), "cancelled", g.cancelled())

    # A child that cancels itself ends the gather with a cancellation,
    # yet the gather was not cancelled.
    g = asyncio.gather(child(1, "a", True), child(2, "b"))
    try:
        await g
    except asyncio.CancelledError:
        print("self-cancel awaited: cancelled")
    print("self-cancel done", g.done(), "cancelled", g.cancelled(),
          "exception is a cancellation", isinstance(g.exception(), asyncio.CancelledError))

    # Done callbacks, removed by what add returned.
    g = asyncio.gather(child(1, 1), child(1, 2))
    cb = lambda f: print("callback 1", f.result())
    g.add_done_callback(cb)
    g.add_done_callback(lambda f: print("callback 2", f.result()))
    print("removed", g.remove_done_callback(cb) == 1)
    print("removed again", g.remove_done_callback(cb) == 1)
    print("gather result", await g)
    await asyncio.sleep(0)

    # wait, wait_for and shield take the gather as any future.
    g = asyncio.gather(child(1, 1), child(2, 2))
    done, pending = await asyncio.wait([g], timeout=0)
    print("wait timeout=0:", len(done), "done", len(pending), "pending")
    done, pending = await asyncio.wait([g])
    print("wait:", len(done), "done", g.result())
    g = asyncio.gather(child(1, 1))
    try:
        await asyncio.wait_for(asyncio.shield(g), 0.5 * U)
    except TimeoutError:
        print("shielded gather timed out; gather done", g.done())
    print("shielded gather result", await g)

    # return_exceptions=True
    async def boom():
        raise ValueError("boom")
    g = asyncio.gather(child(1, 1), boom(), return_exceptions=True)
    res = await g
    print("return exceptions:", [r if not isinstance(r, Exception) else None for r in res],
          [str(r) if isinstance(r, Exception) else None for r in res])
    g = asyncio.gather(child(1, 1), child(1, 2), return_exceptions=True)
    await asyncio.sleep(0)
    g.cancel()
    try:
        await g
    except asyncio.CancelledError:
        print("return exceptions, cancelled: cancelled", g.cancelled())
    g = asyncio.gather()
    print("empty gather done", g.done(), await g)

    # Results of different types.
    async def user():
        await asyncio.sleep(U)
        return "ann"

    async def orders():
        await asyncio.sleep(2 * U)
        return [1, 2]
    name, items = await asyncio.gather(user(), orders())
    print("mixed:", name, items)

    # Coroutines straight into as_completed.
    for c in asyncio.as_completed([child(3, "slow"), child(1, "fast"), child(2, "mid")]):
        print("as completed:", await c)

    # Every await as one expression.
    ev = asyncio.Event()
    try:
        await asyncio.wait_for(ev.wait(), U)
    except TimeoutError:
        print("event wait timed out")
    lock = asyncio.Lock()
    await lock.acquire()
    t = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    print("second acquire waiting", not t.done())
    lock.release()
    await t
    print("second acquire done", lock.locked())
    q = asyncio.Queue()
    q.put_nowait(7)
    print("queue get", await asyncio.wait_for(q.get(), U))
    try:
        await asyncio.wait_for(asyncio.sleep(2 * U), U)
    except TimeoutError:
        print("sleep timed out")

    # Timeouts: None is none, 0 is no time.
    t = asyncio.create_task(child(1, 1))
    done, pending = await asyncio.wait([t], timeout=0)
    print("wait timeout=0:", len(done), "done", len(pending), "pending")
    done, pending = await asyncio.wait([t], timeout=None)
    print("wait timeout=None:", len(done), "done", len(pending), "pending")
    t = asyncio.create_task(child(1, 1))
    try:
        await asyncio.wait_for(t, 0)
    except TimeoutError:
        print("wait_for timeout=0: timed out, task cancelled", t.cancelled())
    print("wait_for timeout=None:", await asyncio.wait_for(child(1, 5), None))

    # Cancel without a message.
    t = asyncio.create_task(child(1, 1))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError as e:
        print("cancel(): message", repr(msg(e)))

    # An async generator's state, anext with a default, sleep with a result.
    async def ticker():
        yield 1
        await asyncio.sleep(U)
        yield 2
    ag = ticker()
    print("agen running", ag.ag_running, "finished", ag.ag_frame is None)
    print("anext", await anext(ag, "default"))
    nxt = asyncio.create_task(anext(ag, "default"))
    await asyncio.sleep(0)
    print("agen running while it awaits", ag.ag_running)
    print("anext", await nxt)
    print("anext", await anext(ag, "default"))
    print("agen running", ag.ag_running, "finished", ag.ag_frame is None)
    print("sleep result", await asyncio.sleep(U, "result"))


asyncio.run(main())
