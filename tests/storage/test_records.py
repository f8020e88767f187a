"""plan_save: what saving a batch decides, given the stored state, without a database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from storage.records import (
    ArticleRecord,
    Category,
    NewArticle,
    RevisedArticle,
    SavePlan,
    SeenAgain,
    StoredArticle,
    merge_copies,
    plan_save,
)

ID = "NW202202072267575261"
T1, T2, T3 = "2022-02-08T00:00:00+08:00", "2022-02-09T00:00:00+08:00", "2022-02-10T00:00:00+08:00"
PUBLISHED = "2022-02-07T09:09:43+08:00"
MEDIA = Category("nanchangribao", "南昌日报", "media")
COLUMN = Category("cywjh", "要闻精华", "column")


def record(**kw: object) -> ArticleRecord:
    fields: dict = {
        "id": ID,
        "title": "南昌坚定不移实施数字经济“一号工程”",
        "published": PUBLISHED,
        "body_html": "<p>正文</p>",
        "body_text": "正文",
        "url": "https://finance.eastmoney.com/a/202202072267575261.html",
        "media": "南昌日报",
        "summary": "摘要",
        "categories": [MEDIA],
    }
    fields.update(kw)
    return ArticleRecord(**fields)


def stored(copy: ArticleRecord, last_seen: str = T2, **kw: object) -> StoredArticle:
    """The stored state an earlier save of ``copy`` at ``last_seen`` left."""
    state = StoredArticle(
        id=copy.id,
        title=copy.title,
        url=copy.url,
        share_url=copy.share_url,
        media=copy.media,
        published=copy.published or last_seen,
        summary=copy.summary,
        body_html=copy.body_html,
        content_hash=copy.content_hash(),
        last_seen=last_seen,
    )
    return replace(state, **kw)


def decision(plan: SavePlan) -> str:
    kinds = {"new": plan.new, "seen again": plan.seen_again, "revised": plan.revised}
    (kind,) = [name for name, rows in kinds.items() if rows]
    return kind


# (case, stored copy or None, the batch's copy, seen_at, what the plan decides)
DECISIONS = [
    ("unknown id", None, record(), T3, "new"),
    ("identical copy", record(), record(), T3, "seen again"),
    ("other markup, same words", record(), record(body_html="<div>正文</div>"), T3, "seen again"),
    ("time to the minute only", record(), record(published="2022-02-07T09:09:00+08:00"), T3, "seen again"),
    ("body changed", record(), record(body_html="<p>更正</p>", body_text="更正"), T3, "revised"),
    ("title changed", record(), record(title="新标题"), T3, "revised"),
    ("body-less copy of a full article", record(), record(body_html="", body_text="", title="短"), T3, "seen again"),
    ("copy older than the stored one", record(), record(title="旧标题", seen_at=T1), T3, "seen again"),
    ("copy seen when the stored one was", record(), record(title="新标题"), T2, "revised"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "copy", "seen_at", "expected"),
    [case[1:] for case in DECISIONS],
    ids=[case[0] for case in DECISIONS],
)
def test_each_copy_is_new_seen_again_or_revised(
    old: ArticleRecord | None, copy: ArticleRecord, seen_at: str, expected: str
) -> None:
    state = {old.id: stored(old)} if old else {}
    assert decision(plan_save([copy], state, seen_at)) == expected


def test_a_new_article_is_written_whole_and_dated_when_seen_without_a_time() -> None:
    plan = plan_save([record(), record(id="NW202202072267575262", published=None)], {}, T1)
    dated, undated = plan.new
    assert dated == NewArticle(
        id=ID,
        title=record().title,
        url=record().url,
        share_url=None,
        media="南昌日报",
        published=PUBLISHED,
        summary="摘要",
        body_html="<p>正文</p>",
        body_text="正文",
        content_hash=record().content_hash(),
        first_seen=T1,
        last_seen=T1,
    )
    assert undated.published == T1
    # An imported post brings its own time of sight.
    assert plan_save([record(seen_at=T2)], {}, T3).new[0].first_seen == T2


GAPS = [
    # (case, stored fields, the copy's fields, the gap-filled (url, share_url, summary))
    ("stored values stay", {}, {"url": "https://other/", "summary": "别的摘要"}, (record().url, None, "摘要")),
    ("missing url and share link filled", {"url": None}, {"share_url": "http://share/"}, (record().url, "http://share/", "摘要")),
    ("empty summary filled", {"summary": ""}, {"summary": "新摘要"}, (record().url, None, "新摘要")),
    ("no summary anywhere", {"summary": None}, {"summary": None}, (record().url, None, None)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old_fields", "copy_fields", "expected"),
    [case[1:] for case in GAPS],
    ids=[case[0] for case in GAPS],
)
def test_seen_again_moves_last_seen_and_fills_only_gaps(
    old_fields: dict, copy_fields: dict, expected: tuple
) -> None:
    old = stored(record(), **old_fields)
    (touch,) = plan_save([record(**copy_fields)], {ID: old}, T3).seen_again
    assert touch == SeenAgain(ID, T3, *expected)


def test_an_older_copy_never_moves_last_seen_back() -> None:
    old = stored(record(), last_seen=T2)
    (touch,) = plan_save([record(title="旧标题", seen_at=T1)], {ID: old}, T3).seen_again
    assert touch.last_seen == T2


def test_a_revision_keeps_the_stored_version_and_the_copy_fills_from_it() -> None:
    old = stored(record(share_url="http://share/"), last_seen=T2)
    copy = record(title="新标题", url=None, media=None, published=None, summary="")
    (revised,) = plan_save([copy], {ID: old}, T3).revised
    assert isinstance(revised, RevisedArticle)
    assert (revised.title, revised.updated, revised.last_seen) == ("新标题", T3, T3)
    # What the copy lacks comes from the stored row; the old time, not the clock.
    assert (revised.url, revised.share_url, revised.media) == (old.url, old.share_url, old.media)
    assert (revised.published, revised.summary) == (PUBLISHED, "摘要")
    assert revised.content_hash == copy.content_hash() != old.content_hash
    kept = revised.revision
    assert (kept.article_id, kept.title, kept.body_html, kept.replaced) == (
        ID,
        old.title,
        old.body_html,
        T3,
    )
    assert (kept.content_hash, kept.published, kept.summary) == (
        old.content_hash,
        old.published,
        old.summary,
    )


def test_copies_of_one_id_merge_last_wins_and_categories_accumulate() -> None:
    first = record(share_url="http://share/", summary="先摘要", categories=[MEDIA])
    last = record(title="后标题", share_url=None, summary=None, published=None, categories=[COLUMN])
    (merged,) = merge_copies([first, last]).values()
    assert (merged.title, merged.share_url, merged.summary) == ("后标题", "http://share/", "先摘要")
    assert merged.published == PUBLISHED and merged.categories == [MEDIA, COLUMN]
    plan = plan_save([first, last], {}, T1)
    assert [article.title for article in plan.new] == ["后标题"]
    assert plan.memberships == [(ID, MEDIA), (ID, COLUMN)]


def test_changed_categories_are_those_of_new_and_revised_articles() -> None:
    other = "NW202202072267575262"
    seen = record(categories=[COLUMN])
    plan = plan_save([seen, record(id=other, categories=[MEDIA])], {ID: stored(seen)}, T3)
    assert [a.id for a in plan.seen_again] == [ID] and [a.id for a in plan.new] == [other]
    assert plan.changed_categories() == {MEDIA.slug}
    revised = plan_save([record(title="新标题", categories=[COLUMN])], {ID: stored(seen)}, T3)
    assert revised.changed_categories() == {COLUMN.slug}


def test_the_batch_order_is_kept_in_every_list() -> None:
    ids = [f"NW2022020722675752{n:02d}" for n in range(10, 0, -1)]
    plan = plan_save([record(id=article_id) for article_id in ids], {}, T1)
    assert [article.id for article in plan.new] == ids


MINUTE = "2022-02-07T09:09:00+08:00"  # as an article page shows it
SECONDS = PUBLISHED  # as the APIs give it: the same minute, to the second


@pytest.mark.parametrize("order", ["seconds first", "minute first"])
def test_copies_in_one_batch_keep_the_time_with_seconds(order: str) -> None:
    page, api = record(published=MINUTE), record(published=SECONDS, body_html="<div>正文</div>")
    copies = [api, page] if order == "seconds first" else [page, api]
    (merged,) = merge_copies(copies).values()
    assert merged.published == SECONDS
    assert plan_save(copies, {}, T1).new[0].published == SECONDS


def test_a_copy_of_another_minute_is_not_merged_as_more_precise() -> None:
    later = record(published="2022-02-07T09:10:00+08:00")
    (merged,) = merge_copies([record(published=SECONDS), later]).values()
    assert merged.published == later.published


def test_a_stored_minute_gains_its_seconds_without_a_revision() -> None:
    old = stored(record(published=MINUTE))
    plan = plan_save([record(published=SECONDS)], {ID: old}, T3)
    (touch,) = plan.seen_again
    assert touch.published == SECONDS and not plan.revised
    assert plan.retimed() == [ID]
    # The feeds of its categories must show the seconds: they change, the content does not.
    assert plan.changed_categories() == {MEDIA.slug}
    assert record(published=SECONDS).content_hash() == old.content_hash


def test_stored_seconds_are_kept_when_a_page_shows_the_minute() -> None:
    old = stored(record(published=SECONDS))
    plan = plan_save([record(published=MINUTE)], {ID: old}, T3)
    (touch,) = plan.seen_again
    assert touch.published is None and plan.retimed() == [] and plan.changed_categories() == set()
    # A revision read from a page keeps the seconds too.
    (revised,) = plan_save([record(published=MINUTE, title="新标题")], {ID: old}, T3).revised
    assert revised.published == SECONDS
