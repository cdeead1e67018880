"""What a screen is built with; the registry and every screen import it, neither imports the other for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loyalty_desk.bootstrap import Services
    from loyalty_desk.services.dto import StaffSession
    from loyalty_desk.ui.settings import DeskSettings
    from loyalty_desk.ui.tasks import TaskRunner


@dataclass(frozen=True)
class ScreenContext:
    """What a screen is built with: services in, primitives passed, DTOs back."""

    services: Services
    session: StaffSession
    runner: TaskRunner
    settings: DeskSettings
    navigate: Callable[..., None]  # navigate("member", member_no="M...")
