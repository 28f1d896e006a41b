"""Signed bearer tokens carrying a role, and the one place where access is decided."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated
from uuid import UUID

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from adapters.http.roles import Role as Role  # re-exported: integrators import it from here
from domain.values import Actor, ActorKind
from services.clock import Clock

ALGORITHM = "HS256"
ISSUER = "journeys"


@dataclass(frozen=True)
class Principal:
    """The signed-in user: their role, who they are, and for customers their record."""

    role: Role
    subject: str
    customer_id: UUID | None = None

    @property
    def own_record(self) -> UUID:
        """The customer's own record id (only customer tokens have one)."""
        if self.customer_id is None:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "only customers have their own record")
        return self.customer_id

    @property
    def actor(self) -> Actor:
        """How events this user causes are attributed."""
        if self.role is Role.CUSTOMER:
            return Actor(kind=ActorKind.CUSTOMER, identifier=str(self.customer_id))
        return Actor.caseworker(self.subject)


class InvalidToken(Exception):
    """The token is missing, malformed, badly signed or expired."""


class TokenIssuer:
    """Mints and checks HMAC-signed JWTs (PyJWT) with an expiry."""

    VERIFIED_TOKENS = 10_000
    """How many checked signatures are remembered (a few MB at most)."""

    def __init__(self, secret: str, ttl: timedelta, clock: Clock) -> None:
        self._secret = secret
        self._ttl = ttl
        self._clock = clock
        # Checking a signature took longer than the rest of a cached read, and a client sends
        # the same token until it expires: remember what a good token says and when it
        # expires, and check only the expiry again (against the clock, on every request).
        self._verified: OrderedDict[str, tuple[Principal, int]] = OrderedDict()
        self._lock = threading.Lock()

    def mint(self, role: Role, subject: str, customer_id: UUID | None = None) -> str:
        """A token for a role; customer tokens must name the customer's record."""
        if role is Role.CUSTOMER and customer_id is None:
            raise ValueError("a customer token must name the customer")
        if role is not Role.CUSTOMER and customer_id is not None:
            raise ValueError("only customer tokens name a customer")
        now = self._clock.now()
        claims: dict[str, object] = {
            "iss": ISSUER,
            "sub": subject,
            "role": role.value,
            "iat": int(now.timestamp()),
            "exp": int((now + self._ttl).timestamp()),
        }
        if customer_id is not None:
            claims["customer_id"] = str(customer_id)
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> Principal:
        """The principal a valid token names; InvalidToken otherwise."""
        with self._lock:
            known = self._verified.get(token)
            if known is not None:
                self._verified.move_to_end(token)
        if known is None:
            known = self._check_signature(token)
            with self._lock:
                self._verified[token] = known
                if len(self._verified) > self.VERIFIED_TOKENS:
                    self._verified.popitem(last=False)
        principal, expires = known
        # Expiry is checked against the injectable clock, not the wall clock, so that
        # simulated time (demo, tests) and real time follow the same rule.
        if expires <= int(self._clock.now().timestamp()):
            raise InvalidToken("the token has expired")
        return principal

    def _check_signature(self, token: str) -> tuple[Principal, int]:
        """The principal of a well-formed, well-signed token and when it expires."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss"], "verify_exp": False},
            )
            expires = int(claims["exp"])
            role = Role(claims["role"])
            customer = claims.get("customer_id")
            customer_id = UUID(customer) if customer else None
        except (jwt.PyJWTError, KeyError, ValueError) as error:
            raise InvalidToken(f"invalid token: {error}") from None
        if (role is Role.CUSTOMER) != (customer_id is not None):
            raise InvalidToken("invalid token: customer tokens, and only they, name a customer")
        return Principal(role=role, subject=str(claims["sub"]), customer_id=customer_id), expires


_bearer = HTTPBearer(auto_error=False, description="A token from `journeys token`")


# The dependencies below only check a signature and compare roles: they are async so that
# FastAPI calls them on the event loop, not through a worker thread each (a thread hop costs
# more than the check, and every request makes two).


async def signed_in(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The principal of the request's bearer token (401 when there is none or it is bad)."""
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "sign in: send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    issuer: TokenIssuer = request.app.state.tokens
    try:
        return issuer.verify(credentials.credentials)
    except InvalidToken as error:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, str(error), headers={"WWW-Authenticate": "Bearer"}
        ) from None


class Allow:
    """A dependency that lets only the given roles through (403 for the rest).

    It also keeps customers to their own record on every route with a {customer_id}: that
    is decided here, before the request body is read, not route by route. Routes that name
    a claim or a debt check its owner once they have loaded it (require_own_record).
    """

    def __init__(self, *roles: Role) -> None:
        self.roles = roles

    async def __call__(
        self, request: Request, principal: Annotated[Principal, Depends(signed_in)]
    ) -> Principal:
        return self.check(principal, request)

    def check(self, principal: Principal, request: Request) -> Principal:
        """The principal if their role is allowed and, for customers, the record theirs."""
        if principal.role not in self.roles:
            allowed = ", ".join(role.value for role in self.roles)
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"the {principal.role.value} role may not do this (allowed: {allowed})",
            )
        named = request.path_params.get("customer_id")
        if principal.role is Role.CUSTOMER and named is not None:
            try:
                customer_id = UUID(str(named))
            except ValueError:
                return principal  # not an id: the route's own validation answers 422
            require_own_record(principal, customer_id)
        return principal


def require_own_record(principal: Principal, customer_id: UUID) -> None:
    """Customers may act only on their own record; staff roles are checked by Allow."""
    if principal.role is Role.CUSTOMER and principal.customer_id != customer_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this is not your record")


CustomerOrCaseworker = Annotated[Principal, Depends(Allow(Role.CUSTOMER, Role.CASEWORKER))]
Caseworker = Annotated[Principal, Depends(Allow(Role.CASEWORKER))]
Auditor = Annotated[Principal, Depends(Allow(Role.AUDITOR))]
CaseworkerOrAuditor = Annotated[Principal, Depends(Allow(Role.CASEWORKER, Role.AUDITOR))]
Customer = Annotated[Principal, Depends(Allow(Role.CUSTOMER))]
