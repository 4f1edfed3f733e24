"""The claims of ``shared/design/theory.md``, shipped with the rules so a wheel can cite them.

Each: ID -> (claim in theory.md's words, where in the source). ``tests/test_rulebook.py``
checks this table against theory.md whenever the design folder is beside the checkout.
"""

CLAIMS = {
    'D1': (
        'A digital coalition is a consortium of states with an organisational nature, a confrontational target, common goals and the capability for collective action, formed around digital strategy, norms, standards, industry or products.',
        'Liu 2024, abstract; *Alliances, Military Coalitions…*',
    ),
    'D2': (
        'Four criteria separate a coalition from a mere joint movement or network of initiatives: (1) a clear target state or threat; (2) an institutionalised vehicle (organisation, agreement, declaration, initiative); (3) routine collective action or policy coordination; (4) states are the main members and the leader and target are states. The Cairns Group is a movement, not a coalition.',
        '*Alliances, Military Coalitions…*',
    ),
    'D3': (
        'Simple digital coalitions centre on conceptions and governance initiatives (ideology- and value-oriented: GPAI, the Declaration for the Future of the Internet). Complex ("demanding") digital coalitions require high standards and high levels of coordination and execution, and may demand market and trade sacrifices (Chip 4, TTC).',
        '*Security Dependency…*; *Chip 4 and the TTC*',
    ),
    'D4': (
        'Table 1 lists US-led digital coalitions: Five Eyes (1946), DCCP (2018), Clean Network (2020), GPAI (2020), Declaration for the Future of the Internet (2022), IPEF (2022), PGII (2022), Chip 4 (2023); the TTC (2021) is the second case study.',
        'Table 1',
    ),
    'D5': (
        'Digital coalitions differ from alliances and military coalitions (Table 2): their linkage basis is the distribution of technological capabilities and globalised digital networks; their objectives are mobility (supply-chain) security, technological leadership and a competitive coalition-building advantage; they are not one-off arrangements.',
        'Table 2 and text',
    ),
    'S1': (
        "Alliance-based security dependency determines the *likelihood* that a digital coalition can be built: the higher the dependency, the more willing an ally is to respond to the dominant state's digital security narratives and mobilisation.",
        'abstract; *Security Dependency…*; *Conclusion*',
    ),
    'S2': (
        "Security dependency is built from: the effectiveness (credibility) of security commitments; the authority of the alliance regime, which grows with institutionalisation (NATO is highly institutionalised); and the ally's fear of abandonment (versus entanglement) in a crisis. The stronger the attachment, the stronger these effects.",
        '*Security Dependency…* (paragraphs on commitments, institutionalisation, abandonment)',
    ),
    'S3': (
        "Protection against an existential threat, demonstrated through joint exercises and operations, is what makes allies extend the value of security cooperation into the digital realm (US–Japan–South Korea against North Korea; Norway's reliance on NATO).",
        '*Security Dependency…*; *Chip 4: Intense…*',
    ),
    'S4': (
        'Asymmetric dependence is leverage: the dominant state can threaten to end intelligence sharing or reduce protection to force a policy change (threats to South Korea and Germany over Huawei; the UK moving from hesitation to a ban).',
        '*Security Dependency…*; *TTC…*',
    ),
    'S5': (
        'For simple coalitions, security dependency can be a sufficient condition.',
        '*Security Dependency…* ("Security dependency is the basis…")',
    ),
    'S6': (
        'Security dependency is the basis of almost all major digital coalitions: they use alliances as their organisational base, starting as "small clubs" of traditional allies and expanding.',
        '*Alliances, Military Coalitions…*; *Security Dependency…*',
    ),
    'S7': (
        'Threat perception (the "China digital threat" narrative) and shared values are the ideational foundations that make allies receptive.',
        '*Alliances, Military Coalitions…*; *Chip 4: Intense…*; *TTC…*',
    ),
    'S8': (
        "Alliances are not a panacea: they cannot easily change an ally's policy where complex interests are at stake (the US failed to stop South Korea joining the AIIB).",
        '*Security Dependency…*',
    ),
    'S9': (
        "Status and voice: a state outside the leader's core clubs (South Korea is in none of NATO, the Quad, AUKUS, Five Eyes) feels strategic anxiety about lagging behind, and joining raises its voice.",
        '*Chip 4: Intense…*',
    ),
    'T1': (
        'Security dependency is insufficient for complex coalitions; a technological stranglehold in the digital relationship is needed as well.',
        'abstract; *Security Dependency…*; *Conclusion*',
    ),
    'T2': (
        'A stranglehold means the dominant state\'s advanced technologies act as a "valve" over the ally\'s technologies and industries, deciding their survival and progress. Where it is significant, members make market and trade sacrifices and join to protect their competitiveness and future industrial development.',
        '*Security Dependency…*',
    ),
    'T3': (
        'The stranglehold has a dual effect: a carrot (leapfrogging, access to cutting-edge supply chains) and a stick (the power of "making or breaking": sanctions that threaten the ally\'s digital industries).',
        '*Security Dependency…*',
    ),
    'T4': (
        "Key strategic technologies (EDA software, design IP, critical process stages) give a prominent, recognisable, hard-to-remove stranglehold. Raw materials and equipment give only a weak one: small market volume, hard to identify, strongly substitutable (Japan's 2019 hydrogen fluoride curbs made South Korea localise, and Japan lost its monopoly).",
        '*Security Dependency…*',
    ),
    'T5': (
        'When the stranglehold bites, it outweighs the market: the Chinese market is critical for Japanese and South Korean firms, yet the stranglehold has the greater impact.',
        '*Chip 4: Intense…*',
    ),
    'T6': (
        "Malposition: where the ally lacks cutting-edge capability in the domain, the stranglehold has little to grip (Europe in semiconductors and AI). A stranglehold over one firm (ASML) is not one over the state; that firm's government bargains bilaterally instead of inside the coalition.",
        '*TTC: Moderate… and Technological Malposition*',
    ),
    'T7': (
        'Without security dependency, using a stranglehold does not build a coalition; it may lead to intense conflict.',
        '*Security Dependency…* (last paragraph before *Chip 4 and the TTC*)',
    ),
    'C1': (
        "Joining a complex coalition costs allies interests (market share, export profit); the heavier the exposure to the target's market, the more reluctant the ally (over 60% of South Korea's chip exports went to China). Fear of the target's retaliation adds to the cost.",
        '*Security Dependency…*; *Chip 4: Intense…*',
    ),
    'C2': (
        'To build and sustain complex coalitions, the dominant state compensates: (a) externalised concessions of domestic law (subsidies and grants: the CHIPS Act, the Innovation and Competition Act); (b) competitive compromise (concessions on market access, regulation, digital tax, subsidies, data localisation, privacy: the US moving towards GDPR/DSA norms; letting Samsung and SK hynix keep shipping equipment to their China fabs); (c) additional security promises (extended deterrence for South Korea).',
        '*Security Dependency…*; *Chip 4: Intense…*',
    ),
    'C3': (
        "Autonomy: allies weigh their own security concerns, norms and bilateral and multilateral interests. Strategic autonomy can downgrade an initiative (the EU objected and the proposed Alliance for the Future of the Internet became the Declaration for the Future of the Internet); France and Italy do not back the TTC's anti-China inclination.",
        '*Security Dependency…*; *TTC…*',
    ),
    'C4': (
        'Domestic politics shapes pace, not outcome: a pro-leader government (Yoon) accelerates accession but is not decisive; both Moon and Yoon resisted before South Korea leaned towards the US.',
        '*Chip 4: Intense…*',
    ),
    'C5': (
        'Members soften the framing to limit the cost: South Korea worded its accession as not targeting China and stressed its One China position.',
        '*Chip 4: Intense…*',
    ),
    'O1': (
        'Intense security dependency plus a dominant stranglehold gives a coercive, stringent coalition that members join even at a large sacrifice (Chip 4: Japan acceded submissively and first; South Korea was the most reluctant and joined last, after compensation).',
        '*Chip 4: Intense…*; *Conclusion*',
    ),
    'O2': (
        'Moderate security dependency plus malposition gives a looser coalition: the leader uses less alliance pressure, makes more concessions and looks for the intersection of policy aims (TTC).',
        '*TTC…*; *Conclusion*',
    ),
    'O3': (
        "If the leader's compensation falls far short of the allies' sacrifice, the coalition risks destabilisation; subsidy races and asymmetric penalties (US exemptions for its own firms) erode trust and cohesion.",
        '*Chip 4: Intense…*; *TTC…*; *Conclusion*',
    ),
    'O4': (
        "Allies invest to weaken the stranglehold (Japan's Rapidus, South Korea's semiconductor cluster, the EU Chips Act); if the leader loses its technological superiority, to the target or to its allies, the coalition may collapse or turn into a non-confrontational cooperative mechanism.",
        '*Chip 4: Intense…*; *TTC…*; *Conclusion*',
    ),
    'O5': (
        "The efficacy of simple coalitions hinges on the leader's inclination to ideological confrontation and the intensity of joint actions.",
        '*Conclusion*',
    ),
    'O6': (
        "The target's counter-options: a partnership network (the Digital Silk Road), autonomous breakthroughs in critical technology, a wedge strategy against the leader's allies, and counter-coalitions.",
        '*Conclusion*',
    ),
    'A1': (
        'US strategy has moved from "small yards, high fences" (restricting flows to rivals) to a "multipolar technology alliance" that seeks structural technological power.',
        'Tang 2024',
    ),
    'A2': (
        'Structural technological power has three elements, each with its own coalitions: key technological infrastructure (PGII, the India–Middle East–Europe Economic Corridor, the Lobito Corridor; undersea cables, grids, telecom networks; security rules such as the Prague Proposals and the EU 5G toolbox); technology supply-chain systems (Chip 4, the Sustainable Critical Minerals Alliance, the Minerals Security Partnership, the IPEF Supply Chain Agreement); technology ecosystems (standards and values: the National Standards Strategy for Critical and Emerging Technologies, "digital solidarity").',
        'Tang 2024',
    ),
    'A3': (
        'Partners are tiered by political trust — traditional allies, non-traditional allies, emerging-market countries — an unequal "food chain"; coalitions are combined differently field by field.',
        'Tang 2024',
    ),
    'A4': (
        'Conflicts of interest with allies (cross-border data-flow asymmetry, subsidy competition in digital markets, economic-security dilemmas) limit how deep and stable the coalitions get.',
        'Tang 2024',
    ),
}

# Not a claim of the paper: the analytic standard the likelihood and confidence rules follow.
STANDARDS = {"ICD203": ("Intelligence Community Directive 203, Analytic Standards (2015): likelihood terms, confidence and its basis.", "ICD 203")}
