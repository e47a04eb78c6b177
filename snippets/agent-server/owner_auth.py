# From docs/agent-server.md. Edit the page, then run `make snippets`.
from langgraph_sdk import Auth

# A stand-in for your identity provider: a real service verifies a signed token here.
TOKENS = {"alice-token": "alice", "mallory-token": "mallory"}

auth = Auth()


@auth.authenticate
async def authenticate(authorization: str | None) -> str:
    """Every request: who sends it. No valid token, no access (HTTP 401)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or token not in TOKENS:
        raise Auth.exceptions.HTTPException(status_code=401, detail="unknown token")
    return TOKENS[token]


@auth.on
async def deny_by_default(ctx: Auth.types.AuthContext, value: dict) -> bool:
    """Any resource and action without a more specific handler below is refused (403)."""
    return False


@auth.on.threads
async def owner_only(ctx: Auth.types.AuthContext, value: dict) -> dict:
    """Every thread call, runs included: only the owner's threads are found."""
    if ctx.action in ("create", "update") and isinstance(value.get("metadata"), dict):
        value["metadata"]["owner"] = ctx.user.identity  # whatever owner the client sent
    return {"owner": ctx.user.identity}
