"""Every ordered scale of words, lowest first, defined once: the scales the case files are
written in (engine/casefiles/schema.py names them ``level3``, ``level4``, ``level5``) and the
scales of the concepts the rules conclude. Plain data, without experta, so that the case-file
layer reads the same tuples the rules compare against."""

# ---- scales of derived concepts ----------------------------------------------------------------
SECURITY_DEPENDENCY = ("none", "low", "moderate", "high", "intense")
ATTACHMENT = ("low", "moderate", "high")
COMMITMENT = ("none", "low", "moderate", "high")
STRANGLEHOLD = ("none", "limited", "significant", "decisive")
SACRIFICE = ("none", "low", "moderate", "heavy")
COMPENSATION = ("none", "partial", "substantial")
AUTONOMY = ("low", "moderate", "high")
RECEPTIVENESS = ("unreceptive", "mixed", "receptive")
CONFIDENCE = ("low", "moderate", "high")

# ---- input scales: the contract's words ----------------------------------------------------------
LEVEL3 = ("low", "moderate", "high")
LEVEL4 = ("none", "low", "moderate", "high")
LEVEL5 = ("none", "low", "moderate", "high", "critical")
RELIANCE = LEVEL5  # an industry's reliance on the leader's technology
