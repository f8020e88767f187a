"""Every table, view and column of a migrated store is described for Datasette."""

from pathlib import Path

from storage import Store
from storage.schema_docs import TABLES


def test_every_table_and_column_of_the_store_is_described(tmp_path: Path) -> None:
    with Store.open(tmp_path / "finews.db") as store:
        names = [
            row[0]
            for row in store.conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                " AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for name in names:
            assert name in TABLES, f"{name} is not described in storage/schema_docs.py"
            columns = [row[1] for row in store.conn.execute(f"PRAGMA table_xinfo({name})")]
            missing = set(columns) - set(TABLES[name].columns)
            assert not missing, f"{name}: columns {missing} are not described"
