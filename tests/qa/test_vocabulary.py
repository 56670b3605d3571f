"""One vocabulary: a metric, a statement line and the XBRL concepts that carry it go by one name everywhere."""
import re

import pytest

from qa.compute.lines import find_line
from qa.compute.metrics import REGISTRY
from qa.figures.facts import canonical_metric
from qa.figures.xbrl import standard_label
from qa.question import find_metric
from qa.vocabulary import CONCEPT_NAMES, LINE_ITEMS, METRICS, TERMS


def test_each_name_and_each_concept_belongs_to_one_term():
    names = [t.name for t in TERMS]
    assert len(names) == len(set(names))
    concepts = [c for t in TERMS for c in t.line_concepts]
    assert len(concepts) == len(set(concepts))


@pytest.mark.parametrize("term", [t for t in TERMS if t.said], ids=lambda t: t.name)
def test_a_term_said_by_its_own_name_is_found_under_it(term):
    assert term.name in term.said and find_metric(term.name)[0] == term.name


@pytest.mark.parametrize("line", list(LINE_ITEMS.values()), ids=lambda t: t.name)
def test_a_line_printed_under_its_name_is_that_line_and_its_concepts_carry_its_name(line):
    assert line.name in line.printed and find_line(line.name) == line.name
    assert all(CONCEPT_NAMES[c] == line.name for c in line.concepts)
    assert standard_label(f"us-gaap:{line.concepts[0]}") == line.name


def test_a_near_concept_reads_a_line_but_names_no_figure():
    near = [c for t in TERMS for c in t.near_concepts]
    assert near and not set(near) & set(CONCEPT_NAMES)
    assert standard_label("us-gaap:NetIncomeLossAvailableToCommonStockholdersBasic") is None


def test_every_computed_metric_reads_lines_of_the_vocabulary():
    for definition in REGISTRY:
        for name in re.findall(r"\{([^}]+)\}", definition.expression):
            assert name in LINE_ITEMS, (definition.name, name)


@pytest.mark.parametrize("label, name", [
    ("Total shareholders' equity", "shareholders' equity"),
    ("Total stockholders' equity", "shareholders' equity"),
    ("Accounts receivable, net", "accounts receivable"),
    ("Provision for income taxes", "income tax provision"),
    ("Net cash provided by operating activities", "cash provided by operating activities"),
    ("Research and development", "research and development expenses"),
])
def test_a_statement_label_gets_the_same_name_as_a_figure_and_as_a_line(label, name):
    """A row label is named alike whether it is read as a figure (canonical_metric) or as a statement line."""
    assert canonical_metric(label) == name and find_line(label) == name and name in METRICS
