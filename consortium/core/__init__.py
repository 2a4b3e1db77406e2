"""The kernel every domain may use: exceptions, the clock, URL, form and API helpers,
the registry of what domains contribute. It imports nothing of the domains."""
