"""HTTP handlers."""
import asyncio
import subprocess
import threading

from .storage import Storage
from .suppliers import reorder_fixed

REORDER_THRESHOLD = 5


class InventoryApp:
    def __init__(self):
        self.storage = Storage()
        self.stats_lock = threading.Lock()
        self.async_lock = asyncio.Lock()
        self.client = None  # an httpx.AsyncClient, opened at start-up
        self.reorders = 0

    async def handle_stock(self, request):
        sku = request.match_info["sku"]
        qty = await self.storage.stock_level(sku)
        if qty < REORDER_THRESHOLD:
            with self.stats_lock:
                await reorder_fixed(self.client, sku, 100)
                self.reorders += 1
        return {"sku": sku, "qty": qty}

    async def handle_stock_fixed(self, request):
        sku = request.match_info["sku"]
        qty = await self.storage.stock_level_fixed(sku)
        if qty < REORDER_THRESHOLD:
            async with self.async_lock:
                await reorder_fixed(self.client, sku, 100)
                self.reorders += 1
        return {"sku": sku, "qty": qty}

    async def handle_version(self, request):
        out = subprocess.check_output(["git", "describe", "--tags"])
        return {"version": out.decode().strip()}

    async def handle_version_fixed(self, request):
        proc = await asyncio.create_subprocess_exec(
            "git", "describe", "--tags", stdout=asyncio.subprocess.PIPE
        )
        out, _ = await proc.communicate()
        return {"version": out.decode().strip()}
