"""Shipped gazetteer: Beijing districts and sub-districts with address aliases."""
