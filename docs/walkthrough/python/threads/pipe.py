import asyncio
import os


# snippet: pipe
async def main():
    r, w = os.pipe()

    async def reader():
        print("reader: waiting for a line, in a thread")
        line = await asyncio.to_thread(os.read, r, 100)  # blocks the thread, not the loop
        print("reader: got:", line.decode())

    async def writer():
        print("writer: the loop is free while the reader blocks")
        os.write(w, b"hello through the pipe")

    await asyncio.gather(reader(), writer())
    os.close(r)
    os.close(w)


asyncio.run(main())
# end snippet
