"""Errors the API answers with: {"error": code, "message": plain words for the person}."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None, **extra):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict:
        return {"error": self.code, "message": self.message, **self.extra}


def unauthorized(message: str = "Sign in again: your session is missing or has ended.") -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def bad_request(message: str, status: int = 422, code: str = "invalid_request") -> ApiError:
    return ApiError(status, code, message)


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


RETRY_AFTER_S = 5  # what a 503 tells a console to wait before it tries again
