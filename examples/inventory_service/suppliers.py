"""Talks to supplier APIs to reorder stock."""
import asyncio
import time

import httpx
import requests

SUPPLIER_URL = "https://supplier.example/api/orders"


async def reorder(sku: str, qty: int) -> dict:
    for attempt in range(3):
        resp = requests.post(SUPPLIER_URL, json={"sku": sku, "qty": qty}, timeout=10)
        if resp.ok:
            return resp.json()
        time.sleep(2 ** attempt)
    raise RuntimeError("supplier unavailable")


async def reorder_fixed(client: httpx.AsyncClient, sku: str, qty: int) -> dict:
    for attempt in range(3):
        resp = await client.post(SUPPLIER_URL, json={"sku": sku, "qty": qty}, timeout=10)
        if resp.is_success:
            return resp.json()
        await asyncio.sleep(2 ** attempt)
    raise RuntimeError("supplier unavailable")
