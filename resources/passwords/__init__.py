"""The common-password list new passwords are checked against (common.csv; build_passwords.py makes it)."""
