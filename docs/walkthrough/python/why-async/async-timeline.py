import asyncio

from programs import gathered, timed

# snippet: async-timeline
asyncio.run(timed(gathered()))
# end snippet
