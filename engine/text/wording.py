"""Plain words for what the memo shows: names with their articles, and case-file values as a
reader would say them ("a bilateral treaty alliance with the United States", "60% of its chip
exports going to China"), never as a file writes them (``bilateral-treaty``, ``0.6``, ``null``).

The memo templates compose sentences; this module only names things. Values are named by the
field's pattern (``engine/casefiles/schema.py``), so a field is described once whatever its keys.
"""

from __future__ import annotations

import re

from digital_coalitions.casefiles import schema as S
from digital_coalitions.casefiles.schema import display_name, possessive

# the industry of a coalition's domain, as an adjective and as a noun for its goods
DOMAINS = {
    "semiconductors": ("chip", "chips"),
    "telecom": ("telecoms", "telecoms equipment"),
    "critical-minerals": ("critical-minerals", "processed minerals"),
    "digital-infrastructure": ("digital-infrastructure", "digital infrastructure"),
    "ai": ("AI", "AI systems"),
    "cloud": ("cloud", "cloud services"),
}
LEVELS = {"none": "no", "low": "low", "moderate": "moderate", "high": "high",
          "critical": "critical", "intense": "intense"}
ALLIANCE = {
    "none": "no alliance with {leader}",
    "partner": "a partnership with {leader}, without a treaty",
    "major-non-treaty-ally": "status as a major non-treaty ally of {leader}",
    "bilateral-treaty": "a bilateral treaty alliance with {leader}",
    "collective-defence": "a collective-defence alliance with {leader}",
}
ALIGNMENT = {
    "pro-leader": "a government aligned with {leader}",
    "neutral": "a government neutral between {leader} and {target}",
    "neutral-no-target": "a government neutral towards {leader}",
    "autonomist": "a government that keeps its distance from {leader}",
}
POSITION = {
    "lagging": "its {industry} behind the technological frontier",
    "niche": "its {industry} strong only in niches",
    "frontier": "its {industry} at the technological frontier",
}
RELIANCE_KIND = {"raw-material": "raw materials", "equipment": "equipment",
                 "key-technology": "key technology"}
OFFERS = {
    "subsidies": "subsidies",
    "regulatory_compromise": "compromise on regulation and market access",
    "exemptions": "exemptions from the coalition's own restrictions",
    "security_guarantees": "additional security guarantees",
}
PRESSURES = {
    "security_cutoff": "the threat of cutting back its protection",
    "technology_sanctions": "the threat of technology sanctions",
}
COMMITMENT_WORDS = {
    "data-free-flow": "the free flow of data across borders",
    "no-internet-shutdowns": "no government Internet shutdowns",
    "multistakeholder-governance": "multistakeholder Internet governance",
    "human-rights-online": "human rights online",
    "ai-principles": "shared principles for trustworthy AI",
    "vendor-exclusion": "excluding {target}'s vendors",
    "export-controls": "export controls on {target}",
    "investment-screening": "screening {target}'s investment",
    "digital-trade-rules": "binding digital-trade rules",
    "labour-environment-standards": "enforceable labour and environment standards",
    "high-standard-infrastructure": "high-standard infrastructure finance",
    "minerals-esg-standards": "ESG standards for critical minerals",
}
VERDICT_PHRASES = {  # what the state does, after "it would" / "it will"
    "joins": "join readily",
    "joins-reluctantly": "join reluctantly, at a sacrifice",
    "joins-loosely": "join only a looser form, keeping its autonomy",
    "resists": "resist the coalition as proposed and press for a downgrade",
    "declines": "stay out",
    "conflict": "meet the leader's coercion with conflict",
}


def attributive(data: dict) -> str:
    """The name before a noun: "US compensation" for the US, "Japan's compensation" else."""
    short = data.get("short_name") or ""
    bare = re.fullmatch(r"(?:the )?([A-Z]{2,})", short)
    if bare:
        return bare.group(1)
    return possessive(display_name(data, short=True))


def capfirst(text: str) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def percent(share) -> str:
    """0.6 -> '60%', 0.09 -> '9%', 0.0 -> '0%', 0.005 -> 'under 1%'."""
    share = float(share)
    if 0 < share < 0.01:
        return "under 1%"
    return f"{round(share * 100):d}%"


def listed(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def short_names(states: dict) -> dict:
    """State id -> the short name a sentence uses after the first ("the US"), as Words takes."""
    return {sid: display_name(case.data, short=True) for sid, case in states.items()}


class Words:
    """Values of one question's case files in words; ``names`` gives states' display names."""

    def __init__(self, coalition: dict, names: dict):
        self.names = names
        self.leader = names.get(coalition["leader"], coalition["leader"])
        self.target = names.get(coalition.get("target"), "the target") \
            if coalition.get("target") else "the target"
        self.coalition = display_name(coalition)
        adjective, goods = DOMAINS.get(coalition.get("domain") or "", (None, None))
        domain = coalition.get("domain")
        self.domain = adjective or (domain.replace("-", " ") if domain else "")
        self.goods = goods or (f"{self.domain} goods" if domain else "goods")
        self.industry = f"{self.domain} industry" if self.domain else "industry"

    def _fill(self, text: str) -> str:
        return text.format(leader=self.leader, target=self.target, domain=self.domain,
                           industry=self.industry, goods=self.goods, coalition=self.coalition)

    @staticmethod
    def _commitment(word) -> str:
        return COMMITMENT_WORDS.get(word, str(word).replace("-", " "))

    def commitment(self, word) -> str:
        """A commitment (schema COMMITMENTS) as a reader says it: 'excluding China's vendors'."""
        return self._fill(self._commitment(word))

    def value(self, kind: str, path: str, value) -> str:
        """The value at ``path`` of a ``kind`` file as a noun phrase."""
        leaf = path.rsplit(".", 1)[-1]
        leaf = re.sub(r"\[\d+\]$", "", leaf)
        phrase = self._phrase(kind, path, leaf, value)
        return self._fill(phrase) if phrase is not None else self._generic(kind, path, value)

    def derived(self, kind: str, fields: dict) -> str | None:
        """A concept the rules concluded, where a memo line cites it as evidence for another
        (OC-05's low sacrifice): None for those no line cites this way."""
        if kind == "InterestSacrifice":
            level = fields.get("level")
            return "no sacrifice in joining" if level in (None, "none") else \
                f"{_article(level)} {level} sacrifice in joining"
        if kind == "ThreatFromTarget":
            return self._fill("{leader}'s protection against {target} itself")
        return None

    def change(self, change, answer=None) -> str:
        """A one-value change of the evidence, as what is seen instead of what is there now;
        given the question's ``answer``, a value no file gave is marked as assumed and one read
        as unknown is said to be (the search steps a null share from 0, which is not what the
        file says)."""
        after = self.value(change.case, change.path, change.after)
        unknown = answer is not None and answer.read_unknown(change.case, change.path)
        before = self.value(change.case, change.path, None if unknown else change.before)
        if answer is not None and f"{change.case}:{change.path}" in answer.defaults:
            before += " (assumed, not known)"
        return f"{after} instead of {before}"

    def _phrase(self, kind, path, leaf, v):  # noqa: C901 - one table, read top to bottom
        level = LEVELS.get(v, v) if isinstance(v, str) else v
        if kind == "coalition" or path.startswith(("offers.", "pressure.", "per_member.")):
            if leaf in OFFERS:
                if not v:
                    return f"no {OFFERS[leaf]}"
                return ("{leader}'s " + OFFERS[leaf]) if leaf == "exemptions" \
                    else f"{OFFERS[leaf]} from {{leader}}"
            if leaf in PRESSURES:
                return PRESSURES[leaf] if v else PRESSURES[leaf].replace("the threat", "no threat")
            if leaf == "demand":  # D3: a demanding coalition "may demand" sacrifices
                return ("a demanding coalition (one that may ask market and trade sacrifices)"
                        if v == "complex" else "a simple coalition (of conceptions and "
                        "governance initiatives) that asks no market sacrifice")
            if leaf == "framing":
                return ("a framing members can word as aimed at no one" if v == "softened"
                        else "a framing that confronts {target}")
            if leaf == "restricted_share":
                return ("restrictions on all of the exposure to {target}" if v in (None, 1, 1.0)
                        else f"restrictions on {percent(v)} of the exposure to {{target}}")
            if leaf == "commitments":  # what members commit to, beside a state's objection to it
                words = [self._commitment(w) for w in (v if isinstance(v, list) else [v])]
                return ("members' commitment to " + listed(words)) if words \
                    else "no commitment asked of members"
            if leaf == "target_product_cut_off":
                return (f"{{leader}}'s controls cutting {{target}}'s own products off from {v}"
                        if v else "no cut-off of {target}'s own products")
        if leaf == "alliance":
            return ALLIANCE.get(v)
        if leaf == "institutionalisation":
            return "an alliance without institutions" if v == "none" else \
                f"{_article(level)} {level} institutionalisation of the alliance"
        if leaf == "existential_threat":
            return "no threat that {leader} protects it against" if v == "none" else \
                f"{_article(level)} {level} threat that {{leader}} protects it against"
        if leaf == "extended_deterrence":
            return "{leader}'s nuclear umbrella" if v else "no nuclear umbrella from {leader}"
        if leaf == "joint_exercises":
            return {"none": "no joint exercises with {leader}",
                    "occasional": "occasional joint exercises with {leader}",
                    "regular": "regular joint exercises with {leader}"}.get(v)
        if leaf == "arms_import_share":
            return ("an unknown share of its arms imports from {leader}" if v is None
                    else f"{percent(v)} of its arms imports from {{leader}}")
        if leaf == "intelligence_dependence":
            return f"{level} dependence on {{leader}}'s intelligence"
        if leaf == "abandonment_fear":
            return f"{_article(level)} {level} fear of abandonment by {{leader}}"
        if leaf == "shared_values":
            return {"low": "few values shared with {leader}",
                    "moderate": "some values shared with {leader}",
                    "high": "strong values shared with {leader}"}.get(v)
        if leaf == "in_core_clubs":
            return ("a seat in {leader}'s core clubs" if v
                    else "no seat in {leader}'s core clubs")
        if leaf == "threat_from":
            return f"a threat from {self.names.get(v, v)}"
        if leaf == "strategic_autonomy":
            return {"low": "little doctrine of strategic autonomy",
                    "moderate": "a moderate doctrine of strategic autonomy",
                    "high": "a strong doctrine of strategic autonomy"}.get(v)
        if leaf == "government_alignment":
            no_target = v == "neutral" and self.target == "the target"
            return ALIGNMENT.get("neutral-no-target" if no_target else v)
        if leaf == "objects_to":
            return "an objection on the record to " + self._commitment(v)
        if leaf == "position":
            return POSITION.get(v)
        if leaf == "weight":
            return f"the {level} weight of its {{industry}} in its economy"
        if leaf == "catch_up":
            return ("a national programme to reduce its reliance on {leader}" if v
                    else "no national programme to reduce its reliance on {leader}")
        if path.split(".")[2:3] == ["reliance"] or ".reliance." in path:
            if leaf == "level":
                return ("no reliance on {leader}'s technology" if v == "none"
                        else f"{level} reliance on {{leader}}'s technology")
            if leaf == "kind":
                return f"reliance on {{leader}} for {RELIANCE_KIND.get(v, v)}"
            if leaf == "substitutable":
                return ("technology it could replace within a few years" if v
                        else "technology it cannot replace within a few years")
            return "no reliance on {leader}'s technology"  # the entry itself: absent
        if leaf == "export_share":
            return f"{percent(v)} of its {{domain}} exports going to {{target}}"
        if leaf == "installed_share":
            return f"{percent(v)} of its installed {{goods}} supplied by {{target}}'s firms"
        if leaf == "import_share":
            return f"{percent(v)} of its critical {{domain}} inputs imported from {{target}}"
        if leaf == "trade_share":
            return f"{percent(v)} of its goods exports going to {{target}}"
        if leaf == "threat_perception":
            return {"low": "little threat seen in {target}", "moderate": "a moderate threat "
                    "seen in {target}", "high": "a serious threat seen in {target}"}.get(v)
        if leaf == "retaliation_risk":
            return f"{_article(level)} {level} risk of retaliation by {{target}}"
        return None

    def _generic(self, kind: str, path: str, value) -> str:
        try:
            doc = S.field(kind, path).doc
        except KeyError:
            doc = path.rsplit(".", 1)[-1].replace("_", " ")
        return f"{doc or path.rsplit('.', 1)[-1].replace('_', ' ')}: {plain(value)}"


def _article(word) -> str:
    return "an" if str(word)[:1].lower() in "aeiou" else "a"


def plain(value) -> str:
    """A value as a reader says it: yes/no, a percentage, 'not given'; never a literal."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "not given"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return listed(plain(v) for v in value) or "none"
    return str(value).replace("-", " ")
