"""Label mapping measured on inline-XBRL filings: the filer's tag says which canonical line a row is, so each
distinct (row label, concept) of a tagged consolidated figure is a test of the label mapping.

    python -m eval labels FILE... [--md OUT]

For the synonym table alone and with the guarded embedding match (`qa.compute.labels`): labels mapped to the
line their tag names (right), to another line than their tag names (wrong), and mapped where the tag is none of
the standard lines' concepts (listed, to read: often a filer's own concept for the same line).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence


def label_pairs(paths: Sequence[str | Path]) -> tuple[dict[tuple[str, str | None], int], set[str]]:
    """(row label, the canonical line its concept carries or None) -> how many figures, over the tagged filings;
    and the row labels of the untagged ones (PDFs), whose mapping has no tag to check it by."""
    from corpus import load_filing
    from qa.figures.facts import FilingFacts
    from qa.vocabulary import LINE_ITEMS

    line_of_concept: dict[str, str] = {}
    for item in LINE_ITEMS.values():
        for concept in item.concepts:
            line_of_concept.setdefault(concept, item.name)
    pairs: dict[tuple[str, str | None], int] = {}
    untagged: set[str] = set()
    for path in paths:
        facts = FilingFacts.of(load_filing(path))
        if facts.tags is None:
            untagged |= {f.metric for f in facts.facts if f.source == "table" and f.metric and not f.segment}
        for fact in facts.facts:
            if fact.concept and not fact.dimensions and fact.metric:
                key = (" ".join(fact.metric.split()), line_of_concept.get(fact.concept.split(":")[-1]))
                pairs[key] = pairs.get(key, 0) + 1
    return pairs, untagged


# A filer with no noncontrolling interests may tag its "Total shareholders' equity" with the concept that includes
# them: the row is the parent's line all the same.
_SAME_WITHOUT_NCI = {("total equity including noncontrolling interests", "shareholders' equity"),
                     ("net income including noncontrolling interests", "net income")}


def measure(pairs: dict[tuple[str, str | None], int], untagged_labels: set[str], mapper) -> dict[str, Any]:
    from qa.compute.lines import find_line

    mapped = mapper.line_names({label for label, _ in pairs})
    out: dict[str, Any] = {"labels": len(pairs), "tagged_standard": sum(1 for _, t in pairs if t)}
    by_embedding = mapper.line_names(untagged_labels)
    out["untagged_labels"] = len(untagged_labels)
    out["untagged_synonyms"] = sum(1 for lb in untagged_labels if find_line(lb))
    out["untagged_embedding"] = sorted((lb, name) for lb, name in by_embedding.items() if not find_line(lb))
    for method, name_of in (("synonyms", find_line), ("synonyms + embedding", lambda lb: mapped.get(lb))):
        right = wrong = 0
        untagged: list[tuple[str, str]] = []
        for label, truth in sorted(pairs, key=lambda p: p[0]):
            got = name_of(label)
            if got is None:
                continue
            if truth is None:
                untagged.append((label, got))
            elif got == truth or (truth, got) in _SAME_WITHOUT_NCI and not re.search(r"noncontrolling", label, re.I):
                right += 1
            else:
                wrong += 1
        out[method] = {"right": right, "wrong": wrong, "mapped_untagged": len(untagged), "untagged": untagged}
    return out


def format_labels_markdown(result: dict[str, Any]) -> str:
    lines = [f"Distinct (label, tag) pairs: {result['labels']}; whose tag is a standard line: {result['tagged_standard']}.", "",
             "| method | right | wrong | mapped, tag not a standard line |", "|---|---|---|---|"]
    for method in ("synonyms", "synonyms + embedding"):
        r = result[method]
        lines.append(f"| {method} | {r['right']} | {r['wrong']} | {r['mapped_untagged']} |")
    lines += ["", f"Untagged filings (PDFs): {result['untagged_labels']} distinct row labels; the synonyms map "
              f"{result['untagged_synonyms']}, the embedding {len(result['untagged_embedding'])} more:", ""]
    lines += [f"- {label!r} -> {name}" for label, name in result["untagged_embedding"]]
    extra = sorted(set(result["synonyms + embedding"]["untagged"]) - set(result["synonyms"]["untagged"]))
    if extra:
        lines += ["", "Mapped by the embedding where the tag is not a standard line's concept:", ""]
        lines += [f"- {label!r} -> {name}" for label, name in extra]
    return "\n".join(lines) + "\n"
