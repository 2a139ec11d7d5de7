import asyncio

token = None


# snippet: cache-race
async def get_token(name):
    global token
    if token is None:
        print(name, "fetches a token")
        await asyncio.sleep(1)  # ask the auth server
        token = f"token from {name}"
    print(name, "uses", token)


async def main():
    await asyncio.gather(get_token("ann"), get_token("ben"), get_token("cat"))


asyncio.run(main())
# end snippet
