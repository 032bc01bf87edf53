"""A new catalogue arriving through sync drops a model made for the old one: no foreign codes are suggested,
not even by a model that finishes loading after the switch."""

from __future__ import annotations

from tests.gui.test_intake_support import make_console, suggester, trained_model_dir  # noqa: F401
from tests.unit.test_catalogue_sync import city_catalogue


def test_a_new_catalogue_drops_the_old_catalogues_model_and_a_late_one(qtbot, make_console):
    from domain.taxonomy import catalogue_text, install_catalogue_text

    console = make_console(sign_in_as=None)
    ctx, form = console.ctx, console.window.form
    old = ctx.suggester
    qtbot.waitUntil(lambda: form.suggester is old and old is not None)
    assert old.taxonomy_version != "city-2027.9"

    install_catalogue_text(catalogue_text(city_catalogue("city-2027.9")))
    ctx._catalogue.check()  # what the folder watcher does when sync installs it
    qtbot.waitUntil(lambda: ctx.taxonomy.version == "city-2027.9")
    assert ctx.suggester is None
    assert form.suggester is None  # the panel says suggestions are unavailable; F4 still finds every type

    # The start-up load of the old catalogue's model finishing now must not bring it back.
    ctx._on_suggester(old)
    assert ctx.suggester is None and form.suggester is None
