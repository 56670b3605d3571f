"""`python -m qa audit FILING`: every numeric claim with verified / mismatch / unverifiable, driver sums,
and table-versus-text disagreements, with positions (character offsets and pages)."""
from __future__ import annotations

from typing import Any

from corpus.model import Filing
from qa.figures.claims import claim_label
from qa.figures.facts import FilingFacts, claim_segment
from qa.model import STATUS_MARKS, overall_status


def audit_report(filing: Filing, facts: FilingFacts | None = None) -> dict[str, Any]:
    facts = facts if facts is not None else FilingFacts.of(filing)
    audit = facts.audit
    claims = []
    for claim, checks in zip(audit.claims, audit.checks):
        claims.append({
            "claim": claim_label(claim), "status": overall_status(checks), "metric": claim.metric,
            "segment": claim_segment(claim, facts.segments), "period": claim.period,
            "current": _num(claim.current), "prior": _num(claim.prior), "change": _num(claim.change),
            "percent": claim.percent_text, "direction": claim.direction,
            "checks": [{"status": c.status, "kind": c.kind, "detail": c.detail} for c in checks],
            "start": claim.start, "end": claim.end, "page": filing.page_at(claim.start),
            "text": " ".join(claim.text.split()),
        })
    sums = [{
        "metric": ds.claim_metric, "status": ds.status, "drivers": len(ds.drivers), "total": _num(ds.total),
        "stated_change": _num(ds.stated_change), "unexplained": _num(ds.unexplained),
        "items": [{"label": d.label, "amount": _num(d.amount), "offsetting": d.offsetting} for d in ds.drivers],
        "start": ds.start, "end": ds.end, "page": filing.page_at(ds.start),
    } for ds in audit.driver_sums]
    disagreements = [{"detail": d.detail, "metric": d.metric, "segment": d.segment, "period": d.period,
                      "table_value": _num(d.table.value), "text_value": _num(d.text.value),
                      "table_start": d.table.start, "text_start": d.text.start} for d in facts.disagreements]
    tags = facts.tags
    xbrl = None if tags is None else {
        "tags": tags.tags, "cells_checked": tags.checked, "cells_agree": tags.agree, "claims_tagged": tags.claims_tagged,
        "disagreements": [{"label": cell.metric, "table_value": _num(cell.value), "tag_value": _num(tag.value),
                           "concept": tag.concept, "period": tag.period, "start": tag.start, "page": filing.page_at(tag.start)}
                          for cell, tag in tags.disagreements],
        "sentences_verified": [{"text": " ".join(fact.text.split()), "amount": _num(fact.value), "concept": tag.concept,
                                "tag_value": _num(tag.value), "period": tag.period, "start": fact.start,
                                "page": filing.page_at(fact.start)} for fact, tag in tags.sentences]}
    counts = audit.status_counts()
    summary = (f"{filing.doc_id}: {len(claims)} claims: {counts['verified']} verified, {counts['mismatch']} mismatch, "
               f"{counts['unverifiable']} unverifiable; {len(sums)} driver sums: "
               f"{sum(s['status'] == 'verified' for s in sums)} reconcile; {len(disagreements)} table-text disagreements "
               f"({sum(f.source == 'table' for f in facts.facts)} table facts)")
    if xbrl is not None:
        summary += (f"; XBRL: {xbrl['tags']} tagged figures, {xbrl['cells_agree']} of {xbrl['cells_checked']} parsed cells "
                    f"agree with their tag, {len(xbrl['disagreements'])} disagree; {xbrl['claims_tagged']} sentence "
                    f"amounts carried by a tag")
    return {"doc_id": filing.doc_id, "claims": claims, "driver_sums": sums, "disagreements": disagreements, "xbrl": xbrl,
            "counts": {**counts, "claims": len(claims), "driver_sums": len(sums),
                       "driver_sums_reconciled": sum(s["status"] == "verified" for s in sums),
                       "disagreements": len(disagreements)},
            "summary": summary}


def _num(value) -> float | None:
    return float(value) if value is not None else None


def format_audit(report: dict[str, Any]) -> str:
    lines = [f"Claims ({len(report['claims'])}):"]
    for c in report["claims"]:
        where = f"p{c['page']} " if c["page"] else ""
        lines.append(f"  {STATUS_MARKS[c['status']]} {where}@{c['start']} {c['claim']}")
        for chk in c["checks"]:
            if chk["status"] != "verified":
                lines.append(f"      {chk['status']}: {chk['detail']}")
    lines.append(f"Driver sums ({len(report['driver_sums'])}):")
    for s in report["driver_sums"]:
        extra = f", unexplained {s['unexplained']:,.0f}" if s["unexplained"] else ""
        lines.append(f"  {STATUS_MARKS.get(s['status'], '?')} @{s['start']} {s['metric']}: {s['drivers']} drivers sum to {s['total']:,.0f} "
                     f"vs stated {s['stated_change']:,.0f}{extra}")
    lines.append(f"Table-text disagreements ({len(report['disagreements'])}):")
    lines += [f"  ✗ {d['detail']}" for d in report["disagreements"]]
    if report.get("xbrl"):
        x = report["xbrl"]
        lines.append(f"Table cells against XBRL tags ({x['cells_checked']} checked, {len(x['disagreements'])} disagree):")
        lines += [f"  ✗ p{d['page']} {d['label']} ({d['period']}): table {d['table_value']:,} vs tag {d['tag_value']:,} "
                  f"({d['concept']})" for d in x["disagreements"][:50]]
        lines.append(f"Sentences verified by a tag ({len(x['sentences_verified'])}):")
        lines += [f"  ✓ p{v['page']} @{v['start']} {v['concept']} = {v['tag_value']:,} ({v['period']}): {v['text'][:160]}"
                  for v in x["sentences_verified"][:50]]
    lines.append(report["summary"])
    return "\n".join(lines)
