"""Who may do what, written once: membership, hashed-key tokens, JWTs, OTP flows, page guards.

Each concern is its own module so that models (which subclass `tokens.HashedKeyToken`) can be
imported without pulling the membership or JWT code that imports those models.
"""
