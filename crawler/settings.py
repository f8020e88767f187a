"""Scrapy settings for finews. Every value can be overridden with ``-s NAME=VALUE``."""

from crawler.defaults import default, defaults

BOT_NAME = "finews"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: say who we are, obey robots.txt, adapt the pace to the server.
USER_AGENT = "finews/0.1 (feed crawler; +https://github.com/finews/finews)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
# One line per failed page or dropped copy; Scrapy's repeats of them held back (crawler.logs).
LOG_FORMATTER = "crawler.logs.OneLineLogFormatter"
EXTENSIONS = {"crawler.logs.QuietRepeats": 0}

# Per-host concurrency as configured, and hosts that can be paused (Retry-After).
DOWNLOADER = "crawler.downloader.PoliteDownloader"
DOWNLOADER_MIDDLEWARES = {
    # robots.txt by RFC 9309: 5xx disallows the host for the run, 4xx allows all.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.politeness.RobotsTxtMiddleware": 100,
    # Text in the encoding its bytes are in (a GBK page labelled UTF-8).
    "crawler.encoding.CharsetRepairMiddleware": 540,
    # Before Scrapy's retry middleware (550) sees the answer: 429/503 with Retry-After.
    "crawler.politeness.RetryAfterMiddleware": 560,
    # Redirects stay on the page's origin and never loop.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.politeness.SameOriginMetaRefreshMiddleware": 580,
    "crawler.politeness.SameOriginRedirectMiddleware": 600,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.SkipKnownArticlesMiddleware": 600,
}
ITEM_PIPELINES = {
    "crawler.pipelines.normalize.NormalizePipeline": 100,
    "crawler.pipelines.store.StorePipeline": 300,
}

# finews's own settings.
FINEWS_DB = default("crawl", "db")  # the SQLite store
FINEWS_DEPTH = default("crawl", "depth")  # list pages per column (spider argument max_pages)
FINEWS_BATCH_SIZE = 200  # articles per write transaction
FINEWS_SKIP_KNOWN = True  # skip stored articles found on list pages
FINEWS_NOW = None  # the crawl's clock (ISO time); unset means the wall clock
# Where the article pages of API records that give only their code are: /a/<code>.html.
FINEWS_ARTICLE_HOST = "https://finance.eastmoney.com"
# Column API ids -> the names of their categories (the config file's [columns]).
FINEWS_COLUMN_NAMES = defaults()["columns"]
FINEWS_RETRY_AFTER_MAX = 60  # seconds: the longest Retry-After wait honoured before a retry
