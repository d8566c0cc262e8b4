"""The DeepL imitation of tests/mt_server.py with DeepL's glossary API (v2).

``GET /deepl/v2/glossaries`` lists, ``POST`` creates (a form: name, source_lang, target_lang,
entries as TSV, entries_format), ``DELETE /deepl/v2/glossaries/<id>`` deletes. A translation with
``glossary_id`` replaces each glossary source term in the text by its target before translating
(as DeepL would enforce it); with ``tag_handling=xml`` tags pass through untouched. ``glossary_limit``
answers 456 once that many glossaries exist, as an account at its limit does.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from tests.mt_server import LibreServer, Received, Scripted, _Answer, _Handler, _json


class _DeleteHandler(_Handler):
    def do_DELETE(self) -> None:
        self._handle()


class DeeplServer(LibreServer):
    handler = _DeleteHandler

    def __init__(self, *, api_key: str = "deepl-key", glossary_limit: int | None = None, **kwargs: Any) -> None:
        super().__init__(api_key=api_key, **kwargs)
        self.glossaries: dict[str, dict[str, Any]] = {}
        self.glossary_limit = glossary_limit
        self._ids = itertools.count(1)

    def _route(self, request: Received, scripted: Scripted | None) -> _Answer:
        if request.path.startswith("/deepl/v2/glossaries") and scripted is None:
            if request.headers.get("Authorization") != f"DeepL-Auth-Key {self.api_key}":
                return _json(403, {"message": "Wrong endpoint or key"})
            return self._glossaries(request)
        return super()._route(request, scripted)

    def _glossaries(self, request: Received) -> _Answer:
        if request.method == "GET":
            return _json(
                200, {"glossaries": [{k: v for k, v in g.items() if k != "pairs"} for g in self.glossaries.values()]}
            )
        if request.method == "DELETE":
            glossary_id = request.path.rsplit("/", 1)[-1]
            if self.glossaries.pop(glossary_id, None) is None:
                return _json(404, {"message": "Not found"})
            return _Answer(204, "text/plain", b"")
        if self.glossary_limit is not None and len(self.glossaries) >= self.glossary_limit:
            return _json(456, {"message": "Quota for this billing period has been exceeded"})
        params = request.params
        pairs = [line.split("\t") for line in params["entries"].splitlines() if line]
        if params.get("entries_format") != "tsv" or any(len(p) != 2 or not p[0] or not p[1] for p in pairs):
            return _json(400, {"message": "Invalid glossary entries provided"})
        glossary_id = f"g-{next(self._ids)}"
        self.glossaries[glossary_id] = {
            "glossary_id": glossary_id,
            "name": params["name"],
            "ready": True,
            "source_lang": params["source_lang"],
            "target_lang": params["target_lang"],
            "entry_count": len(pairs),
            "pairs": dict((s, t) for s, t in pairs),
        }
        return _json(201, {k: v for k, v in self.glossaries[glossary_id].items() if k != "pairs"})

    def _deepl(self, request: Received) -> _Answer:
        glossary_id = request.params.get("glossary_id")
        if glossary_id:
            glossary = self.glossaries.get(glossary_id)
            if glossary is None:
                return _json(404, {"message": "Glossary not found"})
            text = request.params["text"]
            for source, target in sorted(glossary["pairs"].items(), key=lambda p: -len(p[0])):
                text = text.replace(source, f" {target} ")
            request = replace(request, params={**request.params, "text": " ".join(text.split())})
        return super()._deepl(request)
