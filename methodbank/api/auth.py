from ninja.security import HttpBearer

from .services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """Personal API token: ``Authorization: Bearer <token>``. Tokens are created and revoked on the
    user's own page (Oma sivu → API-avaimet)."""

    def authenticate(self, request, token):
        user = api_token_authenticate(raw=token.strip())
        if user is not None:
            # The workflow services and templates look at request.user.
            request.user = user
        return user
