"""The steps of erasing an account that belong to other apps.

accounts sits below catalog and contributions and never imports them; each app that keeps personal
data of a user registers a step here in its ``AppConfig.ready()``, and ``user_delete_account`` runs
them (in its transaction, before the user row is anonymised). A step takes the user and removes or
detaches what its app holds about them.
"""

from collections.abc import Callable

_steps: list[Callable] = []


def register_erasure_step(step: Callable) -> Callable:
    if step not in _steps:  # ready() may run twice in tests
        _steps.append(step)
    return step


def run_erasure_steps(*, user) -> None:
    for step in _steps:
        step(user=user)
