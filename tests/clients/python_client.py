"""A real MCP client, the official Python SDK (PyPI `mcp`), against a quickmcp example server.

Usage:
    python python_client.py URL streamable    # ClientSession over Streamable HTTP (initialize)
    python python_client.py URL sse           # ClientSession over legacy HTTP+SSE
    python python_client.py COMMAND stdio     # spawns COMMAND (a server binary) and speaks stdio
    python python_client.py URL auto          # mcp >= 2 `Client(URL)`: probes server/discover
    python python_client.py URL legacy        # mcp >= 2 `Client(URL, mode="legacy")`
    python python_client.py URL 2026-07-28    # mcp >= 2 `Client(URL, mode=<version pin>)`

Lists the tools (hello and add must be there), calls hello(name="Python") and add(a=2, b=3),
and, when the server has them, `wire` (which wire the server saw the call on), `greet` (which
asks the user's name through elicitation and a greeting through sampling, answered here by
callbacks) and the prompt `introduce` (which asks the reader's name). Prints one JSON line:
    {"transport": ..., "server": ..., "protocol": ..., "tools": [...], "hello": ..., "add": ...,
     "wire": ..., "greet": ..., "introduce": ..., "asked": [...]}
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

try:  # mcp >= 2
    import mcp_types as types
except ImportError:  # mcp 1.x
    from mcp import types

SESSION_TRANSPORTS = ("streamable", "sse", "stdio")
CLIENT_MODES = ("auto", "legacy", "2026-07-28")


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


class Callbacks:
    """Answers the server's questions like a user and a model would, and records them."""

    def __init__(self):
        self.asked = []

    async def elicit(self, _context, params):
        self.asked.append(f"elicitation: {params.message}")
        return types.ElicitResult(action="accept", content={"name": "Ada"})

    async def sample(self, _context, params):
        self.asked.append("sampling")
        text = types.TextContent(type="text", text="Good day")
        return types.CreateMessageResult(role="assistant", content=text, model="test-model")


async def exercise(peer, callbacks) -> dict:
    """Calls the tools (and the `introduce` prompt) through a `ClientSession` or a `Client`."""
    listed = await peer.list_tools()
    names = sorted(tool.name for tool in listed.tools)
    for wanted in ("hello", "add"):
        if wanted not in names:
            raise RuntimeError(f"tool {wanted!r} missing from tools/list: {names}")
    outcome = {
        "tools": names,
        "hello": text_of(await peer.call_tool("hello", {"name": "Python"})),
        "add": text_of(await peer.call_tool("add", {"a": 2, "b": 3})),
    }
    if "wire" in names:
        outcome["wire"] = text_of(await peer.call_tool("wire", {}))
    if "greet" in names:
        outcome["greet"] = text_of(await peer.call_tool("greet", {}))
        prompt = await peer.get_prompt("introduce")
        outcome["introduce"] = prompt.messages[0].content.text
        outcome["asked"] = callbacks.asked
    return outcome


async def with_session(read, write, transport: str) -> dict:
    callbacks = Callbacks()
    async with ClientSession(
        read, write, sampling_callback=callbacks.sample, elicitation_callback=callbacks.elicit
    ) as session:
        init = await session.initialize()
        outcome = await exercise(session, callbacks)
        return {
            "transport": transport,
            "server": field(init, "server_info", "serverInfo").name,
            "protocol": field(init, "protocol_version", "protocolVersion"),
            **outcome,
        }


async def with_client(url: str, mode: str) -> dict:
    from mcp import Client  # mcp >= 2 only

    callbacks = Callbacks()
    async with Client(
        url, mode=mode, sampling_callback=callbacks.sample, elicitation_callback=callbacks.elicit
    ) as client:
        outcome = await exercise(client, callbacks)
        info = client.server_info
        return {
            "transport": mode,
            "server": info.name if info is not None else None,
            "protocol": client.protocol_version,
            **outcome,
        }


def streams(target: str, transport: str):
    if transport == "streamable":
        return streamable_http_client(target)
    if transport == "sse":
        return sse_client(target)
    return stdio_client(StdioServerParameters(command=target, args=[]))


async def main(target: str, transport: str) -> None:
    if transport in CLIENT_MODES:
        outcome = await asyncio.wait_for(with_client(target, transport), timeout=30)
    elif transport in SESSION_TRANSPORTS:
        async with streams(target, transport) as pair:
            read, write = pair[0], pair[1]
            outcome = await asyncio.wait_for(with_session(read, write, transport), timeout=30)
    else:
        raise SystemExit(f"unknown transport {transport!r}: use {SESSION_TRANSPORTS + CLIENT_MODES}")
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
