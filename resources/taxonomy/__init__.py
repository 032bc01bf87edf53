"""Shipped category catalogue (the demo default), city departments, routing rules and calendar."""
