"""The review web app through Starlette's test client: pages, decisions, conflicts and security."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from tests.helpers import (
    LOCAL,
    SCRIPT,
    client,
    csrf_of,
    decide,
    item_id,
    make_project,
    make_review_project,
    review_entry,
    reviewer_client,
    version_in,
)
from tests.helpers import REVIEW_SLUG as SLUG
from translate import history
from translate.cli import app as cli_app
from translate.extract import extract
from translate.model import text_hash
from translate.project import Project
from translate.review import approve, queue
from translate.web import REVIEWER_COOKIE, ServeOptions, create_app, prepare


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_review_project(tmp_path / "site")


def test_the_queue_shows_errors_first_with_counts_per_article_and_filters(project: Project) -> None:
    web, _ = reviewer_client(project)
    page = web.get("/").text
    rows = re.findall(r'<span class="src">([^<]+)</span>', page)
    assert len(rows) == 5
    assert {rows[0], rows[1]} == {"시술 시간은 약 30분입니다.", "부작용이 있을 수 있으니 상담 후 결정하세요."}
    assert re.search(r'emface</a></td>\s*<td class="bad">2</td>\s*<td>5</td>', page)  # 2 errors, 5 drafts
    numbers = web.get("/", params={"check": "numbers"}).text
    assert re.findall(r'<span class="src">([^<]+)</span>', numbers) == ["시술 시간은 약 30분입니다."]
    clean = web.get("/", params={"check": "clean"}).text
    assert len(re.findall(r'<span class="src">', clean)) == 3
    assert "Nothing here" in web.get("/", params={"state": "approved"}).text


def test_the_segment_view_shows_source_draft_glossary_and_findings(project: Project) -> None:
    web, _ = reviewer_client(project)
    segment = item_id(project, "엠페이스 리프팅의")
    html = web.get("/panel", params={"in": SLUG, "to": "en", "id": segment}).text
    assert '<mark class="term" title="Emface">엠페이스</mark>' in html  # source term, expected target as title
    assert '<mark class="term" title="특징">Features</mark>' in html  # the target's term (inflected) marked too
    assert "→ <b>feature</b>" in html and "not: characteristic, trait" in html
    numbers = web.get("/panel", params={"in": SLUG, "to": "en", "id": item_id(project, "시술")}).text
    assert "numbers</b>: numbers differ from the source" in numbers


def test_approve_records_the_reviewer_and_moves_to_the_next_segment(project: Project) -> None:
    web, token = reviewer_client(project, "김 리뷰어")
    title = item_id(project, "엠페이스 리프팅의")
    html = web.get("/panel", params={"in": SLUG, "to": "en", "id": title}).text
    response = decide(web, token, title, "approve", version_in(html))
    assert response.status_code == 200 and response.headers["x-swap"] == "workspace"
    done = review_entry(project, "엠페이스 리프팅의")
    assert not done.fuzzy and done.msgstr == "Features of Emface lifting"
    assert done.tcomment.startswith("approved by 김 리뷰어 on ")
    body = response.text
    assert "Approved." in body and f'data-key="en/{SLUG}/{title}"' not in body  # it left the "to review" list
    assert 'class="row selected"' in body and version_in(body)  # and the next segment is open


def test_an_error_needs_an_explicit_override_which_is_recorded(project: Project) -> None:
    web, token = reviewer_client(project)
    segment = item_id(project, "시술")
    version = version_in(web.get("/panel", params={"in": SLUG, "to": "en", "id": segment}).text)
    refused = decide(web, token, segment, "approve", version)
    assert refused.status_code == 422
    assert "Not approved: has findings (numbers)" in refused.text
    assert "Approve despite the findings (recorded)" in refused.text
    assert review_entry(project, "시술").fuzzy
    forced = decide(web, token, segment, "approve", version, force="1")
    assert forced.status_code == 200
    done = review_entry(project, "시술")
    assert not done.fuzzy and "approved by Kim" in done.tcomment and "] over numbers" in done.tcomment


def test_edit_and_reject_go_through_the_library(project: Project) -> None:
    web, token = reviewer_client(project)
    segment = item_id(project, "시술")
    version = version_in(web.get("/panel", params={"in": SLUG, "to": "en", "id": segment}).text)
    fixed = decide(web, token, segment, "edit", version, text="The procedure takes about 30 minutes.")
    assert fixed.status_code == 200 and "Edited and approved." in fixed.text
    done = review_entry(project, "시술")
    assert done.msgstr == "The procedure takes about 30 minutes." and "edited and approved by Kim" in done.tcomment

    other = item_id(project, "피부과")
    version = version_in(web.get("/panel", params={"in": SLUG, "to": "en", "id": other}).text)
    kept = decide(web, token, other, "edit", version, text="A dermatologist sees you for 40 minutes.")
    assert kept.status_code == 422 and "Saved as a draft" in kept.text
    assert review_entry(project, "피부과").fuzzy and "[error] numbers" in review_entry(project, "피부과").comment

    version = version_in(web.get("/panel", params={"in": SLUG, "to": "en", "id": other}).text)
    rejected = decide(web, token, other, "reject", version, reason="Say who consults.")
    assert rejected.status_code == 200
    assert "rejected by Kim on" in review_entry(project, "피부과").tcomment
    assert review_entry(project, "피부과").tcomment.endswith(": Say who consults.")


def test_a_second_reviewers_save_is_refused_with_the_current_text(project: Project) -> None:
    lee, lee_token = reviewer_client(project, "Lee")
    park, park_token = reviewer_client(project, "Park")
    segment = item_id(project, "피부과")
    params = {"in": SLUG, "to": "en", "id": segment}
    lee_version = version_in(lee.get("/panel", params=params).text)
    park_version = version_in(park.get("/panel", params=params).text)
    first = decide(park, park_token, segment, "edit", park_version, text="A board-certified dermatologist consults.")
    assert first.status_code == 200
    second = decide(lee, lee_token, segment, "edit", lee_version, text="Lee's version overwriting Park's.")
    assert second.status_code == 409
    assert "was changed since you opened it" in second.text
    assert "A board-certified dermatologist consults." in second.text
    kept = review_entry(project, "피부과")
    assert kept.msgstr == "A board-certified dermatologist consults." and "Lee" not in kept.tcomment
    # the CLI's decisions count as well: an approval from the terminal makes the page's version stale
    title = item_id(project, "엠페이스 리프팅의")
    version = version_in(lee.get("/panel", params={"in": SLUG, "to": "en", "id": title}).text)
    approve(project, [title], lang="en", article=SLUG, reviewer="Terminal")
    assert decide(lee, lee_token, title, "reject", version, reason="no").status_code == 409
    assert "rejected" not in review_entry(project, "엠페이스 리프팅의").tcomment


def test_a_script_in_a_draft_is_shown_as_text(project: Project) -> None:
    web, _ = reviewer_client(project)
    segment = item_id(project, "부작용")
    panel = web.get("/panel", params={"in": SLUG, "to": "en", "id": segment})
    assert "<script>document.title" not in panel.text
    assert "&lt;script&gt;document.title = &#34;pwned&#34;" in panel.text
    article = web.get(f"/article/{SLUG}", params={"lang": "en", "id": segment})
    assert "<script>document.title" not in article.text and "&lt;script&gt;" in article.text
    assert "script-src 'self'" in article.headers["content-security-policy"]
    assert SCRIPT in review_entry(project, "부작용").msgstr  # the data itself is untouched


def test_state_changing_requests_need_the_csrf_token_and_the_same_origin(project: Project) -> None:
    web, token = reviewer_client(project)
    segment = item_id(project, "엠페이스 리프팅의")
    version = version_in(web.get("/panel", params={"in": SLUG, "to": "en", "id": segment}).text)
    data = {"decision": "approve", "in": SLUG, "to": "en", "id": segment, "version": version}
    assert web.post("/decide", data=data).status_code == 403
    assert web.post("/decide", data={**data, "csrf": "guess"}).status_code == 403
    foreign = web.post("/decide", data={**data, "csrf": token}, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    assert web.post("/publish", data={"article": SLUG, "lang": "en"}).status_code == 403
    assert review_entry(project, "엠페이스 리프팅의").fuzzy  # nothing was approved
    assert web.post("/decide", data={**data, "csrf": token}).status_code == 200  # a plain form post works


def test_decisions_need_the_reviewers_name_which_is_asked_once(project: Project) -> None:
    web = client(project)
    page = web.get("/").text
    assert 'id="reviewer-name"' in page
    segment = item_id(project, "엠페이스 리프팅의")
    version = version_in(web.get("/panel", params={"in": SLUG, "to": "en", "id": segment}).text)
    response = decide(web, csrf_of(page), segment, "approve", version)
    assert response.status_code == 400 and "tell us your name" in response.text
    evil = {"name": "Kim", "csrf": csrf_of(page), "back": "//evil.example/"}
    away = web.post("/reviewer", data=evil, follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/"  # no redirect off the site
    back = f"/article/{SLUG}?lang=en"
    named = web.post("/reviewer", data={"name": "Kim", "csrf": csrf_of(page), "back": back}, follow_redirects=False)
    assert named.headers["location"] == back  # back where the name was asked
    assert web.cookies.get(REVIEWER_COOKIE) == "Kim"
    assert 'id="reviewer-name"' not in web.get("/").text


def test_article_slugs_are_validated(project: Project) -> None:
    web, _ = reviewer_client(project)
    (project.root / "secret.md").write_text("secret", encoding="utf-8")
    for bad in ("../../secret", "..%2F..%2Fsecret", "%2Fetc%2Fpasswd", "nope"):
        response = web.get(f"/article/{bad}", params={"lang": "en"})
        assert response.status_code in (400, 404) and "secret" not in response.text.replace("../../secret", "")
    assert web.get("/", params={"article": "../x"}).status_code == 400
    assert web.get("/", params={"lang": "xx"}).status_code == 400


def test_a_missing_article_is_404_and_a_bad_slug_400_on_every_route(project: Project) -> None:
    web, _ = reviewer_client(project)
    page = web.get("/article/nope", params={"lang": "en"})
    assert page.status_code == 404 and "no source article &#39;nope&#39;" in page.text
    assert web.get("/", params={"article": "nope"}).status_code == 404
    asked = web.get("/panel", params={"in": "nope", "to": "en", "id": "x"}, headers={"x-requested-with": "fetch"})
    assert asked.status_code == 404 and asked.text.startswith("no source article 'nope'")
    published = web.post("/publish", data={"article": "nope", "lang": "en", "csrf": csrf_of(web.get("/").text)})
    assert published.status_code == 404
    assert web.get("/", params={"article": "/etc/passwd"}).status_code == 400  # a bad slug is not a missing one
    assert web.get(f"/article/{SLUG}", params={"lang": "xx"}).status_code == 400


def test_the_article_view_marks_the_current_segment_and_publishes_when_all_are_approved(project: Project) -> None:
    web, token = reviewer_client(project)
    segment = item_id(project, "엠페이스는")
    page = web.get(f"/article/{SLUG}", params={"lang": "en", "id": segment}).text
    assert '<mark class="current">엠페이스는 표정근까지 고려한 리프팅입니다.</mark>' in page
    assert '<mark class="current">Emface is a lifting that also considers the expression muscles.</mark>' in page
    assert 'id="publish-button"' not in page and "Publishing opens when every segment is approved" in page

    approve(project, None, lang="en", article=SLUG, force=True, reviewer="Kim")
    page = web.get(f"/article/{SLUG}", params={"lang": "en"}).text
    assert 'id="publish-button"' in page
    response = web.post("/publish", data={"article": SLUG, "lang": "en", "csrf": token})
    assert response.status_code == 200 and f"Published content/en/{SLUG}.md" in response.text
    published = (project.root / "content" / "en" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "The procedure takes about 20 minutes." in published and "translationHash:" in published
    assert "up to date" in response.text


def test_a_changed_source_and_memory_suggestions_are_shown(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "site",
        articles={"a": "피부과 전문의가 직접 상담합니다.\n", "b": "피부과 전문의가 매일 직접 상담합니다.\n"},
    )
    project = Project.open(root)
    extract(project)
    web, _ = reviewer_client(project)
    a = polib.pofile(str(project.po_path("en", "a")))
    a[0].msgstr = "A dermatologist consults you in person."
    a.save()
    (root / "content" / "ko" / "a.md").write_text("피부과 전문의가 오늘 직접 상담합니다.\n", encoding="utf-8")
    extract(project)
    [changed] = [i for i in queue(project, article="a") if i.unit.previous_source]
    html = web.get("/panel", params={"in": "a", "to": "en", "id": changed.id}).text
    assert "The source changed; before:" in html and "<ins>오늘</ins>" in html
    [other] = queue(project, article="b")
    if not getattr(other, "suggestions", None):
        pytest.skip("no translation-memory suggestions in this version of the review queue")
    html = web.get("/panel", params={"in": "b", "to": "en", "id": other.id}).text
    assert 'class="score"' in html and "A dermatologist consults you in person." in html


def test_a_token_guards_every_request_when_one_is_set(project: Project) -> None:
    web = TestClient(create_app(project, token="s3cret"), base_url="http://192.0.2.1:8765")
    assert web.get("/").status_code == 401
    assert web.get("/static/app.js").status_code == 401
    assert web.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert web.get("/", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    first = web.get("/?state=all&token=s3cret", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/?state=all"
    assert web.get("/").status_code == 200  # the cookie set by the first visit


def test_requests_naming_another_host_are_refused(project: Project) -> None:
    web = TestClient(create_app(project, allowed_hosts=LOCAL), base_url="http://rebound.example:8765")
    assert web.get("/").status_code == 421


def test_only_loopback_goes_without_a_token() -> None:
    options, allowed, generated = prepare(ServeOptions())
    assert options.token is None and not generated and allowed is not None and "127.0.0.1" in allowed
    options, allowed, generated = prepare(ServeOptions(host="0.0.0.0"))
    assert generated and options.token and len(options.token) >= 20 and allowed is None
    options, _, generated = prepare(ServeOptions(host="0.0.0.0", token="mine-and-long-enough"))
    assert options.token == "mine-and-long-enough" and not generated


def test_serve_prints_the_address_and_a_generated_token_once(
    project: Project, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[dict[str, object]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw))
    result = runner.invoke(cli_app, ["--root", str(project.root), "serve"])
    assert result.exit_code == 0 and "Review at http://127.0.0.1:8765/\n" in result.output
    assert started == [{"host": "127.0.0.1", "port": 8765, "log_level": "warning"}]
    result = runner.invoke(cli_app, ["--root", str(project.root), "serve", "--host", "0.0.0.0", "--port", "9000"])
    [token] = re.findall(r"\?token=(\S+)", result.output)
    assert result.output.count(token) == 1 and "generated" in result.output


def test_an_approved_text_changed_outside_translate_is_back_in_the_queue_and_not_published(project: Project) -> None:
    approve(project, None, lang="en", article=SLUG, force=True, reviewer="Kim")  # 20 minutes: over numbers
    path = project.po_path("en", SLUG)
    wrong = "The procedure takes about 20 minutes."
    path.write_text(path.read_text(encoding="utf-8").replace(wrong, "It takes about 40 minutes."), encoding="utf-8")
    web, token = reviewer_client(project)
    segment = item_id(project, "시술")

    queue_page = web.get("/").text
    assert re.findall(r'<span class="src">([^<]+)</span>', queue_page) == ["시술 시간은 약 30분입니다."]
    panel = web.get("/panel", params={"in": SLUG, "to": "en", "id": segment}).text
    assert 'id="blocked"' in panel and "publish refuses it: numbers" in panel
    assert "not in the source 40" in panel and "not in the source 20" not in panel  # findings of the text as it is
    assert re.search(r'<button type="submit" class="approve" id="approve-button">', panel)  # approvable again

    article = web.get(f"/article/{SLUG}", params={"lang": "en"}).text
    assert 'id="publish-button"' not in article and "1 approved with errors no one overrode" in article
    response = web.post("/publish", data={"article": SLUG, "lang": "en", "csrf": token})
    assert response.status_code == 409
    assert f"segment {segment} has numbers errors no one overrode" in response.text
    assert not (project.root / "content" / "en" / f"{SLUG}.md").exists()

    version = version_in(panel)
    assert decide(web, token, segment, "approve", version).status_code == 422  # the override must be explicit
    assert decide(web, token, segment, "approve", version, force="1").status_code == 200
    last = history.parse(review_entry(project, "시술").tcomment.split("\n")[-1])
    assert (last.who, last.text, last.over) == ("Kim", text_hash("It takes about 40 minutes."), ("numbers",))
    response = web.post("/publish", data={"article": SLUG, "lang": "en", "csrf": token})
    assert response.status_code == 200 and f"Published content/en/{SLUG}.md" in response.text


def test_a_carried_over_draft_shows_as_needs_editing_and_a_decision_on_the_page_clears_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles={"a": "피부과 전문의가 직접 상담합니다.\n"})
    project = Project.open(root)
    extract(project)
    approve_text = "A dermatologist consults you in person."
    runner = CliRunner()
    runner.invoke(cli_app, ["-C", str(root), "review", "edit", queue(project)[0].id, "--text", approve_text])
    (root / "content" / "ko" / "a.md").write_text("피부과 전문의가 오늘 직접 상담합니다.\n", encoding="utf-8")
    extract(project)
    approve(project, None, reviewer="Bulk")  # bulk approval leaves it to a person
    [changed] = queue(project)
    assert changed.unit.needs_editing
    web, token = reviewer_client(project)
    listing = web.get("/").text
    assert '<span class="state draft">needs editing</span>' in listing
    html = web.get("/panel", params={"in": "a", "to": "en", "id": changed.id}).text
    assert '<span class="state draft" id="state-label">needs editing</span>' in html and "<ins>오늘</ins>" in html
    data = {"csrf": token, "decision": "approve", "in": "a", "to": "en", "id": changed.id, "version": version_in(html)}
    assert web.post("/decide", data=data, headers={"X-Requested-With": "fetch"}).status_code == 200
    done = polib.pofile(str(project.po_path("en", "a")))[0]
    assert not done.fuzzy and done.previous_msgid is None and done.msgstr == approve_text


def test_the_publish_button_refuses_a_page_that_would_show_korean_and_publishes_titles_and_html(
    tmp_path: Path,
) -> None:
    """The publish gate through the page: Korean in a shortcode parameter nobody configured is named with
    its line; once configured, the titles, HTML text and attributes and the parameter are all translated."""
    article = (
        '[예약](/book "온라인 예약") 페이지에서 신청하세요.\n\n'
        '<div title="안내"><p>첫 상담은 무료입니다.</p><img src="/l.jpg" alt="레이저 장비"></div>\n\n'
        '{{< notice title="시술 당일 주의" >}}\n'
    )
    root = make_project(tmp_path / "site", articles={"book": article})
    project = Project.open(root)
    extract(project)

    def translate_all() -> None:
        path = project.po_path("en", "book")
        po = polib.pofile(str(path))
        for po_entry in po:
            po_entry.msgstr = {
                '[예약](/book "온라인 예약") 페이지에서 신청하세요.': (
                    'Apply on the [booking](/book "온라인 예약") page.'
                ),
                "온라인 예약": "Online booking",
                "예약": "booking",
                "안내": "Information",
                "첫 상담은 무료입니다.": "The first consultation is free.",
                "레이저 장비": "Laser device",
                "시술 당일 주의": "On the day of the procedure",
            }[po_entry.msgid]
        po.save(str(path))
        approve(project, None, lang="en", article="book", force=True, reviewer="Kim")

    translate_all()
    web, token = reviewer_client(project)
    response = web.post("/publish", data={"article": "book", "lang": "en", "csrf": token})
    assert response.status_code == 409
    assert "Not published: line 10: untranslated-korean" in response.text  # the page's line (front matter added)
    assert "시술 당일 주의 (parameter title of the shortcode notice)" in response.text
    assert not (root / "content" / "en" / "book.md").exists()

    (root / "pyproject.toml").write_text('[tool.translate]\n[tool.translate.shortcodes]\nnotice = ["title"]\n')
    project = Project.open(root)
    extract(project)
    translate_all()
    web, token = reviewer_client(project)
    response = web.post("/publish", data={"article": "book", "lang": "en", "csrf": token})
    assert response.status_code == 200 and "Published content/en/book.md" in response.text
    page = (root / "content" / "en" / "book.md").read_text(encoding="utf-8")
    assert not re.search("[\uac00-\ud7a3]", page), page
    assert '[booking](/book "Online booking")' in page
    html = '<div title="Information"><p>The first consultation is free.</p><img src="/l.jpg" alt="Laser device">'
    assert html in page
    assert '{{< notice title="On the day of the procedure" >}}' in page


def test_a_finding_is_dismissed_on_the_page_with_a_reason_and_the_draft_then_approves(project: Project) -> None:
    web, token = reviewer_client(project)
    segment = item_id(project, "시술")
    params = {"in": SLUG, "to": "en", "id": segment}
    panel = web.get("/panel", params=params).text
    assert re.search(r'name="decision" value="dismiss">.*?name="finding" value="numbers"', panel, re.S)
    version = version_in(panel)

    unexplained = decide(web, token, segment, "dismiss", version, finding="numbers", reason=" ")
    assert unexplained.status_code == 422 and "say why the finding is wrong here" in unexplained.text
    absent = decide(web, token, segment, "dismiss", version, finding="markup", reason="fine")
    assert (
        absent.status_code == 422 and "has no markup finding on its current text (its findings: numbers)" in absent.text
    )
    assert "dismissed" not in review_entry(project, "시술").tcomment  # nothing was written

    done = decide(web, token, segment, "dismiss", version, finding="numbers", reason="20 is what the clinic says now")
    assert done.status_code == 200 and "Dismissed the numbers finding" in done.text
    kept = review_entry(project, "시술")
    assert kept.fuzzy and "[error] numbers" in kept.comment  # the state and the finding stay, settled
    event = history.parse(kept.tcomment.splitlines()[-1])
    assert (event.action, event.who, event.over, event.reason) == (
        "dismissed",
        "Kim",
        ("numbers",),
        "20 is what the clinic says now",
    )
    assert event.text == text_hash(kept.msgstr)
    panel = web.get("/panel", params=params).text
    assert 'class="dismissed" data-check="numbers"' in panel and "dismissed by Kim on " in panel
    assert ": 20 is what the clinic says now" in panel and 'value="dismiss"' not in panel  # no second Dismiss button
    assert "<li>dismissed by Kim on " in panel  # and the history says who and why

    stale = decide(web, token, segment, "approve", version)  # the page opened before the dismissal
    assert stale.status_code == 409
    approved = decide(web, token, segment, "approve", version_in(panel))  # no override needed now
    assert approved.status_code == 200 and "Approved." in approved.text
    last = history.parse(review_entry(project, "시술").tcomment.splitlines()[-1])
    assert last.approval and last.over == ()
