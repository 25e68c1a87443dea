"""A scenario's media: uploaded and checked by content and size, served only to people of the course,
each recording with a transcript or captions in both languages, shown accessibly on the play screen."""
import struct
import zlib
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import translation

from maydan import roles, untrusted
from maydan.errors import Forbidden, Invalid
from maydan.models import AuditEvent, Membership
from maydan.simulation import library, media, screens, services as sim, validate as v
from maydan.simulation.models import ScenarioMedia, SimulationAttempt
from maydan.ui import Screen

from .test_simulation_engine import SCHEMA, small, t

SHIPPED = Path(__file__).resolve().parents[2] / "course_content" / "scenarios" / "media"


def png(width=4, height=3):
    """A real PNG image, built by hand (no image library needed)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80\x20\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


MP3 = (SHIPPED / "mother-voice-note.en.mp3").read_bytes()
VTT = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nHello.\n".encode()
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def author(cohort):
    return cohort.enter("w1", roles.AUTHOR, "Author")


@pytest.fixture
def stranger(db):
    """A student of another course on the same platform."""
    from maydan import people

    return people.enter("https://lms.example.edu", "other-course", "s9", {roles.STUDENT}, course_title="Other")


def fetch(actor, name, language="en"):
    address = media.url(actor, name)
    return Client().get(address, HTTP_ACCEPT_LANGUAGE=language)


def stored_files(storage):
    return [p for p in storage.rglob("*") if p.is_file()] if storage.exists() else []


# --- what is accepted, what is refused ------------------------------------------------------------


@pytest.mark.parametrize("name, data, kind", [
    ("door.png", png(), "image"), ("plan.svg", SVG, "image"), ("voice.mp3", MP3, "audio"),
    ("voice.en.vtt", VTT, "captions"),
])
def test_an_author_uploads_images_audio_and_captions_and_the_upload_is_audited(cohort, author, storage, name, data, kind):
    row = media.upload(author, name, data)
    assert (row.kind, row.size, row.course) == (kind, len(data), cohort.course)
    assert row.file.read() == data and stored_files(storage)
    assert name not in row.file.name and cohort.course.context_id not in row.file.name   # nothing guessable
    assert AuditEvent.objects.filter(action="simulation_media", changes__name=name).exists()


@pytest.mark.parametrize("name, data", [
    ("door.png", MP3),                                     # a recording named as a picture
    ("voice.mp3", png()),                                  # a picture named as a recording
    ("voice.mp3", b"MZ\x90\x00" + b"\x00" * 200),          # a Windows program
    ("page.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("page.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("page.svg", b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'),
    ("page.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/x.png"/></svg>'),
    ("captions.vtt", b"1\n00:00:00.000 --> 00:00:02.000\nno header\n"),
    ("notes.txt", b"hello"),
    ("program.exe", b"MZ\x90\x00"),
])
def test_a_file_whose_content_is_not_an_accepted_media_type_is_refused_whole(cohort, author, storage, name, data):
    with translation.override("ar"):
        with pytest.raises(Invalid) as refused:
            media.upload(author, name, data)
    assert "ليس صورة" in refused.value.message     # said in the author's language
    assert not ScenarioMedia.objects.exists() and stored_files(storage) == []


@pytest.mark.parametrize("name, limit", [("big.png", untrusted.MEDIA_LIMITS["image"]),
                                         ("long.mp3", untrusted.MEDIA_LIMITS["audio"])])
def test_a_file_over_its_kind_s_size_limit_is_refused(cohort, author, storage, name, limit):
    head = png() if name.endswith(".png") else MP3
    with translation.override("en"):
        with pytest.raises(Invalid) as refused:
            media.upload(author, name, head + b"\x00" * (limit + 1 - len(head)))
    assert "too large" in refused.value.message and f"{limit:,}" in refused.value.message
    assert not ScenarioMedia.objects.exists() and stored_files(storage) == []
    assert media.upload(author, name, head + b"\x00" * (limit - len(head))).size == limit   # the limit itself is fine


@pytest.mark.parametrize("name", ["../../etc/passwd.png", "a/b.png", "", ".hidden.png", "voice mp3"])
def test_a_file_name_that_is_not_a_plain_media_name_is_refused_or_reduced_to_its_last_part(cohort, author, name):
    try:
        row = media.upload(author, name, png())
    except Invalid:
        assert not ScenarioMedia.objects.exists()
    else:
        assert "/" not in row.name and ".." not in row.name and row.name == name.rsplit("/", 1)[-1]


def test_a_new_file_with_the_same_name_replaces_the_old_and_frees_its_storage(cohort, author, storage,
                                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = media.upload(author, "door.png", png(2, 2))
    with django_capture_on_commit_callbacks(execute=True):
        second = media.upload(author, "door.png", png(5, 5))
    assert ScenarioMedia.objects.count() == 1 and second.file.read() == png(5, 5)
    assert not default_storage.exists(first.file.name) or first.file.name == second.file.name
    assert len(stored_files(storage)) == 1


@pytest.mark.parametrize("who", ["student", "agency"])
def test_only_authors_and_supervisors_upload(cohort, who):
    with pytest.raises(Forbidden):
        media.upload(getattr(cohort, who), "door.png", png())
    assert not ScenarioMedia.objects.exists()
    assert media.upload(cohort.academic, "door.png", png()).uploaded_by == cohort.academic.person


# --- who may see a file ---------------------------------------------------------------------------


def test_people_of_the_course_see_its_media_with_headers_that_keep_it_inert(cohort, author):
    media.upload(author, "door.png", png())
    media.upload(author, "plan.svg", SVG)
    for actor in (cohort.student, cohort.agency, cohort.academic):
        response = fetch(actor, "door.png")
        assert response.status_code == 200 and b"".join(response.streaming_content) == png()
        assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    response = fetch(cohort.student, "plan.svg")
    assert response["Content-Type"] == "image/svg+xml" and "sandbox" in response["Content-Security-Policy"]


def test_a_student_of_another_course_is_refused_and_learns_nothing(cohort, author, stranger):
    media.upload(author, "door.png", png())
    response = fetch(stranger, "door.png", "ar")
    assert response.status_code == 404 and png() not in response.content
    assert "هذا الملف غير موجود" in response.content.decode()
    # Their own course's file of the same name is theirs alone.
    other_author = _author_of(stranger.course)
    media.upload(other_author, "door.png", png(7, 7))
    assert b"".join(fetch(stranger, "door.png").streaming_content) == png(7, 7)
    assert b"".join(fetch(cohort.student, "door.png").streaming_content) == png()


def _author_of(course):
    from maydan import people

    return people.enter(course.issuer, course.context_id, "w9", {roles.AUTHOR}, course_title=course.title)


def test_an_address_without_a_valid_pass_is_refused(cohort, author, settings):
    media.upload(author, "door.png", png())
    address = media.url(cohort.student, "door.png")
    bare = address.split("?")[0]
    assert Client().get(bare).status_code == 403
    assert Client().get(bare + "?v=forged").status_code == 403
    assert Client().get(address[:-3] + "abc").status_code == 403               # tampered signature
    assert Client().post(address).status_code == 405


def test_a_person_who_left_the_course_is_refused_and_an_old_pass_expires(cohort, author, monkeypatch):
    media.upload(author, "door.png", png())
    address = media.url(cohort.other_student, "door.png")
    Membership.objects.filter(person=cohort.other_student.person, course=cohort.course).delete()
    assert Client().get(address).status_code == 403
    monkeypatch.setattr(media, "PASS_HOURS", -1)
    assert fetch(cohort.student, "door.png").status_code == 403


def test_the_library_s_media_are_served_to_the_people_of_any_course(cohort, stranger):
    for actor in (cohort.student, stranger):
        response = fetch(actor, "breathing-exercise.ar.mp3")
        assert response.status_code == 200 and response["Content-Type"] == "audio/mpeg"
    assert fetch(cohort.student, "breathing-exercise.ar.vtt")["Content-Type"] == "text/vtt"
    assert fetch(cohort.student, "no-such-file.mp3").status_code == 404
    assert fetch(cohort.student, "README.md").status_code in (403, 404)


# --- transcripts and captions are required ----------------------------------------------------------


def with_media(**spec):
    data = small()
    data["nodes"][0]["media"] = spec
    return data


@pytest.mark.parametrize("spec", [
    {"kind": "audio", "src": "voice.mp3", "transcript": t("Hello")},
    {"kind": "video", "src": "visit.mp4", "captions": {"en": "visit.en.vtt", "ar": "visit.ar.vtt"}},
    {"kind": "audio", "src": {"en": "voice.en.mp3", "ar": "voice.ar.mp3"},
     "captions": {"en": "voice.en.vtt", "ar": "voice.ar.vtt"}},
    {"kind": "image", "src": "plan.svg", "alt": t("A plan")},
])
def test_media_with_its_words_in_both_languages_passes_and_fits_the_schema(spec):
    data = with_media(**spec)
    assert v.check(data) == []
    jsonschema.validate(data, SCHEMA)


@pytest.mark.parametrize("spec, kind", [
    ({"kind": "audio", "src": "voice.mp3"}, v.MEDIA),
    ({"kind": "video", "src": "visit.mp4", "alt": t("A visit")}, v.MEDIA),
    ({"kind": "audio", "src": "voice.mp3", "captions": {"en": "voice.en.vtt"}}, v.MEDIA),
    ({"kind": "audio", "src": "voice.mp3", "transcript": {"en": "Hello", "ar": " "}}, v.TRANSLATION),
    ({"kind": "audio", "src": "voice.mp3", "captions": {"en": "voice.en.srt", "ar": "voice.ar.vtt"}}, v.STRUCTURE),
    ({"kind": "image", "src": "plan.svg"}, v.TRANSLATION),
    ({"kind": "image", "src": "plan.svg", "alt": {"en": "A plan"}}, v.TRANSLATION),
    ({"kind": "image", "src": "https://cdn.example/plan.svg", "alt": t("A plan")}, v.STRUCTURE),
    ({"kind": "image", "src": "../plan.svg", "alt": t("A plan")}, v.STRUCTURE),
    ({"kind": "audio", "src": "plan.png", "transcript": t("Hello")}, v.STRUCTURE),
    ({"kind": "audio", "src": {"en": "voice.en.mp3"}, "transcript": t("Hello")}, v.STRUCTURE),
])
def test_the_validator_refuses_media_without_its_words_in_both_languages(spec, kind):
    assert (kind, "a") in {(p.kind, p.node) for p in v.check(with_media(**spec))}


def test_an_author_cannot_save_a_scenario_naming_media_not_uploaded(cohort, author):
    data = with_media(kind="audio", src="voice.mp3", captions={"en": "voice.en.vtt", "ar": "voice.ar.vtt"})
    source = yaml.safe_dump(data, allow_unicode=True)
    with translation.override("en"):
        with pytest.raises(Invalid) as refused:
            sim.save_scenario(author, source)
    listed = refused.value.message.split(": ", 1)[1].rstrip(".").split(", ")
    assert sorted(listed) == ["voice.ar.vtt", "voice.en.vtt", "voice.mp3"]
    media.upload(author, "voice.mp3", MP3)
    media.upload(author, "voice.en.vtt", VTT)
    with pytest.raises(Invalid) as refused:
        sim.save_scenario(author, source)
    assert "voice.ar.vtt" in refused.value.message and "voice.mp3" not in refused.value.message
    media.upload(author, "voice.ar.vtt", VTT)
    assert sim.save_scenario(author, source) == "mini"


# --- what the student sees -----------------------------------------------------------------------------


def _standing_at(actor, key, kind):
    scenario = library.get(actor.course, key)
    node = next(n for n in scenario.data["nodes"] if n.get("media", {}).get("kind") == kind)
    attempt = sim.start(actor, key)
    SimulationAttempt.objects.filter(pk=attempt.pk).update(node=node["id"])
    return node


def test_a_recording_plays_in_the_reader_s_language_with_captions_on_and_a_transcript_to_open(cohort):
    node = _standing_at(cohort.student, "etherapy-anxious", "audio")
    for language, other in (("ar", "en"), ("en", "ar")):
        page = screens.render(Screen(actor=cohort.student, language=language, activity="simulation",
                                     key="etherapy-anxious", endpoint="/sim"))
        assert "<video" in page and f"breathing-exercise.{language}.mp3?v=" in page
        assert f'srclang="{language}" label="' in page and f'srclang="{other}"' in page
        assert page.index(f'srclang="{language}"') < page.index(f'srclang="{other}"')
        default_track = page[page.index("<track"):page.index(">", page.index("<track"))]
        assert f'srclang="{language}"' in default_track and "default" in default_track
        assert '<details class="maydan-sim-transcript">' in page                  # closed: a toggle
        assert node["media"]["transcript"][language].split()[2] in page
    address = page.split('src="')[1].split('"')[0].replace("&amp;", "&")
    assert Client().get(address).status_code == 200                              # the page's own address works


def test_an_image_carries_its_description_in_the_reader_s_language(cohort):
    node = _standing_at(cohort.student, "etherapy-chat", "image")
    for language in ("ar", "en"):
        page = screens.render(Screen(actor=cohort.student, language=language, activity="simulation",
                                     key="etherapy-chat", endpoint="/sim"))
        assert f'alt="{node["media"]["alt"][language]}"' in page and "sleep-diary.svg?v=" in page


# --- the shipped media ---------------------------------------------------------------------------------


def test_every_shipped_scenario_names_media_that_ship_and_every_shipped_file_is_used_and_what_it_says():
    named = {name for text, _file in library.shipped().values()
             for name in v.media_files(yaml.safe_load(text))}
    shipped = media.shipped_names()
    assert named and named <= shipped, named - shipped
    assert shipped == named, shipped - named
    for name in shipped:
        data = (SHIPPED / name).read_bytes()
        kind, _type = untrusted.media_type(data, name)       # its bytes are what its name says
        assert kind in ("image", "audio", "captions")
    assert "CC BY-SA 4.0" in (SHIPPED / "README.md").read_text(encoding="utf-8")
    for name in shipped:
        assert name in (SHIPPED / "README.md").read_text(encoding="utf-8") or \
            name.rsplit(".", 2)[0] in (SHIPPED / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("asked, status, part", [
    ("bytes=0-99", 206, slice(0, 100)),
    ("bytes=100-", 206, slice(100, None)),
    ("bytes=-50", 206, slice(-50, None)),
    ("bytes=999999999-", 416, None),
    ("bytes=abc", 200, slice(None)),            # not a range we read: the whole file
])
def test_a_player_seeking_in_a_recording_gets_the_part_it_asks_for(cohort, asked, status, part):
    whole = (SHIPPED / "breathing-exercise.en.mp3").read_bytes()
    address = media.url(cohort.student, "breathing-exercise.en.mp3")
    response = Client().get(address, HTTP_RANGE=asked)
    assert response.status_code == status and response["Accept-Ranges"] == "bytes"
    if status == 206:
        assert response.content == whole[part]
        assert response["Content-Range"].endswith(f"/{len(whole)}")
    elif status == 200:
        assert b"".join(response.streaming_content) == whole
    else:
        assert response["Content-Range"] == f"bytes */{len(whole)}"


def test_a_range_is_asked_with_a_pass_like_the_whole_file(cohort, stranger, author):
    media.upload(author, "door.png", png())
    own = Client().get(media.url(cohort.student, "door.png"), HTTP_RANGE="bytes=0-3")
    assert own.status_code == 206 and own.content == b"\x89PNG"                 # an uploaded file, from storage
    address = media.url(stranger, "door.png")
    assert Client().get(address, HTTP_RANGE="bytes=0-10").status_code == 404
    assert Client().get(address.split("?")[0], HTTP_RANGE="bytes=0-10").status_code == 403
