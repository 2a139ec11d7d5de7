import asyncio

# snippet: across-await
balance = 100


async def withdraw(name, amount):
    global balance
    b = balance
    print(name, "sees", b)
    await asyncio.sleep(0)  # say, an await of a fraud check
    balance = b - amount  # b may be stale: others ran at the await
    print(name, "leaves", balance)


async def main():
    await asyncio.gather(withdraw("alice", 30), withdraw("bob", 50))


asyncio.run(main())
print("balance =", balance)
# end snippet
