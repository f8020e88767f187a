"""The finews SQLite store: schema, migrations, writes and the queries others need."""

from storage.store import ArticleRecord, Category, SaveResult, Store, StoreError

__all__ = ["ArticleRecord", "Category", "SaveResult", "Store", "StoreError"]
