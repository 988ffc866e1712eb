"""A real MCP client, the official Python SDK (PyPI `mcp`), against a quickmcp example server.

Usage:
    python python_client.py URL streamable    # Streamable HTTP, e.g. http://127.0.0.1:8000/mcp
    python python_client.py URL sse           # legacy HTTP+SSE, e.g. http://127.0.0.1:8000/sse
    python python_client.py COMMAND stdio     # spawns COMMAND (a server binary) and speaks stdio

Initializes, lists the tools (hello and add must be there), calls hello(name="Python") and
add(a=2, b=3), and prints one JSON line:
    {"transport": ..., "server": ..., "protocol": ..., "tools": [...], "hello": ..., "add": ...}
Exits non-zero on any failure. Installed by scripts/install-test-deps.sh (.cache/python).
"""

import asyncio
import json
import sys

from mcp import ClientSession
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters, stdio_client

try:  # mcp >= 2
    from mcp.client.streamable_http import streamable_http_client
except ImportError:  # mcp 1.x
    from mcp.client.streamable_http import streamablehttp_client as streamable_http_client


def field(model, snake: str, camel: str):
    """A result field: snake_case in mcp >= 2, camelCase in mcp 1.x."""
    return getattr(model, snake) if hasattr(model, snake) else getattr(model, camel)


def text_of(result) -> str:
    if field(result, "is_error", "isError"):
        raise RuntimeError(f"tool returned an error: {result}")
    texts = [block.text for block in result.content if getattr(block, "type", None) == "text"]
    if not texts:
        raise RuntimeError(f"no text content in {result}")
    return texts[0]


async def exercise(read, write, transport: str) -> dict:
    async with ClientSession(read, write) as session:
        init = await session.initialize()
        listed = await session.list_tools()
        names = sorted(tool.name for tool in listed.tools)
        for wanted in ("hello", "add"):
            if wanted not in names:
                raise RuntimeError(f"tool {wanted!r} missing from tools/list: {names}")
        hello = text_of(await session.call_tool("hello", {"name": "Python"}))
        add = text_of(await session.call_tool("add", {"a": 2, "b": 3}))
        return {
            "transport": transport,
            "server": field(init, "server_info", "serverInfo").name,
            "protocol": field(init, "protocol_version", "protocolVersion"),
            "tools": names,
            "hello": hello,
            "add": add,
        }


def streams(target: str, transport: str):
    if transport == "streamable":
        return streamable_http_client(target)
    if transport == "sse":
        return sse_client(target)
    if transport == "stdio":
        return stdio_client(StdioServerParameters(command=target, args=[]))
    raise SystemExit(f"unknown transport {transport!r}: use streamable, sse or stdio")


async def main(target: str, transport: str) -> None:
    async with streams(target, transport) as pair:
        read, write = pair[0], pair[1]
        outcome = await asyncio.wait_for(exercise(read, write, transport), timeout=30)
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    try:
        asyncio.run(main(sys.argv[1], sys.argv[2]))
    except SystemExit:
        raise
    except BaseException as error:  # noqa: BLE001 - any failure is the test's failure
        print(f"python_client: {type(error).__name__}: {error!r}", file=sys.stderr)
        sys.exit(1)
