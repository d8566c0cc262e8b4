"""Word diffs: one diff of two sentences, as text (CLI, memory suggestions) and as HTML (review page)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from translate.web.html import diff_words
from translate.worddiff import diff, word_diff


def test_word_diff_marks_removed_and_added_words() -> None:
    assert word_diff("피부 탄력이 좋습니다.", "피부 탄력이 아주 좋습니다.") == "피부 탄력이 {+아주+} 좋습니다."
    assert word_diff("a b c", "a x c") == "a [-b-] {+x+} c"


def test_runs_of_changed_words_are_marked_once_and_white_space_is_one_space() -> None:
    assert word_diff("시술 후  3일간\n세안을 피하세요.", "시술 후 7일간 화장을 피하세요.") == (
        "시술 후 [-3일간 세안을-] {+7일간 화장을+} 피하세요."
    )
    assert word_diff("", "새 문장입니다.") == "{+새 문장입니다.+}"
    assert word_diff("지운 문장입니다.", "") == "[-지운 문장입니다.-]"
    assert word_diff("같은 문장", "같은  문장") == "같은 문장"


def test_the_html_diff_marks_the_same_words_and_escapes_every_text() -> None:
    assert diff_words("a b c", "a x c") == "a <del>b</del> <ins>x</ins> c"
    assert diff_words("피부 탄력이 좋습니다.", "피부 탄력이 아주 좋습니다.") == "피부 탄력이 <ins>아주</ins> 좋습니다."
    html = diff_words("<b>굵게</b> & 끝", "<script>alert(1)</script> & 끝")
    assert html == "<del>&lt;b&gt;굵게&lt;/b&gt;</del> <ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins> &amp; 끝"


def test_text_and_html_show_the_same_diff() -> None:
    old, new = "1회 시술로 {효과가} 나타납니다.", "시술 2회로 [효과가] 나타납니다 -]."
    text_words = word_diff(old, new)
    html_words = str(diff_words(old, new))
    for kind, words in diff(old, new):
        marked = {"same": words, "removed": f"[-{words}-]", "added": f"{{+{words}+}}"}[kind]
        tagged = {"same": words, "removed": f"<del>{words}</del>", "added": f"<ins>{words}</ins>"}[kind]
        assert marked in text_words and tagged in html_words


words = st.lists(st.sampled_from(["피부", "탄력이", "좋습니다.", "3회", "a", "<b>", "&"]), max_size=8)


@given(words, words)
def test_the_diff_gives_back_both_sentences(old: list[str], new: list[str]) -> None:
    runs = diff(" ".join(old), " ".join(new))
    assert " ".join(w for kind, w in runs if kind != "added").split() == old
    assert " ".join(w for kind, w in runs if kind != "removed").split() == new
    assert all(words for _, words in runs)
    assert all("same" not in (a, b) or a != b for (a, _), (b, _) in itertools.pairwise(runs))  # runs are whole
