"""The one reader of what people bring: sizes capped before parsing, expansion and depth bounded."""
import pytest
from django.utils import translation

from maydan import untrusted
from maydan.untrusted import Unreadable

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{this}: &{this} [{', '.join(['*' + prev] * 9)}]" for prev, this in zip("abcdefgh", "bcdefghi")]
)
# The same bomb in block style, and one that grows by mappings rather than lists.
BLOCK_LAUGHS = "x: &x [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n" + "".join(
    f"l{n}: &l{n}\n" + "".join(f"  - *{'x' if n == 0 else f'l{n - 1}'}\n" for _ in range(10)) for n in range(8))
MAPPING_LAUGHS = "m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n" + "".join(
    f"m{n}: &m{n} {{{', '.join(f'k{k}: *m{n - 1}' for k in range(8))}}}\n" for n in range(1, 9))


def refused(kind, call, *args, **kwargs):
    with pytest.raises(Unreadable) as caught:
        call(*args, **kwargs)
    assert caught.value.kind == kind, caught.value.reason
    return caught.value


@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, BLOCK_LAUGHS, MAPPING_LAUGHS], ids=["flow", "block", "mapping"])
def test_an_alias_bomb_is_refused_before_anything_is_built(bomb):
    error = refused("too_many_nodes", untrusted.load_yaml, bomb)
    assert error.line is not None and error.line <= bomb.count("\n") + 1
    refused("too_many_nodes", untrusted.compose_yaml, bomb)


def test_too_many_aliases_are_refused_even_when_each_is_small():
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (untrusted.MAX_ALIASES + 1)) + "]\n"
    refused("too_many_aliases", untrusted.load_yaml, text)


def test_a_few_anchors_and_aliases_are_read_as_authors_use_them():
    text = "scale: &scale [1, 2, 3]\nmidterm: {levels: *scale}\nfinal: {levels: *scale, <<: {extra: yes}}\n"
    data = untrusted.load_yaml(text)
    assert data["midterm"]["levels"] == [1, 2, 3] and data["final"]["extra"] is True


@pytest.mark.parametrize("text", [
    "!!python/object/apply:os.system ['echo owned']",
    "a: !!python/name:os.system",
    "a: !!python/object:collections.OrderedDict {}",
    "- !!python/tuple [1, 2]",
])
def test_a_python_tag_is_never_read(text):
    error = refused("python_tag", untrusted.load_yaml, text)
    assert "python" in error.reason


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, "a:\n" + "".join("  " * n + f"k{n}:\n" for n in range(1, 80)) + "  " * 80 + "v"])
def test_yaml_nested_too_deep_is_refused(text):
    refused("too_deep", untrusted.load_yaml, text)


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"a":' * 80_000 + "1" + "}" * 80_000,
                                  "[" * 500 + "]" * 500, "[" * 100_000])
def test_json_nested_too_deep_is_a_clear_refusal_never_a_recursion_error(text):
    refused("too_deep", untrusted.load_json, text)


def test_json_at_the_depth_limit_is_read():
    depth = untrusted.MAX_DEPTH
    assert untrusted.load_json("[" * depth + "]" * depth) is not None
    refused("too_deep", untrusted.load_json, "[" * (depth + 1) + "]" * (depth + 1))


def test_text_over_the_size_limits_is_refused_before_parsing():
    refused("too_long", untrusted.load_yaml, "a: b\n" * 200_000)
    refused("too_long", untrusted.load_json, "[" + "1," * 300_000 + "1]")
    refused("too_large", untrusted.text_of, b"x" * 11, max_bytes=10)
    # Characters, not bytes, for pasted text: Arabic takes two bytes a letter.
    assert untrusted.text_of("ع" * 10, max_bytes=10, max_chars=10) == "ع" * 10
    refused("too_long", untrusted.text_of, "ع" * 11, max_bytes=100, max_chars=10)


def test_a_large_file_is_refused_without_being_read_whole(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" * 1_000_000)
    refused("too_large", untrusted.read_file, path)


def test_uploads_are_decoded_or_refused():
    assert untrusted.text_of("\ufeffname,join".encode("utf-8")) == "name,join"
    assert untrusted.text_of("الاسم".encode("utf-16")) == "الاسم"
    refused("not_text", untrusted.text_of, b"\xff\xfe\xff" + b"\xd8\x00" * 3 + b"\x00")
    refused("not_text", untrusted.text_of, "caf\xe9".encode("latin-1"))


def test_bad_yaml_and_json_say_where():
    assert refused("not_yaml", untrusted.load_yaml, "a: [1, 2\nb: 3\n").line is not None
    assert refused("not_json", untrusted.load_json, '{\n"a": 1,\n}').line == 3
    assert untrusted.load_document('{"id": "x"}', "s.json") == {"id": "x"}
    assert untrusted.load_document("id: x", "s.yaml") == {"id": "x"}


def test_csv_rows_and_fields_are_capped():
    assert untrusted.read_csv("a,b\n1,2\n") == [["a", "b"], ["1", "2"]]
    assert refused("too_many_rows", untrusted.read_csv, "a\n" * 11, max_rows=10).line == 11
    assert refused("field_too_long", untrusted.read_csv, "a,b\n1," + "x" * 21 + "\n", max_field=20).line == 2
    # Longer than csv's own field_size_limit: still a refusal, not csv.Error.
    refused("field_too_long", untrusted.read_csv, 'a,"' + "x" * 200_000 + '"\n', max_bytes=10**6)
    header, records = untrusted.read_csv_records(" name ,join\nسارة,10:00\n")
    assert header == ["name", "join"] and records == [{"name": "سارة", "join": "10:00"}]


@pytest.mark.parametrize("language, word", [("en", "at most"), ("ar", "")])
def test_every_refusal_has_a_message_in_the_readers_language(language, word):
    errors = [refused("too_many_nodes", untrusted.load_yaml, BILLION_LAUGHS),
              refused("too_many_rows", untrusted.read_csv, "a\n" * 3, max_rows=2),
              refused("not_text", untrusted.text_of, b"\xe9")]
    with translation.override(language):
        texts = [untrusted.message(error) for error in errors]
    assert all(texts)
    if language == "ar":
        assert all(any("\u0600" <= ch <= "\u06ff" for ch in text) for text in texts)
    else:
        assert word in texts[1] and "Line 3" in texts[1]
