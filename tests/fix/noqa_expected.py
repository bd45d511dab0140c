"""Lines --add-noqa comments: merged, appended, after a string, after a continuation."""
import os
import time


async def handle(path, name):
    time.sleep(1)  # noqa: AA104, AA101
    os.listdir(path)  # keep this comment  # noqa: AA104
    time.sleep(2)  # noqa: AA101
    message = f"""waiting {time.sleep(3)}
    for {name}"""  # noqa: AA101
    total = 1 + \
        len(os.listdir(path))  # noqa: AA104
    return message, total
