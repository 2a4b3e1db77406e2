"""Sections that higher layers add to a counterparty's page without this package knowing
them (the negotiations domain lists the dossiers the viewer may see). Each panel is
``render(user, counterparty) -> Markup | ""`` and applies its own visibility rule."""
_PANELS: dict = {}


def register_panel(key: str, render) -> None:
    _PANELS[key] = render


def render_panels(user, counterparty) -> list:
    return [html for html in (render(user, counterparty) for render in _PANELS.values()) if html]
