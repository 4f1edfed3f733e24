"""digital-coalitions: will state X join digital coalition Y? A rule-based reading of Liu 2024."""

__version__ = "0.1.0"
