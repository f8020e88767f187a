from pathlib import Path

import pytest

from crawler.parsing.urls import classify
from finews.config import ConfigError, load_config


def test_defaults_are_live_columns_and_sensible_limits(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no finews.toml here
    config = load_config()
    assert config.source == "built-in defaults"
    assert config.db == "finews.db" and config.depth == 5 and config.limit == 50
    kinds = [classify(url).kind for url in config.start_urls]
    # The rolling news first, then the columns.
    assert kinds[0] == "fastnews" and kinds[1:] and set(kinds[1:]) == {"list"}
    assert config.column_names["1207"] == "财经早餐"


def test_finews_toml_in_the_current_folder_overrides(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "finews.toml").write_text(
        '[crawl]\ndepth = 2\nstart_urls = ["http://127.0.0.1:8000/a/cywjh.html"]\n'
        '[feeds]\nbase_url = "https://feeds.example.org/"\n',
        "utf-8",
    )
    config = load_config()
    assert (config.depth, config.start_urls) == (2, ("http://127.0.0.1:8000/a/cywjh.html",))
    assert config.base_url == "https://feeds.example.org/" and config.limit == 50


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[crawl]\ndepht = 2\n", "unknown setting crawl.depht"),
        ("[crawler]\ndepth = 2\n", "unknown section [crawler]"),
        ("[crawl]\ndepth = true\n", "crawl.depth must be a int"),
        ("[crawl]\ndepth = 0\n", "must be at least 1"),
        ('[crawl]\nstart_urls = ["http://x/some/page"]\n', "not a page finews reads"),
        ('[columns]\ncaijing = "财经"\n', "columns.caijing: a column API id is a number"),
        ("[columns]\n345 = 1\n", "columns.345 must be a name"),
        ("[crawl\n", "cannot read config file"),
    ],
)
def test_a_bad_config_names_the_file_and_the_setting(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")) as error:
        load_config(path)
    assert str(path) in str(error.value)


def test_a_missing_config_file_given_by_name_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_column_names_are_added_to_the_shipped_ones(tmp_path: Path) -> None:
    path = tmp_path / "finews.toml"
    path.write_text('[columns]\n345 = "要闻"\n', "utf-8")
    assert load_config(path).column_names == {"1207": "财经早餐", "345": "要闻"}


def test_saved_searches_are_read_in_order_and_checked(tmp_path: Path) -> None:
    config = tmp_path / "finews.toml"
    config.write_text('[searches]\nmaotai = "茅台"\nchips = "芯片 OR 半导体"\n', "utf-8")
    assert load_config(config).searches == (("maotai", "茅台"), ("chips", "芯片 OR 半导体"))
    assert load_config(tmp_path / "finews.toml").searches != ()
    for body, message in (
        ('"../x" = "茅台"', "file name"),
        ('Maotai = "茅台"', "file name"),
        ('maotai = "茅"', "two in a row"),
        ("maotai = 3", "must be a str"),
    ):
        config.write_text(f"[searches]\n{body}\n", "utf-8")
        with pytest.raises(ConfigError, match=message) as raised:
            load_config(config)
        assert "searches." in str(raised.value)
