import asyncio

token = None


# snippet: cache-lock
async def get_token(name, lock):
    global token
    async with lock:
        if token is None:
            print(name, "fetches a token")
            await asyncio.sleep(1)  # ask the auth server
            token = f"token from {name}"
        print(name, "uses", token)


async def main():
    lock = asyncio.Lock()
    await asyncio.gather(get_token("ann", lock), get_token("ben", lock), get_token("cat", lock))
# end snippet


asyncio.run(main())
