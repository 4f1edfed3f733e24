"""The audit trail: traces (record, verify, replay, diff), HOW / WHY NOT explanations (why), the
rule catalogue (catalogue), and bounded reading of the files a trace names (reading)."""
