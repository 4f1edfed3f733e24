"""The audit trail: traces (record, verify, replay, diff), HOW / WHY NOT explanations (why), and
the rule catalogue (catalogue)."""
