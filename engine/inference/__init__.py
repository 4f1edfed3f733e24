"""Inference: experta's Rete network made cheaper (rete), the recording engine that the question
and outlook engines share (engine), and one question asked into one result model (answer)."""
