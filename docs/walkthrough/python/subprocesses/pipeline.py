import asyncio
from asyncio.subprocess import PIPE


# snippet: pipeline
async def main():
    producer = await asyncio.create_subprocess_exec("printf", r"%s\n", "pear", "apple", "fig", stdout=PIPE)
    consumer = await asyncio.create_subprocess_exec("sort", stdin=PIPE, stdout=PIPE)

    async def pump():
        """Moves the producer's lines to the consumer, in capitals."""
        n = 0
        while line := await producer.stdout.readline():
            consumer.stdin.write(line.upper())
            await consumer.stdin.drain()
            n += 1
        consumer.stdin.close()  # sort sorts once its input ends
        await consumer.stdin.wait_closed()
        return n

    pumping = asyncio.create_task(pump())
    sorted_ = await consumer.stdout.read()  # while the pump runs
    pumped = await pumping
    print(sorted_.decode(), end="")
    producer_code = await producer.wait()
    consumer_code = await consumer.wait()
    print(f"pumped {pumped} lines; printf exited with {producer_code}, sort with {consumer_code}")


asyncio.run(main())
# end snippet
