"""Persistence: a SQLite file for stock levels."""
import asyncio
import sqlite3
from pathlib import Path

DB_PATH = Path(__file__).parent / "inventory.db"


class Storage:
    def __init__(self, path: Path = DB_PATH):
        self.path = path
        self.conn = sqlite3.connect(str(path), check_same_thread=False)

    async def stock_level(self, sku: str) -> int:
        # Runs the query on the event loop thread: every other request waits for the disk.
        row = self.conn.execute("SELECT qty FROM stock WHERE sku = ?", (sku,)).fetchone()
        return row[0] if row else 0

    async def stock_level_fixed(self, sku: str) -> int:
        def query():
            return self.conn.execute("SELECT qty FROM stock WHERE sku = ?", (sku,)).fetchone()

        row = await asyncio.to_thread(query)
        return row[0] if row else 0

    async def load_fixtures(self) -> str:
        return (self.path.parent / "fixtures.sql").read_text()
