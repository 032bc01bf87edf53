"""The console's local state: the SQLite ticket cache (storage.cache.LocalCache), its schema and search terms, and the sync engine."""
