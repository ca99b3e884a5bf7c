"""Article loading, passage splitting and BM25 search: from a folder to answerable passages."""
