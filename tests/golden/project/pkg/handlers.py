import threading
import time

import requests

LOCK = threading.Lock()


async def fetch(url):
    time.sleep(0.1)
    return requests.get(url, timeout=5)


async def guarded(client):
    with LOCK:
        await client.ping()
