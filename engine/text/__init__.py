"""Text: the one sandboxed template environment every layer writes through (render), and plain
wording for what a person reads: names with their articles, values as sentences (wording)."""
