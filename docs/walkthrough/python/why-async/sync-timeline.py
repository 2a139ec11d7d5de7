import asyncio

from programs import one_after_another, timed

# snippet: sync-timeline
asyncio.run(timed(one_after_another()))
# end snippet
