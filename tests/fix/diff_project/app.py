"""A service with the mistakes --fix repairs."""
from __future__ import annotations

import asyncio as aio
import os
import time
from asyncio import get_event_loop


async def save(item):
    await aio.sleep(0)
    return item


async def handle(item, lock: aio.Lock, path):
    time.sleep(0.5)
    save(item)
    loop = aio.get_event_loop()
    other = get_event_loop()
    with lock:
        await save(item)
    names = os.listdir(path)
    return loop, other, names


async def untouched(item):
    _ = save(item)  # assigned: no fix
    return [time.sleep(0) for _ in range(2)]  # a comprehension: no fix
