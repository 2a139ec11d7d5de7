import asyncio

balance = 100


# snippet: with-lock
async def withdraw(name, amount, lock):
    global balance
    async with lock:
        b = balance
        print(name, "sees", b)
        await asyncio.sleep(0)
        balance = b - amount
        print(name, "leaves", balance)
# end snippet


async def main():
    lock = asyncio.Lock()
    await asyncio.gather(withdraw("alice", 30, lock), withdraw("bob", 50, lock))


asyncio.run(main())
print("balance =", balance)
