"""Co-operation agreements (签约合作) between members, possibly with counterparties:
a shared concept that scenarios link to and negotiations will end in."""
