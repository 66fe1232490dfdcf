"""What the work-on-a-case domains share: one typed kind per record (`kinds`), the
lifecycle it is made of (`lifecycle`), checks, keyset pages, and the pages every kind
shares (deletion and restore, `web`; the new-record form, `new_web`).

Cases, victims, plans, referrals, protection measures, consents, detections and follow-ups
are versioned, audited and (most of them) soft-deletable in the same way; that way lives
here, once. Only `api` and the page modules know about HTTP.
"""
