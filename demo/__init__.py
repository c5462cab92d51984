"""Demo data for trying and measuring the site: a small set for `make run`, a large one to bench.

Support code, not part of the product: it depends on the apps (members ← news ←
party_building) and no app imports it. It writes through the apps' own models, managers and
services (``news.search.store_entries`` for the search entries), so that a change to a model
breaks a test here instead of silently diverging. docs/DEMO_DATA.md describes it.
"""
