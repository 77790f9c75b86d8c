"""Triage web app for inspectorate staff: `python -m netralitas_nlp.triage serve`.

A queue of scored posts and complaints, most urgent first; an item view with the evidence, the
pledge point and the SKB 2022 forms behind each label; decisions that are appended, never
overwritten; roles, an audit log, and an export of reviewed items in the training format.
"""
