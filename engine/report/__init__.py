"""Reports for a reader: the briefing memo (memo) and what it reads (its time frame, the sources
behind each value, the signposts to watch), the templates' documentation, and the map (svgmap)."""
