import asyncio
import warnings


def show(message, category, *args, **kwargs):
    """Prints a warning to standard output, without the file and line
    that Python's own format adds."""
    print(f"{category.__name__}: {message}")


warnings.showwarning = show


# snippet: download
async def download(url):
    await asyncio.sleep(1)
    return "the page at " + url
# end snippet


# snippet: never-awaited
async def main():
    download("/news")  # the bug: no await
    print("main: returning")


asyncio.run(main())
# end snippet
