from crawler.parsing.content import (
    absolutize_urls,
    clean_body_html,
    clean_title,
    html_to_text,
    inner_html_by_id,
    media_from_text,
    unwrap_autolinks,
)
from tests import FIXTURES

# Byte copies of the old site's posts (../shared/reference), the seed under its real name.
REFERENCE = FIXTURES / "jekyll"


def test_autolink_wrappers_become_their_text() -> None:
    body = (
        '<p><span id="stock_0.002752"><a href="http://quote.eastmoney.com/unify/r/0.002752"'
        ' class="keytip" data-code="0,002752">昇兴股份</a></span><span id="quote_0.002752"></span>'
        '(002752)<span id="Info.3332"><a href="http://data.eastmoney.com/notices/" class="infokey">'
        '公告</a></span>，<span web="1" href="http://quote.eastmoney.com/unify/r/90.BK0475"'
        ' class="em_stock_key_common" data-code="90,BK0475">银行</span>'
        '<span id="bk_90.BK0474"><a href="x" class="keytip">保险</a></span><span id="bkquote_90.BK0474"></span></p>'
    )
    assert unwrap_autolinks(body) == "<p>昇兴股份(002752)公告，银行保险</p>"


def test_other_markup_is_kept_byte_for_byte() -> None:
    body = (
        '<p style="display:none;height:1px;overflow:hidden;"><br /></p><!-- EM_StockImg_Start -->'
        '<p style="text-align:center;"><a href="http://quote.eastmoney.com/unify/r/0.002752" '
        'class="EmImageRemark" target="_blank"><img src="x.png" border="0" /></a></p>'
        "<!-- EM_StockImg_End --><p><span class=\"note\">kept</span> &amp; <a href='y'>link</a></p>"
    )
    assert unwrap_autolinks(body) == body
    assert clean_body_html(body) == body


def test_reference_rolling_post_loses_only_its_wrappers() -> None:
    post = (REFERENCE / "2022-01-21-202201212257099936.md").read_text("utf-8")
    cleaned = unwrap_autolinks(post)
    assert 'class="keytip"' not in cleaned and 'id="quote_' not in cleaned
    assert "EmImageRemark" in cleaned and "<!-- EM_StockImg_Start -->" in cleaned
    assert "（文章来源：证券时报）" in cleaned
    # Only markup went: the words a reader sees are the same.
    assert html_to_text(cleaned) == html_to_text(post)
    assert len(cleaned) < len(post)


def test_seed_post_body_is_unchanged() -> None:
    post = (REFERENCE / "2022-02-07-NW202202072267575261.md").read_text("utf-8")
    body = post.split("---\n", 2)[2].split("\n\n<http")[0]
    assert clean_body_html(body) == body


def test_full_width_indents_removed() -> None:
    assert (
        clean_body_html("<p>　　第一段</p>\n<p>&#12288;&#12288;第二段</p>")
        == "<p>第一段</p>\n<p>第二段</p>"
    )


def test_relative_urls_made_absolute() -> None:
    body = '<p><img src="/img/a.png"><a href="b.html?x=1&amp;y=2">b</a><a href="#top">t</a><a href="https://x/">x</a></p>'
    assert absolutize_urls(body, "http://127.0.0.1:8000/a/1.html") == (
        '<p><img src="http://127.0.0.1:8000/img/a.png"><a href="http://127.0.0.1:8000/a/b.html?x=1&amp;y=2">b</a>'
        '<a href="#top">t</a><a href="https://x/">x</a></p>'
    )


def test_inner_html_by_id_keeps_nested_markup() -> None:
    page = '<div class="a"><div id="ContentBody"><div><p>x<br /></p></div><p>y</p></div><div>after</div></div>'
    assert inner_html_by_id(page, "ContentBody") == "<div><p>x<br /></p></div><p>y</p>"
    assert inner_html_by_id(page, "missing") is None


def test_text_and_titles() -> None:
    assert clean_title("\n   南昌 &amp; 重庆\n  ") == "南昌 & 重庆"
    assert html_to_text("<p>a  b</p><p>c<br/>d</p><script>x()</script>") == "a b\nc\nd"
    assert media_from_text("（文章来源：南昌日报）") == "南昌日报"
    assert media_from_text("来源：每日经济新闻") == "每日经济新闻"
    assert media_from_text("没有来源行") is None
