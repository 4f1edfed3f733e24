"""The rule base: one module per mechanism of Liu 2024, combined into one engine in engine/."""
