import pytest

from storage.slugs import is_safe_slug, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        # The slugs the old site published (SOURCE.md §3) stay as they were.
        ("南昌日报", "nanchangribao"),
        ("券商中国", "quanshangzhongguo"),
        ("财联社", "cailianshe"),
        ("央视新闻客户端", "yangshixinwenkehuduan"),
        ("泉州晚报", "quanzhouwanbao"),
        ("每日经济新闻", "meirijingjixinwen"),
        ("上海证券报", "shanghaizhengquanbao"),
        ("东财滚动新闻", "emnews"),
        # Polyphones read in context, unlike the old site.
        ("重庆日报", "chongqingribao"),
        ("中国银行保险报", "zhongguoyinhangbaoxianbao"),
        # Spaces, brackets and case no longer leak into file names.
        ("21世纪经济报道 21财经APP", "21shijijingjibaodao-21caijingapp"),
        ("安信国际证券(香港)", "anxinguojizhengquan-xianggang"),
        ("安信国际证券（香港）", "anxinguojizhengquan-xianggang"),
        ("TechWeb", "techweb"),
        ("Techweb", "techweb"),
        ("  南昌日报 ", "nanchangribao"),
    ],
)
def test_slug(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert is_safe_slug(slug)


@pytest.mark.parametrize(
    "name", ["../../etc", "..", "/etc/passwd", "a/../../b", "C:\\Windows", "\0x", "！！！", ""]
)
def test_hostile_names_give_harmless_slugs(name: str) -> None:
    slug = slugify(name)
    assert is_safe_slug(slug)
    assert "/" not in slug and ".." not in slug and slug not in ("", ".", "..")


def test_names_without_letters_get_distinct_stable_slugs() -> None:
    assert slugify("！！！") == slugify("！！！")
    assert slugify("！！！") != slugify("？？？")


def test_traversal_name_keeps_only_its_letters() -> None:
    assert slugify("../../etc") == "etc"
