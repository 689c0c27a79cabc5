#!/usr/bin/env python3
"""Buckets the samples of `perf script -F tid,ip,sym` (bench/profile_library.sh) by the stage
of the library page they belong to: the innermost stage function found in the call chain wins,
so that, e.g., SQLite called by the referential look-ups counts as look-ups.

    python3 bench/profile_stages.py PERF_SCRIPT_OUTPUT
"""
import collections
import sys

# (stage, markers): a sample belongs to the first stage whose marker appears in its chain,
# the chain read from the leaf up; the order below breaks ties within one frame.
STAGES = [
    ("search: facet counting (FacetCounter, in-memory columns)", ["vigie::search::FacetCounter::"]),
    ("search: French lexicon (Hunspell: lemmas, is_word, suggestions)", ["vigie::search::FrenchLexicon::", "Hunspell::"]),
    ("search: spelling suggestions from the index", ["Xapian::Database::get_spelling_suggestion"]),
    ("search: Xapian match (posting lists, positions, weights, reads)", ["Xapian::Enquire::get_mset", "Xapian::Enquire::Internal::get_mset"]),
    ("search: query analysis and the rest", ["vigie::search::SearchIndex::search"]),
    ("read the 20 fiches (SqliteUseCaseStore::get or ::cards)", ["vigie::store::sqlite::SqliteUseCaseStore::get", "vigie::store::sqlite::SqliteUseCaseStore::cards"]),
    ("referential look-ups (RequestDirectory::find: owners, départements, régions)", ["vigie::pages::RequestDirectory::find", "vigie::store::sqlite::SqliteDirectory::find"]),
    ("map panel (library_map, SVG)", ["vigie::pages::library_map"]),
    ("result cards (card_view, highlight_html)", ["vigie::pages::card_view", "vigie::search::highlight_html"]),
    ("templates: JSON view -> mustache data (to_data)", ["vigie::pages::(anonymous namespace)::to_data"]),
    ("templates: mustache parse + render", ["vigie::pages::Templates::render", "vigie::pages::Site::render"]),
    ("gzip (zlib)", ["deflate", "vigie::web::gzip"]),
    ("library page: facet options, links, view JSON, the rest", ["vigie::pages::Site::library"]),
    ("HTTP: parse, route, write (Beast, kernel send)", ["vigie::web::", "boost::beast::", "boost::asio::"]),
]


def stage_of(chain):
    for frame in chain:  # leaf first
        for name, markers in STAGES:
            if any(frame.startswith(marker) or marker in frame for marker in markers):
                return name
    return "other (idle threads, start-up, unknown frames)"


def main(path):
    counts = collections.Counter()
    kernel_in = collections.Counter()
    chain = []
    total = 0

    def flush():
        nonlocal total
        if not chain:
            return
        total += 1
        stage = stage_of(chain)
        counts[stage] += 1
        if chain[0].startswith("[k]") or chain[0] in ("[unknown]",):
            kernel_in[stage] += 1

    with open(path, errors="replace") as lines:
        for line in lines:
            if not line.strip():
                flush()
                chain = []
                continue
            if not line.startswith(("\t", " ")) or line.startswith("  ") and not line.startswith("\t") and line.strip().isdigit():
                continue  # the thread id line
            parts = line.strip().split(" ", 1)
            chain.append(parts[1] if len(parts) > 1 else parts[0])
        flush()
    order = [name for name, _ in STAGES] + ["other (idle threads, start-up, unknown frames)"]
    print(f"{total} samples\n")
    print("| stage | share of server CPU |\n|---|---|")
    for name in order:
        if counts[name]:
            print(f"| {name} | {100.0 * counts[name] / total:.1f} % |")


if __name__ == "__main__":
    main(sys.argv[1])
