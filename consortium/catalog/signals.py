"""Where domains above the catalog (see .importlinter) add to the resource map without the map
knowing them. A domain connects a module-level receiver in its ``init_app``; ``extras`` and
``hooks`` collect what the receivers return (``core.signals.values_from``)."""
from blinker import Namespace

_signals = Namespace()

# Declarations (sender: None)
# returns an ``extras.ExtraFilter`` (or a list): a named search filter, e.g. ``?space=12``
extra_filters = _signals.signal("catalog-extra-filters")
# returns the ``extras.DeliverySpaces`` an approved access request may be delivered through (one domain)
delivery_spaces = _signals.signal("catalog-delivery-spaces")

# Asked per page (keyword ``actor``: who looks; a receiver applies its own visibility rule)
# sender: the search's ``SearchParams``; returns an ``extras.FacetPanel`` or None
facet_panels = _signals.signal("catalog-facet-panels")
# sender: the DataResource; returns a section of its page (Markup) or None
entry_sections = _signals.signal("catalog-entry-sections")
# sender: the DataResource; returns {field: (url, title)}: values of the entry another domain links
value_links = _signals.signal("catalog-value-links")
# sender: the DataResource; returns [hooks.NeededBy]: what needs this entry (the scenarios)
needed_by = _signals.signal("catalog-needed-by")

# sender: a list of entry ids (no actor); returns {id: extras.DcatRecord}: where entries came from
dcat_records = _signals.signal("catalog-dcat-records")
