import asyncio


# snippet: queues
class Hub:
    def __init__(self):
        self.clients = {}  # name -> (queue, task)

    def join(self, name, delay):
        q = asyncio.Queue(maxsize=2)
        task = asyncio.create_task(self.deliver(name, q, delay))
        self.clients[name] = (q, task)

    async def deliver(self, name, q, delay):
        try:
            while True:
                msg = await q.get()
                await asyncio.sleep(delay)  # a slow client is slow to write to
                print(name, "got", msg)
        finally:
            print(name, "leaves")

    def publish(self, msg):
        for name, (q, task) in list(self.clients.items()):
            try:
                q.put_nowait(msg)
            except asyncio.QueueFull:
                print("evicting", name)
                del self.clients[name]
                task.cancel()


async def main():
    hub = Hub()
    hub.join("fast", 0.1)
    hub.join("slow", 10)
    for i in range(5):
        hub.publish(f"m{i}")
        await asyncio.sleep(0.5)
    for _, task in hub.clients.values():
        task.cancel()
    await asyncio.sleep(0)


asyncio.run(main())
# end snippet
