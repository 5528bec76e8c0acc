"""Staff sign-in hardening: a TOTP second factor for every admin user,
lockout after repeated failures, idle session timeout, strong passwords.

Part of the core (not an entry-point plugin): the admin is never reachable
with a password alone.
"""
