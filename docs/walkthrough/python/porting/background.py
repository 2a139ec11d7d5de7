import asyncio


# snippet: background
background_tasks = set()


async def tick(name):
    await asyncio.sleep(1)
    print(name, "ran")


async def main():
    for name in ["a", "b"]:
        task = asyncio.create_task(tick(name))
        # The loop keeps only a weak reference: keep a strong one until done.
        background_tasks.add(task)
        task.add_done_callback(background_tasks.discard)
    await asyncio.sleep(2)
    print(len(background_tasks), "left")


asyncio.run(main())
# end snippet
