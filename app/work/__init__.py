"""What the work-on-a-case domains share: checks, keyset pages, and the record lifecycle.

Cases, victims, plans, referrals, protection measures, consents, detections and follow-ups
are versioned, audited and (most of them) soft-deletable in the same way; that way lives
here, once. Nothing in this package but `api` knows about HTTP.
"""
