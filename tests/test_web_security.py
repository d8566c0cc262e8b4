"""The review page off loopback (issue 17): weak tokens, wrong-token limits, redirects, the version
rule, encoded slugs, per-reviewer tokens, names that cannot break a PO line, and the glossary read once."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import polib
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from tests.helpers import REVIEW_SLUG as SLUG
from tests.helpers import (
    csrf_of,
    decide,
    item_id,
    make_project,
    make_review_project,
    review_entry,
    reviewer_client,
    version_in,
)
from translate import history
from translate.cli import app as cli_app
from translate.extract import extract
from translate.glossary import loader as glossary_module
from translate.project import Project
from translate.review import approve, queue
from translate.reviewers import REVIEWERS_FILE
from translate.web import FAILED_TOKENS_ALLOWED, REVIEWER_COOKIE, TOKEN_COOKIE, create_app

SHARED = "shared-token-for-one-person"
REMOTE = "http://192.0.2.1:8765"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_review_project(tmp_path / "site")


def remote(project: Project, address: str = "198.51.100.7") -> TestClient:
    """A browser on another machine, talking to a server started with the shared token."""
    return TestClient(create_app(project, token=SHARED), base_url=REMOTE, client=(address, 50000))


def serve(runner: CliRunner, project: Project, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(cli_app, ["--root", str(project.root), "serve", *args], env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    started: list[dict[str, object]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: started.append(kw))
    return started


# --- tokens ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("weak", [" ", "a", "", "short-token", "aaaaaaaaaaaaaaaaaaaaaaaa", "sixteen chars ok"])
def test_a_weak_token_is_refused_with_the_minimum(
    project: Project, runner: CliRunner, no_server: list[dict[str, object]], weak: str
) -> None:
    code, output = serve(runner, project, "--host", "0.0.0.0", "--token", weak)
    assert code == 2 and "too weak" in output and "Traceback" not in output
    code, output = serve(runner, project, "--host", "0.0.0.0", env={"TRANSLATE_TOKEN": weak} if weak else None)
    assert code == (2 if weak else 0)
    if weak:
        assert "too weak" in output
    assert len(no_server) == (0 if weak else 1)  # nothing listened with a weak token


def test_the_minimum_is_said_and_a_strong_token_is_printed_url_encoded(
    project: Project, runner: CliRunner, no_server: list[dict[str, object]]
) -> None:
    code, output = serve(runner, project, "--host", "0.0.0.0", "--token", "x")
    assert code == 2 and "it has 1 characters; it needs at least 16" in output
    code, output = serve(runner, project, "--host", "0.0.0.0", "--token", "Strong&Random#Token?42")
    assert code == 0 and "?token=Strong%26Random%23Token%3F42" in output and no_server


def test_wrong_tokens_are_limited_per_client_address(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr("translate.web.security.time.monotonic", lambda: clock[0])
    app = create_app(project, token=SHARED)
    guesser = TestClient(app, base_url=REMOTE, client=("198.51.100.7", 50000))
    for attempt in range(FAILED_TOKENS_ALLOWED - 1):
        assert (
            guesser.get("/", params={"token": f"guess-{attempt:03d}-padding"}, follow_redirects=False).status_code
            == 401
        )
    limited = guesser.get("/", headers={"Authorization": "Bearer another-guess-padding"})
    assert limited.status_code == 429 and limited.headers["retry-after"] == "60" and "wait a minute" in limited.text
    assert guesser.get("/", params={"token": SHARED}, follow_redirects=False).status_code == 429  # even the right one
    colleague = TestClient(app, base_url=REMOTE, client=("198.51.100.8", 50000))
    assert colleague.get("/", params={"token": SHARED}, follow_redirects=False).status_code == 303
    assert colleague.get("/").status_code == 200
    clock[0] += 61
    assert guesser.get("/", params={"token": SHARED}, follow_redirects=False).status_code == 303
    assert guesser.get("/").status_code == 200
    # requests without any token are 401 and do not count as guesses
    stranger = TestClient(app, base_url=REMOTE, client=("198.51.100.9", 50000))
    assert all(stranger.get("/").status_code == 401 for _ in range(FAILED_TOKENS_ALLOWED + 2))


def test_the_token_redirect_stays_on_the_site(project: Project) -> None:
    web = remote(project)
    for path, expected in [
        ("//evil.example/", "/evil.example/"),
        ("//evil.example/?state=all", "/evil.example/?state=all"),
        ("/\\evil.example/", "/%5Cevil.example/"),
        ("/?state=all", "/?state=all"),
    ]:
        response = web.get(f"{REMOTE}{path}{'&' if '?' in path else '?'}token={SHARED}", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == expected, path


def test_the_name_forms_back_link_stays_on_the_site(project: Project) -> None:
    web, token = reviewer_client(project)
    for back in (
        "//evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
        "\t//evil.example",
        "/\t/evil.example",
    ):
        response = web.post("/reviewer", data={"name": "Kim", "csrf": token, "back": back}, follow_redirects=False)
        location = response.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\", "/\t")), back


# --- decisions --------------------------------------------------------------------------------------


def test_a_decision_without_the_version_seen_is_refused(project: Project) -> None:
    segment = item_id(project, "엠페이스 리프팅의")
    approve(project, [segment], lang="en", article=SLUG, reviewer="Kim")
    web, token = reviewer_client(project, "Lee")
    data = {"csrf": token, "in": SLUG, "to": "en", "id": segment}
    for decision, extra in [("reject", {"reason": "no"}), ("edit", {"text": "Overwritten without looking."})]:
        response = web.post(
            "/decide", data={**data, "decision": decision, **extra}, headers={"X-Requested-With": "fetch"}
        )
        assert response.status_code == 422 and "reload the page" in response.text
        response = web.post(
            "/decide",
            data={**data, "decision": decision, "version": "", **extra},
            headers={"X-Requested-With": "fetch"},
        )
        assert response.status_code == 422
    kept = review_entry(project, "엠페이스 리프팅의")
    assert not kept.fuzzy and kept.msgstr == "Features of Emface lifting" and "Lee" not in kept.tcomment


def test_slugs_with_question_marks_and_hashes_are_encoded_in_links(tmp_path: Path) -> None:
    slug = "faq?q=1#top 100%"
    root = make_project(tmp_path / "site", articles={slug: "피부과 전문의가 직접 상담합니다.\n"})
    project = Project.open(root)
    extract(project)
    web, _ = reviewer_client(project)
    page = web.get("/", params={"state": "untranslated"}).text
    encoded = "/article/faq%3Fq%3D1%23top%20100%25"
    assert f'href="{encoded}?lang=en' in page
    article = web.get(encoded, params={"lang": "en"})
    assert article.status_code == 200 and "피부과 전문의가 직접 상담합니다." in article.text
    [item] = queue(project)
    panel = web.get("/panel", params={"in": slug, "to": "en", "id": item.id}).text
    assert f'href="{encoded}?lang=en&amp;id={item.id}"' in panel


def test_a_reviewer_cookie_cannot_break_a_po_line(project: Project) -> None:
    web, token = reviewer_client(project)
    evil = "Kim%E2%80%A8msgid%20%22injected%22%E2%80%A8msgstr%20%22x%22%1B%5B2J"
    web.cookies.clear()
    web.cookies.set(REVIEWER_COOKIE, evil)
    segment = item_id(project, "피부과")
    version = version_in(web.get("/panel", params={"in": SLUG, "to": "en", "id": segment}).text)
    response = decide(web, token, segment, "edit", version, text="A dermatologist consults you in person.")
    assert response.status_code == 200, response.text
    path = project.po_path("en", SLUG)
    text = path.read_text(encoding="utf-8")
    assert "\u2028" not in text and "\x1b" not in text
    others = polib.pofile(text)  # polib's own reader ends lines at U+2028 too
    assert "injected" not in {e.msgid for e in others}
    done = review_entry(project, "피부과")
    assert not done.fuzzy and history.parse(done.tcomment.split("\n")[-1]).who == 'Kim msgid "injected" msgstr "x" [2J'
    assert 'origin: edit:Kim msgid "injected" msgstr "x" [2J' in done.comment.split("\n")


# --- per-reviewer tokens ------------------------------------------------------------------------------


def add(runner: CliRunner, project: Project, name: str) -> str:
    code, output = serve(runner, project, "--add-reviewer", name)
    assert code == 0, output
    [token] = re.findall(r"^(\S{40,})$", output, re.MULTILINE)
    return token


def test_add_list_and_remove_reviewers_keep_only_hashes(project: Project, runner: CliRunner) -> None:
    kim = add(runner, project, "Kim")
    lee = add(runner, project, "Lee\u2028Jiwoo")
    assert kim != lee
    stored = (project.root / REVIEWERS_FILE).read_text(encoding="utf-8")
    assert kim not in stored and lee not in stored
    data = tomllib.loads(stored)
    assert [r["name"] for r in data["reviewer"]] == ["Kim", "Lee Jiwoo"]
    assert all(len(r["sha256"]) == 64 for r in data["reviewer"])
    code, output = serve(runner, project, "--list-reviewers")
    assert code == 0 and "Kim  (added " in output and "Lee Jiwoo" in output and kim not in output
    code, output = serve(runner, project, "--add-reviewer", "kim")
    assert code == 2 and "already has a token" in output and "--remove-reviewer" in output
    code, output = serve(runner, project, "--add-reviewer", "\u2028")
    assert code == 2 and "name is empty" in output
    code, output = serve(runner, project, "--remove-reviewer", "Kim")
    assert code == 0 and "Removed Kim's access token" in output
    code, output = serve(runner, project, "--remove-reviewer", "Park")
    assert code == 2 and "no reviewer named Park" in output and "Lee Jiwoo" in output
    assert [r["name"] for r in tomllib.loads((project.root / REVIEWERS_FILE).read_text())["reviewer"]] == ["Lee Jiwoo"]


def test_decisions_with_a_reviewers_token_are_recorded_under_its_name(project: Project, runner: CliRunner) -> None:
    kim = add(runner, project, "Kim")
    web = remote(project)
    first = web.get("/", params={"token": kim}, follow_redirects=False)
    assert first.status_code == 303 and web.cookies.get(TOKEN_COOKIE) == kim
    page = web.get("/").text
    assert 'id="who-fixed"' in page and "<b>Kim</b>" in page and 'id="reviewer-name"' not in page
    token = csrf_of(page)
    web.cookies.set(REVIEWER_COOKIE, "Mallory")  # the name the browser sends is ignored
    refused = web.post("/reviewer", data={"name": "Mallory", "csrf": token}, follow_redirects=False)
    assert refused.status_code == 303 and "Mallory" not in web.get("/").text
    segment = item_id(project, "엠페이스 리프팅의")
    version = version_in(web.get("/panel", params={"in": SLUG, "to": "en", "id": segment}).text)
    assert decide(web, token, segment, "approve", version).status_code == 200
    last = history.parse(review_entry(project, "엠페이스 리프팅의").tcomment.split("\n")[-1])
    assert last.who == "Kim"

    # the shared token stays, for one person, who names themselves
    shared, shared_csrf = remote(project, "198.51.100.20"), ""
    assert shared.get("/", params={"token": SHARED}, follow_redirects=False).status_code == 303
    shared_csrf = csrf_of(shared.get("/").text)
    shared.post("/reviewer", data={"name": "Park", "csrf": shared_csrf}, follow_redirects=False)
    other = item_id(project, "피부과")
    version = version_in(shared.get("/panel", params={"in": SLUG, "to": "en", "id": other}).text)
    assert decide(shared, shared_csrf, other, "reject", version, reason="Say who consults.").status_code == 200
    assert "rejected by Park" in review_entry(project, "피부과").tcomment

    # a removed reviewer's open page is refused from the next request on
    serve(runner, project, "--remove-reviewer", "Kim")
    assert web.get("/").status_code == 401


def test_a_reviewer_token_opens_the_page_on_loopback_too_and_names_the_reviewer(
    project: Project, runner: CliRunner
) -> None:
    lee = add(runner, project, "Lee")
    web = TestClient(create_app(project, allowed_hosts={"127.0.0.1"}), base_url="http://127.0.0.1:8765")
    assert web.get("/", params={"token": lee}, follow_redirects=False).status_code == 303
    assert "<b>Lee</b>" in web.get("/").text


def test_a_damaged_reviewers_file_is_reported_before_serving(
    project: Project, runner: CliRunner, no_server: list[dict[str, object]]
) -> None:
    path = project.root / REVIEWERS_FILE
    path.parent.mkdir(parents=True)
    path.write_text('[[reviewer]]\nname = "Kim"\nsha256 = "abc"\n', encoding="utf-8")
    code, output = serve(runner, project, "--host", "0.0.0.0")
    assert code == 2 and REVIEWERS_FILE in output and "add the reviewer again" in output and not no_server
    path.write_text("[[reviewer]\n", encoding="utf-8")
    code, output = serve(runner, project, "--list-reviewers")
    assert code == 2 and "not valid TOML" in output


# --- the glossary, parsed once per serve process ------------------------------------------------


def test_the_glossary_is_parsed_once_and_again_only_when_it_changes(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[Path] = []
    parse = glossary_module.parse_glossary

    def counting(text: str, path: Path, *args: object, **kwargs: object) -> glossary_module.Glossary:
        parsed.append(path)
        return parse(text, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(glossary_module, "parse_glossary", counting)
    monkeypatch.setattr(glossary_module, "_cache", {})
    monkeypatch.setattr(glossary_module, "_RACY_SECONDS", -1.0)  # as if glossary.yaml were written long ago
    web, token = reviewer_client(project)
    segment = item_id(project, "엠페이스 리프팅의")
    params = {"in": SLUG, "to": "en", "id": segment}
    for _ in range(3):
        web.get("/panel", params=params)
    other = item_id(project, "시술")
    version = version_in(web.get("/panel", params={**params, "id": other}).text)
    assert decide(web, token, other, "edit", version, text="The procedure takes about 30 minutes.").status_code == 200
    assert len(parsed) == 1
    path = project.glossary_path
    path.write_text(path.read_text(encoding="utf-8").replace("en: Emface", "en: EMFACE"), encoding="utf-8")
    assert 'title="EMFACE">엠페이스</mark>' in web.get("/panel", params=params).text
    web.get("/panel", params=params)
    assert len(parsed) == 2


def test_a_glossary_written_moments_ago_is_read_every_time(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glossary_module, "_cache", {})
    path = project.glossary_path
    first = glossary_module.cached_glossary(path, "ko", ["en"])
    path.write_text(path.read_text(encoding="utf-8").replace("en: Emface", "en: EMFACX"), encoding="utf-8")
    [match] = [m for m in glossary_module.cached_glossary(path, "ko", ["en"]).find("엠페이스")]
    assert match.term.target_for("en") == "EMFACX" and first is not None
