"""Persistence: stock levels in PostgreSQL."""
import asyncio
import os
from pathlib import Path

import psycopg2

DSN = os.environ.get("INVENTORY_DSN", "dbname=inventory")


class Storage:
    def __init__(self, dsn: str = DSN):
        self.dsn = dsn
        self.conn = psycopg2.connect(dsn)

    async def stock_level(self, sku: str) -> int:
        # Runs the query on the event loop thread: every other request waits for the database.
        cur = self.conn.cursor()
        cur.execute("SELECT qty FROM stock WHERE sku = %s", (sku,))
        row = cur.fetchone()
        return row[0] if row else 0

    async def stock_level_fixed(self, sku: str) -> int:
        def query():
            cur = self.conn.cursor()
            cur.execute("SELECT qty FROM stock WHERE sku = %s", (sku,))
            return cur.fetchone()

        row = await asyncio.to_thread(query)
        return row[0] if row else 0

    async def load_fixtures(self) -> str:
        return (Path(__file__).parent / "fixtures.sql").read_text()
