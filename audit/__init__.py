"""The audit trail: an append-only, hash-chained record of who did what, when, from where.

`audit.trail.record` is the one writer; `audit.chain` defines the hash and checks the chain. This app is
the lowest layer: it knows nothing of records or of any other app, which call it.
"""
