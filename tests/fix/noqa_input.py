"""Lines --add-noqa comments: merged, appended, after a string, after a continuation."""
import os
import time


async def handle(path, name):
    time.sleep(1)  # noqa: AA104
    os.listdir(path)  # keep this comment
    time.sleep(2)
    message = f"""waiting {time.sleep(3)}
    for {name}"""
    total = 1 + \
        len(os.listdir(path))
    return message, total
