"""The kernel every domain may use: exceptions, the clock, URL, form and API helpers,
the signals through which domains contribute to pages they do not own (``signals``). It imports nothing of the domains."""
