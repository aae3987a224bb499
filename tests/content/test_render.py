"""Markdown features authors use elsewhere: fenced divs, 2-space lists, image attributes, links."""
from __future__ import annotations

from elearn.content.render import render_markdown


def compact(html: str) -> str:
    return html.replace("\n", "")


def test_two_space_nested_lists_nest():
    html = compact(render_markdown("- a\n  - b\n    - c\n- d\n").html)
    assert html == "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"


def test_four_space_nested_lists_still_nest():
    html = compact(render_markdown("- a\n    - b\n- d\n").html)
    assert html == "<ul><li>a<ul><li>b</li></ul></li><li>d</li></ul>"


def test_list_markers_inside_code_are_left_alone():
    html = render_markdown("```\n- a\n  - b\n```\n").html
    assert "- a\n  - b" in html


def test_nested_fenced_divs_with_titles_and_markdown_inside():
    text = ":::: challenge Latihan 1\nTulis **rencana**.\n\n::: solution Kunci\n- langkah satu\n:::\n::::\n"
    html = compact(render_markdown(text).html)
    assert html.startswith('<div class="box box-challenge"><p class="box-title">Latihan 1</p>')
    assert "<strong>rencana</strong>" in html
    assert '<details class="box box-solution"><summary>Kunci</summary><ul><li>langkah satu</li></ul></details>' in html
    assert html.endswith("</div>")


CARPENTRIES_STEPS = """\
1. Open a terminal window.

   ::::::::::::::::::::::::::::::::::::::::: instructor

   Make sure every learner has the **shell** open before going on.

   ::::::::::::::::::::::::::::::::::::::::::::::::::

2. Type `ls` and press <kbd>Enter</kbd>.
"""


def test_fenced_div_indented_under_a_numbered_step_stays_in_the_step():
    """As Carpentries lessons write instructor notes: the box, with Markdown inside, in list item 1."""
    result = render_markdown(CARPENTRIES_STEPS, language="en")
    html = compact(result.html)
    assert ":::" not in html
    assert html.startswith('<ol><li><p>Open a terminal window.</p><div class="box box-callout">'
                           "<p>Make sure every learner has the <strong>shell</strong> open before going on.</p>"
                           "</div></li><li><p>Type <code>ls</code>")
    assert [p[1:] for p in result.problems] == [
        ("unknown box type 'instructor' (known: callout, challenge, solution, objectives, keypoints, note, tip, "
         "warning, example); shown as a callout", "warning")]


def test_nested_fenced_divs_with_titles_inside_a_two_space_list_item():
    text = ("- Buka katalog.\n\n  :::: challenge Latihan 1\n  Cari buku **Laskar Pelangi**.\n\n"
            "  ::: solution Kunci\n  Ketik judulnya di kotak pencarian.\n  :::\n  ::::\n\n- Selesai.\n")
    html = compact(render_markdown(text).html)
    assert html == ('<ul><li><p>Buka katalog.</p><div class="box box-challenge"><p class="box-title">Latihan 1</p>'
                    "<p>Cari buku <strong>Laskar Pelangi</strong>.</p>"
                    '<details class="box box-solution"><summary>Kunci</summary>'
                    "<p>Ketik judulnya di kotak pencarian.</p></details></div></li><li><p>Selesai.</p></li></ul>")


def test_fenced_div_in_a_nested_list_and_with_four_space_indents():
    nested = "1. Langkah\n   - sub langkah\n\n     ::: tip\n     Kiat *kecil*.\n     :::\n\n2. Lanjut\n"
    assert compact(render_markdown(nested).html) == (
        '<ol><li><p>Langkah</p><ul><li><p>sub langkah</p><div class="box box-tip"><p>Kiat <em>kecil</em>.</p>'
        "</div></li></ul></li><li><p>Lanjut</p></li></ol>")
    four = "1. Satu\n\n    ::: note\n    Catatan.\n    :::\n\n2. Dua\n"
    assert compact(render_markdown(four).html) == (
        '<ol><li><p>Satu</p><div class="box box-note"><p>Catatan.</p></div></li><li><p>Dua</p></li></ol>')


def test_indented_colons_outside_a_list_stay_text_or_code():
    html = render_markdown("Contoh:\n\n    ::: note\n    bukan kotak\n    :::\n").html
    assert "<pre><code>::: note" in html and "box" not in html


def test_english_course_solution_label():
    html = render_markdown("::: solution\nx\n:::\n", language="en").html
    assert "<summary>Solution</summary>" in html


def test_unknown_div_class_is_a_callout_with_a_warning_and_unclosed_is_an_error():
    result = render_markdown("intro\n\n::: rahasia\nisi\n")
    assert '<div class="box box-callout">' in result.html
    assert (3, "unknown box type 'rahasia' (known: callout, challenge, solution, objectives, keypoints, note, tip, "
               "warning, example); shown as a callout", "warning") in result.problems
    assert (3, "fenced div is never closed (add a ':::' line)", "error") in result.problems


def test_title_in_div_is_escaped():
    html = render_markdown("::: note <script>alert(1)</script>\nx\n:::\n").html
    assert "<script" not in html and "&lt;script&gt;" in html


def test_image_alt_attribute():
    html = render_markdown("![a](assets/x.png){alt='Foto ruang baca Perpustakaan Kota Bontang'}").html
    assert 'alt="Foto ruang baca Perpustakaan Kota Bontang"' in html


def test_links_are_rewritten_relative_to_the_page():
    files = {"02-metadata.md": "metadata"}
    module = render_markdown("[m](02-metadata.md#dublin-core) ![i](assets/a.png) [x](https://x.org)",
                             module_files=files).html
    assert 'href="../metadata/#c-dublin-core"' in module and 'src="../assets/a.png"' in module
    overview = render_markdown("[m](02-metadata.md) ![i](./assets/a.png)", page="overview", module_files=files).html
    assert 'href="metadata/"' in overview and 'src="assets/a.png"' in overview


def test_toc_entries_have_prefixed_ids():
    result = render_markdown("## Satu\n\n### Dua\n\n#### Tiga\n")
    assert [(e.level, e.id, e.title) for e in result.toc] == [(2, "c-satu", "Satu"), (3, "c-dua", "Dua")]
