"""The one sanitizer removes every script vector and keeps what lessons need."""
from __future__ import annotations

import pytest

from elearn.content.render import render_markdown
from elearn.content.sanitize import sanitize_html

VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="https://evil.example"><input name="p"></form>',
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<!-- <img src=x onerror=alert(1)> -->",
    '<details open ontoggle="alert(1)"><summary>s</summary></details>',
    '<a href="https://x.example" onclick="alert(1)">x</a>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
]


@pytest.mark.parametrize("vector", VECTORS)
def test_script_vectors_are_removed(vector):
    cleaned = sanitize_html(vector).lower()
    for bad in ("<script", "onerror", "onload", "onclick", "ontoggle", "javascript:", "vbscript:", "data:",
                "<svg", "<math", "<style", "style=", "expression(", "<iframe", "<object", "<embed", "<form",
                "<input", "<!--", "<base", "<meta", "<link", "<textarea", "<xmp", "<noscript"):
        assert bad not in cleaned, (vector, cleaned)


def test_markdown_raw_html_and_links_are_sanitized_after_rendering():
    html = render_markdown('[klik](javascript:alert(1)) <script>x()</script> <b onclick="x()">b</b>').html
    assert "javascript:" not in html and "<script" not in html and "onclick" not in html
    assert "<b>b</b>" in html


def test_ids_cannot_clobber_page_ids():
    html = sanitize_html('<div id="main">x</div><a href="#main">y</a><h2 id="c-ok">z</h2>')
    assert 'id="c-main"' in html and 'href="#c-main"' in html and 'id="c-ok"' in html
    assert 'id="main"' not in html


def test_classes_only_from_the_fixed_set():
    html = sanitize_html('<div class="box box-tip site-header flash">x</div><span class="evil">y</span>')
    assert 'class="box box-tip"' in html and "site-header" not in html and "evil" not in html


def test_external_links_get_noopener_nofollow_internal_do_not():
    html = sanitize_html('<a href="https://garuda.kemdikbud.go.id" rel="opener">g</a><a href="../metadata/">m</a>')
    assert '<a href="https://garuda.kemdikbud.go.id" rel="noopener nofollow">' in html
    assert '<a href="../metadata/">m</a>' in html


def test_legitimate_lesson_content_survives():
    text = """
## Metadata dasar

Paragraf dengan **tebal**, *miring*, `kode`, ~~coret~~ dan catatan kaki.[^1]

| Elemen | Wajib |
|:-------|:-----:|
| Judul  | ya    |

```python
print("halo")
```

![Diagram alur](assets/alur.png "Alur digitalisasi")

Istilah
: Definisinya.

!!! warning "Perhatian"
    Simpan cadangan.

::: solution
Jawaban contoh.
:::

[^1]: Sumber: Dublin Core Metadata Initiative.
"""
    html = render_markdown(text).html
    assert '<h2 id="c-metadata-dasar">Metadata dasar</h2>' in html
    assert "<strong>tebal</strong>" in html and "<em>miring</em>" in html and "<code>kode</code>" in html
    assert '<th align="left">Elemen</th>' in html and '<td align="center">ya</td>' in html
    assert '<pre><code class' not in html or "print" in html
    assert "print(&quot;halo&quot;)" in html or 'print("halo")' in html
    assert '<figure><img alt="Diagram alur" src="../assets/alur.png"' in html
    assert "<figcaption>Alur digitalisasi</figcaption>" in html
    assert "<dt>Istilah</dt>" in html and "<dd>Definisinya.</dd>" in html
    assert '<div class="admonition warning">' in html and '<p class="admonition-title">Perhatian</p>' in html
    assert '<details class="box box-solution"><summary>Solusi</summary>' in html.replace("\n", "")
    assert 'href="#c-fn:1"' in html and 'id="c-fn:1"' in html
