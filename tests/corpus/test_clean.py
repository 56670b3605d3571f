from corpus.clean import clean_text, drop_running_heads, is_table_row, join_broken_rows


def test_seed_000_artefacts_are_gone(seed_000):
    text = seed_000.text
    assert "Edgar Online" not in text
    assert "\n?\n" not in text and not any(line.strip() == "?" for line in text.split("\n"))
    # Lone page numbers ("24" ... "36") are dropped.
    assert not any(line.strip().isdigit() for line in text.split("\n"))
    assert "• Business Productivity Features such as dial-by extension" in text


def test_broken_table_rows_are_rejoined(seed_000):
    def first_row(label):
        return next(ln.split() for ln in seed_000.text.split("\n") if ln.startswith(label + "  "))

    # The Cloud Telecommunications segment table, whose last cells the extraction pushed onto lines of their own.
    assert first_row("Cost of service revenue")[-4:] == ["$930", "$811", "$2,758", "$2,515"]
    assert first_row("Cost of product revenue")[-4:] == ["314", "172", "797", "664"]
    assert first_row("Income before tax provision")[-4:] == ["$104", "$278", "$692", "$690"]


def test_page_number_versus_cell_fragment():
    lines = ["Selling and marketing     1,051     1,003     3,151     ", "", "2,865", "", "Next paragraph starts here."]
    assert join_broken_rows(lines)[0].split()[-1] == "2,865"
    prose = ["Revenue grew in the quarter as expected.", "", "                                       24", "", "Text."]
    assert "24" not in clean_text("\n".join(prose))


def test_table_row_versus_prose():
    assert is_table_row("Product revenue                            489       343       1,317     1,294")
    assert is_table_row("Total 160,172 $ 60,665")
    assert not is_table_row("headcount and temporary labor, an increase in profit sharing costs of $33,000")
    assert not is_table_row("Three months ended September 30, 2020 compared to three months ended September 30, 2019")
    assert not is_table_row("September 30,       September 30,")


def test_running_heads_are_removed():
    bodies = ["Net sales rose in every segment.", "Gross margin was flat.", "Operating expenses grew.",
              "Cash flow from operations fell.", "The Board declared a dividend.", "Risk factors follow."]
    pages = [f"Apple Inc. | 2022 Form 10-K | {n}\n{body}\nSee Note {n}.\n{body.upper()}" for n, body in enumerate(bodies, 20)]
    cleaned = drop_running_heads(pages)
    assert all("Form 10-K" not in p for p in cleaned)
    assert [p.split("\n")[0] for p in cleaned] == bodies
