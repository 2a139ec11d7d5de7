import asyncio
import os
import signal


# snippet: interrupt
async def main():
    asyncio.get_running_loop().call_later(1, os.kill, os.getpid(), signal.SIGINT)
    try:
        print("serving until Ctrl-C")
        await asyncio.Event().wait()  # forever
    finally:
        print("cleaning up")


try:
    asyncio.run(main())
except KeyboardInterrupt:
    print("interrupted")
# end snippet
