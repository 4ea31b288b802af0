"""Elasticsearch 8/9 for large archives: searches through an alias, rebuilt behind it and swapped.

The alias (SIJILL_ELASTICSEARCH["index"], default "sijill-documents") always names one complete index.
A full reindex fills a new index, `<alias>-<time>`, while searches go on against the old one, then moves
the alias in one step and drops the old index; changes announced meanwhile are written to both. The
access copy of a reclassified document is written with an immediate refresh, so the next search applies
it; if that write fails, search.sync hides the document (read live here, like the user's assignments).
"""

import uuid

from django.db.models import Q as DjangoQ
from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError, helpers

from records import access
from records.models import Assignment, Mark
from search.backends.base import MAX_AUDITED_CASES, BaseSearchBackend, Hit, Results
from search.backends.elasticsearch import mapping
from search.backends.elasticsearch.compiler import AccessTerms, ElasticsearchCompiler
from search.models import PendingDocument, ReindexRun

DEFAULT_ALIAS = "sijill-documents"
BULK_CHUNK = 200


def access_terms(reach):
    """records.access's rule for `reach`, with their assignments and the marks outside their clearance
    read now, and the documents search.sync has hidden."""
    who = DjangoQ(user_id=reach.user_id) if reach.user_id else DjangoQ(pk__in=[])
    if reach.group_ids:
        who |= DjangoQ(group_id__in=reach.group_ids)
    assigned_levels = tuple(level for level in reach.levels if level in access.NEEDS_ASSIGNMENT)
    cases = tuple(Assignment.objects.filter(who).values_list("case_id", flat=True).distinct()) if assigned_levels else ()
    return AccessTerms(
        open_levels=tuple(level for level in reach.levels if level not in access.NEEDS_ASSIGNMENT),
        assigned_levels=assigned_levels,
        assigned_case_ids=cases,
        excluded_mark_ids=tuple(Mark.objects.exclude(pk__in=reach.mark_ids).order_by("pk").values_list("pk", flat=True)),
        hidden_document_ids=tuple(PendingDocument.objects.filter(hidden=True).values_list("document_id", flat=True)),
    )


def source(entry):
    """The Elasticsearch document of a DocumentEntry: its copy of records' fields, and its pages."""
    languages = [code for code in entry.languages if code in mapping.LANGUAGE_FIELDS]
    return {
        "document_id": str(entry.document_id),
        "version_id": str(entry.version_id) if entry.version_id else None,
        "case_id": str(entry.case_id) if entry.case_id else None,
        "court_id": entry.court_id,
        "case_type_id": entry.case_type_id,
        "kind": entry.kind,
        "languages": list(entry.languages),
        "year": entry.year,
        "date": entry.date.isoformat() if entry.date else None,
        "title": entry.title,
        "level": entry.level,
        "marks": list(entry.mark_ids),
        "stamp": entry.stamp,
        "pages": [
            {"number": number, "text": text, **{mapping.stemmed_field(code): text for code in languages}}
            for number, text in entry.pages
        ],
    }


class ElasticsearchBackend(BaseSearchBackend):
    name = "elasticsearch"
    supports_stemming = True

    def __init__(self, options=None):
        super().__init__(options)
        self.alias = self.options.get("index") or DEFAULT_ALIAS
        # Access copies are visible to the next search; text may wait for the next periodic refresh.
        self.refresh_access = self.options.get("refresh_access", True)
        self.refresh_text = self.options.get("refresh_text", False)
        self.compiler = ElasticsearchCompiler()
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = Elasticsearch(self.options["url"], request_timeout=self.options.get("timeout", 30))
        return self._client

    # Searching ------------------------------------------------------------------------------------------

    def build(self, request, reach):
        """The search body for `request` by someone with `reach` (what tests check without a server)."""
        return self.compiler.search(request, access_terms(reach), audited_cases=MAX_AUDITED_CASES).to_dict()

    def _search(self, request, reach):
        if request.filters.none:
            return Results(facets={name: {} for name in request.facets})
        answer = self.client.search(index=self.alias, body=self.build(request, reach))
        hits = []
        ranked = request.ranked
        for hit in answer["hits"]["hits"]:
            inner = hit.get("inner_hits", {}).get("pages", {}).get("hits", {}).get("hits", [])
            hits.append(
                Hit(
                    document_id=uuid.UUID(hit["_source"]["document_id"]),
                    case_id=uuid.UUID(hit["_source"]["case_id"]) if hit["_source"].get("case_id") else None,
                    score=hit.get("_score") if ranked else None,
                    pages=[page["_source"]["number"] for page in inner],
                )
            )
        aggregations = answer.get("aggregations", {})
        facets = {
            name: {bucket["key"]: bucket["doc_count"] for bucket in aggregations.get(name, {}).get("buckets", [])}
            for name in request.facets
        }
        cases = [bucket["key"] for bucket in aggregations.get("cases", {}).get("ids", {}).get("buckets", [])]
        return Results(count=answer["hits"]["total"]["value"], facets=facets, hits=hits, case_ids=cases)

    # The index and its alias ----------------------------------------------------------------------------

    def create(self, name=None):
        """Create a concrete index (and point the alias at it when the alias is new); returns its name."""
        name = name or f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        self.client.indices.create(index=name, **mapping.body())
        if not self.client.indices.exists_alias(name=self.alias):
            self.client.indices.put_alias(index=name, name=self.alias)
        return name

    def drop(self):
        """Delete every index behind the alias (tests, and `reindex --drop`)."""
        try:
            names = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return
        for name in names:
            self.client.indices.delete(index=name)

    def _targets(self):
        """Where writes go: the alias, and a rebuild's new index while one is under way."""
        targets = [self.alias]
        building = ReindexRun.objects.filter(backend=self.name, finished_at__isnull=True).exclude(target="")
        targets += list(building.values_list("target", flat=True).distinct())
        return targets

    def begin_rebuild(self, run):
        return self.create()

    def finish_rebuild(self, run, indexed_ids=None):
        """Move the alias to the rebuilt index in one step, and drop the index it named before."""
        try:
            previous = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            previous = []
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in previous if name != run.target]
        actions.append({"add": {"index": run.target, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for name in previous:
            if name != run.target:
                self.client.indices.delete(index=name)

    # Writing --------------------------------------------------------------------------------------------

    def index(self, entries, target=None):
        entries = list(entries)
        actions = [
            {"_op_type": "index", "_index": name, "_id": str(entry.document_id), "_source": source(entry)}
            for name in ([target] if target else self._targets())
            for entry in entries
        ]
        if actions:
            helpers.bulk(self.client, actions, chunk_size=BULK_CHUNK, refresh=self.refresh_text)

    def update_access(self, entries):
        actions = []
        for target in self._targets():
            for entry in entries:
                described = source(entry)
                described.pop("pages")
                described.pop("stamp")
                actions.append({"_op_type": "update", "_index": target, "_id": str(entry.document_id), "doc": described})
        if actions:
            _written, errors = helpers.bulk(self.client, actions, refresh=self.refresh_access, raise_on_error=False)
            # A document not yet in the index has nothing to update: its indexing will write it whole. Any
            # other failure must be raised, so search.sync hides the document rather than leave it as it was.
            failed = [error for error in errors if error.get("update", {}).get("status") != 404]
            if failed:
                raise RuntimeError(f"Elasticsearch refused {len(failed)} access updates, the first: {failed[0]}")

    def remove(self, document_ids):
        actions = [
            {"_op_type": "delete", "_index": target, "_id": str(document_id)}
            for target in self._targets()
            for document_id in document_ids
        ]
        if actions:
            helpers.bulk(self.client, actions, refresh=self.refresh_access, raise_on_error=False)

    def stamps(self, document_ids=None):
        if document_ids is not None:
            ids = [str(pk) for pk in document_ids]
            if not ids:
                return {}
            found = self.client.mget(index=self.alias, ids=ids, source=["stamp"])["docs"]
            return {uuid.UUID(doc["_id"]): doc["_source"].get("stamp", "") for doc in found if doc.get("found")}
        return (
            (uuid.UUID(hit["_id"]), hit["_source"].get("stamp", ""))
            for hit in helpers.scan(self.client, index=self.alias, query={"_source": ["stamp"]}, size=2000)
        )

    def reset(self):
        self.client.delete_by_query(index=self.alias, body={"query": {"match_all": {}}}, refresh=True, conflicts="proceed")
