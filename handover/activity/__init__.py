"""Pulse: is each account actually being fed?

Activity comes from public feeds (feeds.py over http.py), from the export files the
owner downloads (importers.py) and from a manual line (`handover log`); it is kept
per account in `activity/ACCOUNT.yml` (store.py), counts only, and judged against the
account's cadence (analysis.py).
"""
