"""python -m tools.services.agent_server           write snippets/agent-server/langgraph.json
python -m tools.services.agent_server --check   exit 1 if it has drifted from the page
"""

from __future__ import annotations

import sys

from tools.harness.pages import PageError
from tools.services.agent_server.files import CONFIG, config_problems, write_config

FOLDER = f"snippets/agent-server/{CONFIG}"


def main(argv: list[str]) -> int:
    try:
        if "--check" in argv:
            found = config_problems()
            print("\n".join(found) if found else f"{FOLDER} is up to date")
            return 1 if found else 0
        written = write_config()
    except PageError as error:
        print(error)
        return 1
    print("\n".join(written) if written else f"{FOLDER} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
