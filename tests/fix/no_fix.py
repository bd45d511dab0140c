"""Findings that must come without a fix: each line marked `no-fix` is flagged, unfixed."""
import time
from asyncio import get_event_loop


async def shadowed(asyncio):
    time.sleep(1)  # no-fix: AA101 (asyncio is a parameter here)


async def comprehension():
    return [time.sleep(0) for _ in range(2)]  # no-fix: AA101 (await would change the list)


async def wrong_arity():
    time.sleep(1, 2)  # no-fix: AA101


async def bare_loop():
    return get_event_loop()  # no-fix: AA205 (neither asyncio nor get_running_loop imported)


async def save():
    pass


async def assigned():
    _ = save()  # no-fix: AA201
    ready = True
    ready and save()  # no-fix: AA201


async def mixed():
    import asyncio
    import threading
    lock = asyncio.Lock()
    with lock, threading.Lock():  # no-fix: AA501 (a mixed with)
        await asyncio.sleep(0)
