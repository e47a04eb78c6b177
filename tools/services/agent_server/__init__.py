"""A real LangGraph Agent Server for the blocks that need one: `langgraph dev`, once per
test session, built from docs/agent-server.md alone.

    files.py            langgraph.json and the modules it names, derived from the page
    process.py          one `langgraph dev` process: start, readiness, stop
    server_startup.py   the server's sitecustomize.py: the network guard, a parent watchdog
    session.py          one server per test session; ``serving``, around a data-server block
    __main__.py         python -m tools.services.agent_server [--check]: snippets' langgraph.json

The harness uses ``serving`` and ``VARIABLE``; the network guard is tools/services/network.py.
"""

from tools.services.agent_server.session import KIND, VARIABLE, serving

__all__ = ["KIND", "VARIABLE", "serving"]
