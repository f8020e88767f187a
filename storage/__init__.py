"""The finews SQLite store: schema, migrations, writes and the queries others need."""

from storage.records import ArticleRecord, Category
from storage.store import SaveResult, Store, StoreError

__all__ = ["ArticleRecord", "Category", "SaveResult", "Store", "StoreError"]
