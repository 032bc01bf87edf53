"""Data the hotline ships with: taxonomy, gazetteer, translations; read through resources.loader."""
