"""The blocks' Studio upload handlers (a scenario's media, the school's logo) posted hostile files as multipart, as
every role, on the plain XBlock runtime (WebOb's own form parser, not Django's): never a 5xx, nothing written by
a refused request, and no hostile file kept."""
import pytest

from maydan.models import Course
from maydan.simulation.models import ScenarioMedia
from tests.unit.test_documents_logo import png_claiming

from . import world as worlds
from .test_handlers import check, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
ENTITY_SVG = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
HOSTILE_FILES = {
    "text named .png": ("seal.png", b"This is a text file.\n"),
    "empty": ("seal.png", b""),
    "decompression bomb": ("seal.png", png_claiming(60_000, 60_000)),
    "past the image limit": ("seal.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2_100_000),
    "zip named .mp4": ("clip.mp4", b"PK\x03\x04" + b"\x00" * 200),
    "svg with a script": ("door.svg", SVG_WITH_SCRIPT),
    "svg with entities": ("door.svg", ENTITY_SVG),
    "path in the name": ("../../../etc/passwd.vtt", b"WEBVTT\n\n"),
    "right-to-left override": ("gpj.\u202eexe.png", b"\x89PNG\r\n\x1a\n"),
    "nul in the name": ("door\x00.png", b"\x89PNG\r\n\x1a\n"),
    "a list, not a file": (None, ["a", "b"]),
}
TARGETS = [worlds.Handler("maydan_simulation.studio_media", "xblock_json", "studio_media", "maydan_simulation"),
           worlds.Handler("maydan_fieldlog.studio_submit", "xblock_json", "studio_submit", "maydan_fieldlog")]


@pytest.mark.parametrize("handler", TARGETS, ids=lambda h: h.name)
@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_a_hostile_file_is_refused_and_nothing_is_kept(world, handler, case):
    name, data = HOSTILE_FILES[case]
    field = "media" if handler.kind == "maydan_simulation" else "logo"
    body = {field: data} if name is None else {field: (name, data)}
    assert check(world, handler, body) == []
    assert not ScenarioMedia.objects.exists() and not Course.objects.exclude(logo="").exists()


def test_the_same_post_with_a_real_picture_is_kept(world):
    """The control: the multipart body above reaches the core, which keeps what is right."""
    from tests.unit.test_simulation_media import png

    assert check(world, TARGETS[0], {"media": ("door.png", png())}) == []
    assert check(world, TARGETS[1], {"logo": ("seal.png", png())}) == []
    assert ScenarioMedia.objects.filter(name="door.png").exists() and Course.objects.exclude(logo="").exists()
