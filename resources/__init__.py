"""Emergency supplies, teams and qualifications, and nearest-resource queries (docs/resources.md).

- :mod:`.inventory`: the plant's resources layer with quantity, state, expiry, inspection and warnings;
- :mod:`.teams`: emergency teams and qualification expiry from the roster, on shift by the plans calendar;
- :mod:`.walking`: walking time to a place from everywhere, around the hazard, in one search;
- :mod:`.nearest`: nearest resources and qualified people, with paths;
- :mod:`.ledger`: the fold of ``resource.*`` events and the checked drafts that change the inventory;
- :mod:`.shortages`: what a launched plan needs, what is short outside the hazard, the external request.
"""
