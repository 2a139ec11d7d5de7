import asyncio


# snippet: countdown-def
async def countdown(task_name, seconds):
    for i in range(seconds, 0, -1):
        print(task_name, i)
        await asyncio.sleep(1)
    print("done!")
# end snippet


if __name__ == "__main__":
    # snippet: countdown
    async def main():
        await countdown("simple count", 4)


    asyncio.run(main())
    # end snippet
