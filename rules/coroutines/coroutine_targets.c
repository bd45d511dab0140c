/*
 * coroutine_targets.c: the known library coroutine functions and coroutine methods, the
 * one target table of AA201 unawaited-coroutine and AA202 coroutine-in-boolean-context
 * (both descriptors point at it, and their docs list it).
 *
 * Exhaustive and exact: each entry is an `async def` of the library (CPython 3.11
 * asyncio, anyio, trio, aiofiles), or a function documented to return an awaitable that
 * must be awaited (asyncio.gather, asyncio.shield: futures). Method entries apply to
 * objects the tracker knows to be of that class (analyzer/facts/known_types.c; the stream
 * pair is also known from `reader, writer = await asyncio.open_connection(...)`).
 * Not here: asyncio.timeout/timeout_at (async context managers), asyncio.create_task,
 * ensure_future, run_in_executor (they schedule the work: AA203), aiofiles.open (an
 * async context manager).
 */
#include "rules/coroutines/coroutine.h"

#define AA_CORO_FN(name, fix) { name, 0, fix, NULL }
#define AA_CORO_M(name, fix) { name, AA_TARGET_METHOD, fix, NULL }

const struct aa_target aa_coroutine_targets[] = {
	AA_CORO_FN("asyncio.sleep", "await asyncio.sleep(...)"),
	AA_CORO_FN("asyncio.wait_for", "await asyncio.wait_for(...)"),
	AA_CORO_FN("asyncio.wait", "await asyncio.wait(...)"),
	AA_CORO_FN("asyncio.gather", "await asyncio.gather(...)"),
	AA_CORO_FN("asyncio.shield", "await asyncio.shield(...)"),
	AA_CORO_FN("asyncio.open_connection", "await asyncio.open_connection(...)"),
	AA_CORO_FN("asyncio.open_unix_connection", "await asyncio.open_unix_connection(...)"),
	AA_CORO_FN("asyncio.start_server", "await asyncio.start_server(...)"),
	AA_CORO_FN("asyncio.start_unix_server", "await asyncio.start_unix_server(...)"),
	AA_CORO_FN("asyncio.create_subprocess_exec", "await asyncio.create_subprocess_exec(...)"),
	AA_CORO_FN("asyncio.create_subprocess_shell", "await asyncio.create_subprocess_shell(...)"),
	AA_CORO_FN("asyncio.subprocess.create_subprocess_exec", "await asyncio.create_subprocess_exec(...)"),
	AA_CORO_FN("asyncio.subprocess.create_subprocess_shell", "await asyncio.create_subprocess_shell(...)"),
	AA_CORO_FN("asyncio.to_thread", "await asyncio.to_thread(...)"),
	AA_CORO_M("asyncio.Lock.acquire", "await lock.acquire(), or async with lock"),
	AA_CORO_M("asyncio.Event.wait", "await event.wait()"),
	AA_CORO_M("asyncio.Condition.acquire", "await cond.acquire(), or async with cond"),
	AA_CORO_M("asyncio.Condition.wait", "await cond.wait()"),
	AA_CORO_M("asyncio.Condition.wait_for", "await cond.wait_for(...)"),
	AA_CORO_M("asyncio.Semaphore.acquire", "await sem.acquire(), or async with sem"),
	AA_CORO_M("asyncio.BoundedSemaphore.acquire", "await sem.acquire(), or async with sem"),
	AA_CORO_M("asyncio.Barrier.wait", "await barrier.wait()"),
	AA_CORO_M("asyncio.Barrier.reset", "await barrier.reset()"),
	AA_CORO_M("asyncio.Barrier.abort", "await barrier.abort()"),
	AA_CORO_M("asyncio.Queue.get", "await q.get()"),
	AA_CORO_M("asyncio.Queue.put", "await q.put(...)"),
	AA_CORO_M("asyncio.Queue.join", "await q.join()"),
	AA_CORO_M("asyncio.LifoQueue.get", "await q.get()"),
	AA_CORO_M("asyncio.LifoQueue.put", "await q.put(...)"),
	AA_CORO_M("asyncio.LifoQueue.join", "await q.join()"),
	AA_CORO_M("asyncio.PriorityQueue.get", "await q.get()"),
	AA_CORO_M("asyncio.PriorityQueue.put", "await q.put(...)"),
	AA_CORO_M("asyncio.PriorityQueue.join", "await q.join()"),
	AA_CORO_M("asyncio.StreamWriter.drain", "await writer.drain()"),
	AA_CORO_M("asyncio.StreamWriter.wait_closed", "await writer.wait_closed()"),
	AA_CORO_M("asyncio.StreamWriter.start_tls", "await writer.start_tls(...)"),
	AA_CORO_M("asyncio.StreamReader.read", "await reader.read(...)"),
	AA_CORO_M("asyncio.StreamReader.readline", "await reader.readline()"),
	AA_CORO_M("asyncio.StreamReader.readexactly", "await reader.readexactly(...)"),
	AA_CORO_M("asyncio.StreamReader.readuntil", "await reader.readuntil(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.shutdown_asyncgens", "await loop.shutdown_asyncgens()"),
	AA_CORO_M("asyncio.AbstractEventLoop.shutdown_default_executor", "await loop.shutdown_default_executor()"),
	AA_CORO_M("asyncio.AbstractEventLoop.getaddrinfo", "await loop.getaddrinfo(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.getnameinfo", "await loop.getnameinfo(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.create_connection", "await loop.create_connection(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.create_server", "await loop.create_server(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.create_unix_connection", "await loop.create_unix_connection(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.create_unix_server", "await loop.create_unix_server(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.create_datagram_endpoint", "await loop.create_datagram_endpoint(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.connect_accepted_socket", "await loop.connect_accepted_socket(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.connect_read_pipe", "await loop.connect_read_pipe(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.connect_write_pipe", "await loop.connect_write_pipe(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.subprocess_exec", "await loop.subprocess_exec(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.subprocess_shell", "await loop.subprocess_shell(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.sendfile", "await loop.sendfile(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.start_tls", "await loop.start_tls(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.sock_recv", "await loop.sock_recv(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.sock_recv_into", "await loop.sock_recv_into(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.sock_recvfrom", "await loop.sock_recvfrom(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.sock_recvfrom_into", "await loop.sock_recvfrom_into(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.sock_sendall", "await loop.sock_sendall(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.sock_sendto", "await loop.sock_sendto(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.sock_connect", "await loop.sock_connect(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.sock_accept", "await loop.sock_accept(...)"),
	AA_CORO_M("asyncio.AbstractEventLoop.sock_sendfile", "await loop.sock_sendfile(...)"),
	AA_CORO_FN("anyio.sleep", "await anyio.sleep(...)"),
	AA_CORO_FN("anyio.sleep_forever", "await anyio.sleep_forever()"),
	AA_CORO_FN("anyio.sleep_until", "await anyio.sleep_until(...)"),
	AA_CORO_FN("trio.sleep", "await trio.sleep(...)"),
	AA_CORO_FN("trio.sleep_forever", "await trio.sleep_forever()"),
	AA_CORO_FN("trio.sleep_until", "await trio.sleep_until(...)"),
#define AA_CORO_AIOFILES_OS(f) AA_CORO_FN("aiofiles.os." f, "await aiofiles.os." f "(...)")
#define AA_CORO_AIOFILES_PATH(f) \
	AA_CORO_FN("aiofiles.os.path." f, "await aiofiles.os.path." f "(...)"), \
	AA_CORO_FN("aiofiles.ospath." f, "await aiofiles.ospath." f "(...)")
	AA_CORO_AIOFILES_OS("access"),
	AA_CORO_AIOFILES_OS("getcwd"),
	AA_CORO_AIOFILES_OS("link"),
	AA_CORO_AIOFILES_OS("listdir"),
	AA_CORO_AIOFILES_OS("makedirs"),
	AA_CORO_AIOFILES_OS("mkdir"),
	AA_CORO_AIOFILES_OS("readlink"),
	AA_CORO_AIOFILES_OS("remove"),
	AA_CORO_AIOFILES_OS("removedirs"),
	AA_CORO_AIOFILES_OS("rename"),
	AA_CORO_AIOFILES_OS("renames"),
	AA_CORO_AIOFILES_OS("replace"),
	AA_CORO_AIOFILES_OS("rmdir"),
	AA_CORO_AIOFILES_OS("scandir"),
	AA_CORO_AIOFILES_OS("sendfile"),
	AA_CORO_AIOFILES_OS("stat"),
	AA_CORO_AIOFILES_OS("statvfs"),
	AA_CORO_AIOFILES_OS("symlink"),
	AA_CORO_AIOFILES_OS("unlink"),
	AA_CORO_AIOFILES_PATH("abspath"),
	AA_CORO_AIOFILES_PATH("exists"),
	AA_CORO_AIOFILES_PATH("getatime"),
	AA_CORO_AIOFILES_PATH("getctime"),
	AA_CORO_AIOFILES_PATH("getmtime"),
	AA_CORO_AIOFILES_PATH("getsize"),
	AA_CORO_AIOFILES_PATH("isdir"),
	AA_CORO_AIOFILES_PATH("isfile"),
	AA_CORO_AIOFILES_PATH("islink"),
	AA_CORO_AIOFILES_PATH("ismount"),
	AA_CORO_AIOFILES_PATH("samefile"),
	AA_CORO_AIOFILES_PATH("sameopenfile"),
};

/* The descriptors need the count as a constant expression: keep coroutine.h's in step. */
_Static_assert(sizeof(aa_coroutine_targets) / sizeof(aa_coroutine_targets[0]) == AA_COROUTINE_N_TARGETS,
	       "AA_COROUTINE_N_TARGETS must be the number of entries of aa_coroutine_targets");
