#!/usr/bin/env python3
"""Validates the search-quality evaluation set (documents.jsonl, queries.jsonl) next to this script.

Checks, and exits 1 if any fails:
  - every line is a JSON object with the expected fields; ids are unique and well formed;
  - every relevant (and distractor) id names an existing document; grades are 1 or 2;
  - every query has at least one grade-2 document;
  - paraphrase, synonym and concept queries share no content word with any of their grade-2 documents
    (stop words ignored, simple plurals and inflections folded: "dogs", "dogged" and "dog" are one word);
  - keyword queries do share a content word with each grade-2 document (else keyword search has nothing to find);
  - an exact query's text (a code, file name or name) occurs verbatim, ignoring case and not inside a longer word, in
    each of its grade-2 documents and in no document that is not labelled relevant: it identifies what it asks for;
  - a listed distractor is not labelled relevant and does share a content word with its query.

Reports, without failing: counts per topic and kind, mean relevant documents per query, the long documents,
word parts shared with grade-2 documents ("wall"/"drywall"), words shared with grade-1 documents and, for
multilingual queries, words shared across languages.

Standard library only: python3 bench/search-quality/data/check_set.py
"""
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ("paraphrase", "synonym", "concept", "multilingual", "keyword", "exact")
NO_SHARED_WORDS = ("paraphrase", "synonym", "concept")
LONG_WORDS = 300

STOP_WORDS = frozenset("""
a about above across after afterwards again against all almost also although always am among an and any anyway are
around as at be because been before being below between both but by can cannot could did didn do does doesn doing
don down during each either else even ever every for from further had has hasn have having he her here hers
herself him himself his how however i if in into is isn it its itself just least less ll many may me might mine
more most much must my myself neither never no nor not now of off on once only onto or other others our ours
ourselves out over per please rather re s shall she should since so some still such t than that the their
theirs them themselves then there these they this those though through thus to too toward towards under until up
upon us ve very via was we were what whatever when where whether which while who whom whose why will with within
without won would yet you your yours yourself yourselves
""".split())

TOKEN = re.compile(r"[^\W_]+")  # runs of letters and digits, as the hashing embedder splits words


def stem(word):
    """Crude folding of English inflections: plurals, -ed, -ing and a final e ("bake", "baked", "baking" -> "bak")."""
    for _ in range(2):  # "strings" -> "string" -> "str", like "string"
        before = word
        if len(word) > 4 and word.endswith(("ies", "ied")):
            word = word[:-3] + "y"
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if not word.endswith(suffix) or len(word) - len(suffix) < 3:
                continue
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: -len(suffix)]
            if suffix in ("ing", "ed") and len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "stopped" -> "stop", "running" -> "run"
            break
        if word == before:
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def content_words(text):
    """Maps each folded content word of the text to the first surface form it came from."""
    words = {}
    for token in TOKEN.findall(text.lower()):
        if len(token) < 2 or token in STOP_WORDS:
            continue
        words.setdefault(stem(token), token)
    return words


def load_jsonl(name, errors):
    rows = []
    path = os.path.join(HERE, name)
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                errors.append(f"{name}:{number}: empty line")
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{name}:{number}: not JSON ({e})")
                continue
            if not isinstance(row, dict):
                errors.append(f"{name}:{number}: not a JSON object")
                continue
            rows.append((number, row))
    return rows


def word_parts(a, b):
    """Pairs of different content words where one contains the other or both start alike ("wall"/"drywall",
    "permit"/"permission"): not the same word for the check, but worth a look, and the hashing embedder's
    character trigrams see them."""
    wa, wb = set(content_words(a).values()), set(content_words(b).values())
    pairs = set()
    for x in wa:
        for y in wb:
            if stem(x) == stem(y) or min(len(x), len(y)) < 4:
                continue
            if x in y or y in x or x[:5] == y[:5]:
                pairs.add(f"{x}/{y}")
    return sorted(pairs)


def contains_verbatim(text, phrase):
    """Whether the phrase occurs in the text, ignoring case, with no letter or digit right before or after it."""
    return re.search(r"(?<![^\W_])" + re.escape(phrase.lower()) + r"(?![^\W_])", text.lower()) is not None


def shared(a, b):
    """Surface forms of the content words two texts share, as 'word' or 'query-form/doc-form'."""
    wa, wb = content_words(a), content_words(b)
    return sorted(wa[s] if wa[s] == wb[s] else f"{wa[s]}/{wb[s]}" for s in set(wa) & set(wb))


def main():
    errors = []
    docs = {}
    for number, row in load_jsonl("documents.jsonl", errors):
        where = f"documents.jsonl:{number}"
        if set(row) != {"id", "topic", "text"}:
            errors.append(f"{where}: fields must be id, topic, text (has {sorted(row)})")
        doc_id, topic, text = row.get("id"), row.get("topic"), row.get("text")
        if not isinstance(doc_id, str) or not re.fullmatch(r"d\d{3}", doc_id):
            errors.append(f"{where}: bad id {doc_id!r}")
            continue
        if doc_id in docs:
            errors.append(f"{where}: duplicate id {doc_id}")
        if not isinstance(topic, str) or not topic:
            errors.append(f"{where}: {doc_id} has no topic")
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{where}: {doc_id} has no text")
            continue
        docs[doc_id] = row

    queries = {}
    for number, row in load_jsonl("queries.jsonl", errors):
        where = f"queries.jsonl:{number}"
        allowed = {"id", "text", "kind", "relevant", "distractors"}
        if not {"id", "text", "kind", "relevant"} <= set(row) <= allowed:
            errors.append(f"{where}: fields must be id, text, kind, relevant[, distractors] (has {sorted(row)})")
        query_id = row.get("id")
        if not isinstance(query_id, str) or not re.fullmatch(r"q\d{3}", query_id):
            errors.append(f"{where}: bad id {query_id!r}")
            continue
        if query_id in queries:
            errors.append(f"{where}: duplicate id {query_id}")
        if not isinstance(row.get("text"), str) or not row["text"].strip():
            errors.append(f"{where}: {query_id} has no text")
            continue
        if row.get("kind") not in KINDS:
            errors.append(f"{where}: {query_id} kind {row.get('kind')!r} is not one of {', '.join(KINDS)}")
        relevant = row.get("relevant")
        if not isinstance(relevant, dict) or not relevant:
            errors.append(f"{where}: {query_id} relevant must be a non-empty object")
            continue
        for doc_id, grade in relevant.items():
            if doc_id not in docs:
                errors.append(f"{where}: {query_id} names unknown document {doc_id}")
            if grade not in (1, 2) or isinstance(grade, bool):
                errors.append(f"{where}: {query_id} grade of {doc_id} is {grade!r}, not 1 or 2")
        if 2 not in relevant.values():
            errors.append(f"{where}: {query_id} has no grade-2 document")
        distractors = row.get("distractors", [])
        if not isinstance(distractors, list):
            errors.append(f"{where}: {query_id} distractors must be a list")
            distractors = []
        for doc_id in distractors:
            if doc_id not in docs:
                errors.append(f"{where}: {query_id} names unknown distractor {doc_id}")
            elif doc_id in relevant:
                errors.append(f"{where}: {query_id} lists {doc_id} as relevant and as distractor")
            elif not shared(row["text"], docs[doc_id]["text"]):
                errors.append(f"{where}: {query_id} distractor {doc_id} shares no content word with the query")
        queries[query_id] = row

    overlaps, grade1_overlaps, cross_language, keyword_misses, parts = [], [], [], [], []
    exact_misses, exact_elsewhere = [], []
    lexical_traps = 0
    for query_id, q in queries.items():
        kind, text, relevant = q.get("kind"), q["text"], q["relevant"]
        for doc_id, grade in sorted(relevant.items()):
            if doc_id not in docs:
                continue
            words = shared(text, docs[doc_id]["text"])
            if kind in NO_SHARED_WORDS and grade == 2 and word_parts(text, docs[doc_id]["text"]):
                parts.append(f"  {query_id} / {doc_id}: {', '.join(word_parts(text, docs[doc_id]['text']))}")
            if kind in NO_SHARED_WORDS and grade == 2 and words:
                overlaps.append(f"  {query_id} ({kind}) '{text}' / {doc_id}: {', '.join(words)}")
            elif kind in NO_SHARED_WORDS and grade == 1 and words:
                grade1_overlaps.append(f"  {query_id} / {doc_id} (grade 1): {', '.join(words)}")
            elif kind == "multilingual" and words:
                cross_language.append(f"  {query_id} '{text}' / {doc_id}: {', '.join(words)}")
            elif kind == "keyword" and grade == 2 and not words:
                keyword_misses.append(f"  {query_id} '{text}' / {doc_id}")
        if kind == "exact":
            exact_misses += [f"  {query_id} '{text}' / {doc_id}" for doc_id, grade in sorted(relevant.items())
                             if grade == 2 and doc_id in docs and not contains_verbatim(docs[doc_id]["text"], text)]
            exact_elsewhere += [f"  {query_id} '{text}' / {doc_id}" for doc_id, d in docs.items()
                                if doc_id not in relevant and contains_verbatim(d["text"], text)]
        if kind in NO_SHARED_WORDS:
            if any(doc_id not in relevant and shared(text, d["text"]) for doc_id, d in docs.items()):
                lexical_traps += 1

    # Report.
    topics = Counter(d["topic"] for d in docs.values())
    lengths = sorted(len(d["text"].split()) for d in docs.values())
    long_docs = [f"{i} ({len(d['text'].split())} words)" for i, d in docs.items() if len(d["text"].split()) >= LONG_WORDS]
    kinds = Counter(q.get("kind") for q in queries.values())
    n_rel = [len(q["relevant"]) for q in queries.values()]
    n_two = [sum(1 for g in q["relevant"].values() if g == 2) for q in queries.values()]
    labelled = {d for q in queries.values() for d in q["relevant"]}
    distractor_count = sum(len(q.get("distractors", [])) for q in queries.values())
    no_shared = sum(kinds[k] for k in NO_SHARED_WORDS)

    print(f"documents: {len(docs)} in {len(topics)} topics; words per document: min {lengths[0]}, "
          f"median {lengths[len(lengths) // 2]}, max {lengths[-1]}")
    print("  topics: " + ", ".join(f"{t} {n}" for t, n in sorted(topics.items())))
    print(f"  long (>= {LONG_WORDS} words): {', '.join(long_docs) or 'none'}")
    print(f"  relevant to at least one query: {len(labelled)}; never relevant: {len(docs) - len(labelled)}")
    print(f"queries: {len(queries)}: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS))
    if queries:
        print(f"  relevant documents per query: mean {sum(n_rel) / len(n_rel):.2f} "
              f"(grade 2: {sum(n_two) / len(n_two):.2f}, grade 1: {(sum(n_rel) - sum(n_two)) / len(n_rel):.2f}), "
              f"max {max(n_rel)}")
    print(f"  paraphrase/synonym/concept queries with a lexical trap (a document that shares a word with the "
          f"query but is not relevant): {lexical_traps} of {no_shared}; hand-listed distractors: {distractor_count}")
    if parts:
        print(f"note: {len(parts)} no-shared-word pairs share a word part, not a word (allowed):")
        print("\n".join(parts))
    if grade1_overlaps:
        print(f"note: {len(grade1_overlaps)} grade-1 documents share words with a no-shared-word query (allowed):")
        print("\n".join(grade1_overlaps))
    if cross_language:
        print(f"note: {len(cross_language)} multilingual pairs share a word form across languages (allowed):")
        print("\n".join(cross_language))

    if overlaps:
        errors.append(f"{len(overlaps)} paraphrase/synonym/concept queries share content words with a grade-2 document:\n"
                      + "\n".join(overlaps))
    if keyword_misses:
        errors.append(f"{len(keyword_misses)} keyword queries share no word with a grade-2 document:\n"
                      + "\n".join(keyword_misses))
    if exact_misses:
        errors.append(f"{len(exact_misses)} exact queries do not occur verbatim in a grade-2 document:\n"
                      + "\n".join(exact_misses))
    if exact_elsewhere:
        errors.append(f"{len(exact_elsewhere)} exact queries occur verbatim in a document not labelled relevant:\n"
                      + "\n".join(exact_elsewhere))
    if errors:
        print(f"\nFAILED ({len(errors)} problems):")
        for e in errors:
            print(f"- {e}")
        return 1
    print("\nOK: ids unique, every relevant id exists, every query has a grade-2 document, "
          "no paraphrase/synonym/concept query shares a content word with its grade-2 documents, "
          "every exact query occurs verbatim in its grade-2 documents and in no unlabelled one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
