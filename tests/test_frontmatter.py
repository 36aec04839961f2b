"""Reading content files: line numbers, strictness, and never anything but FileProblem on any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crowdcare.content.frontmatter import FileProblem, load_yaml, parse_document


def test_lines_point_at_keys_in_the_file() -> None:
    doc = parse_document("---\ntitle: x\ntags:\n  - a\n  - b\nnested:\n  key: 1\n---\nbody\n")
    assert doc.lines[("title",)] == 2
    assert doc.lines[("tags", 1)] == 5
    assert doc.lines[("nested", "key")] == 7
    assert doc.body == "body\n" and doc.body_line == 9


def test_dates_stay_text_for_the_schema_to_check() -> None:
    data, _ = load_yaml("created: 2026-01-02\n")
    assert data == {"created": "2026-01-02"}


def test_a_byte_order_mark_is_accepted(tmp_path: object) -> None:
    doc = parse_document("---\ntitle: x\n---\nbody\n")
    assert doc.meta == {"title": "x"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_file_problem(text: str) -> None:
    """Hostile input gets a finding, never a traceback."""
    try:
        parse_document("---\n" + text + "\n---\nbody\n")
    except FileProblem as problem:
        assert problem.code.startswith("CC1") and problem.line >= 1


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=20,
    )
)
def test_yaml_we_can_dump_loads_back_or_is_refused_cleanly(value: object) -> None:
    import yaml

    text = yaml.safe_dump({"v": value}, allow_unicode=False)
    try:
        data, _ = load_yaml(text)
    except FileProblem as problem:
        assert problem.code in {"CC108", "CC117"}
    else:
        assert data == {"v": value}
